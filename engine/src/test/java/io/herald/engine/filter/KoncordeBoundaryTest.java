package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Koncorde 4.7.0's answers for points placed on purpose near geo boundaries ({@code tools/koncorde/boundary.js}):
 * Herald must give the same answer for every box point, and for every circle or ring point farther than
 * {@link #TOLERANCE_M} from the boundary on the WGS84 ellipsoid, with one exception that is Koncorde's bug: its
 * spatial index ({@code boost-geospatial-index}, {@code Shape::envelopeFromCircle}) bounds a circle with a box
 * computed on a sphere of the equatorial radius (6,378,137 m), which is too short north and south by up to ~0.7% of
 * the radius, so points inside the circle beyond that box are never tested and Koncorde misses them. Herald
 * notifies them. Otherwise Koncorde measures with Boost.Geometry's geographic (Andoyer) distance, an approximation of
 * the geodesic Herald computes exactly (GeographicLib): where they differ the point is within its error of the
 * boundary.
 */
class KoncordeBoundaryTest
{
    /** The bound: Herald and Koncorde agree wherever the point is farther than this from the boundary. */
    static final double TOLERANCE_M = 1.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void heraldAgreesWithKoncordeAwayFromTheBoundary() throws Exception
    {
        final InputStream corpus = getClass().getResourceAsStream("/koncorde/boundary.jsonl");
        assertNotNull(corpus, "boundary.jsonl: node tools/koncorde/boundary.js writes it");
        int points = 0;
        int circleDisagreements = 0;
        int envelopeMisses = 0;
        double farthest = 0;
        final List<String> wrong = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(corpus, StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); null != line; line = lines.readLine())
            {
                final JsonNode entry = JSON.readTree(line);
                final JsonNode filter = entry.get("filter");
                final JsonNode document = entry.get("doc");
                final boolean koncorde = entry.get("koncorde").booleanValue();
                final FilterEngine engine = new FilterEngine();
                engine.register("i/c", filter);
                final Matches matches = new Matches();
                engine.match("i/c", document, matches);
                final boolean herald = matches.size() == 1;
                points++;
                if (herald == koncorde)
                {
                    continue;
                }
                if (filter.has("geoBoundingBox"))
                {
                    wrong.add(line);
                    continue;
                }
                if (!koncorde && outsideKoncordeEnvelope(filter, document.get("p")))
                {
                    envelopeMisses++;
                    continue;
                }
                final double fromBoundary = fromBoundary(filter, document.get("p"));
                circleDisagreements++;
                farthest = Math.max(farthest, fromBoundary);
                if (fromBoundary > TOLERANCE_M)
                {
                    wrong.add(fromBoundary + " m from the boundary: " + line);
                }
            }
        }
        assertTrue(points > 7_000, "points: " + points);
        assertEquals(List.of(), wrong, circleDisagreements + " circle points differ, the farthest " + farthest +
            " m from its boundary");
        System.out.printf("KoncordeBoundaryTest: %d points; %d missed by Koncorde's spherical envelope; %d others " +
            "differ, at most %.3f m from the boundary%n", points, envelopeMisses, circleDisagreements, farthest);
    }

    /**
     * @return true when the point is outside the box Koncorde's index bounds the circle with (its
     *         {@code envelopeFromCircle}: degrees of a sphere of radius 6,378,137 m), where it never looks.
     */
    private static boolean outsideKoncordeEnvelope(final JsonNode filter, final JsonNode point)
    {
        final boolean ring = filter.has("geoDistanceRange");
        final JsonNode spec = ring ? filter.get("geoDistanceRange") : filter.get("geoDistance");
        final double lat = spec.get("p").get("lat").doubleValue();
        final double lon = spec.get("p").get("lon").doubleValue();
        final double radius = meters(ring ? spec.get("to") : spec.get("distance"));
        final double dLat = Math.toDegrees(radius / 6_378_137.0);
        final double dLon = Math.toDegrees(radius / (6_378_137.0 * Math.cos(Math.toRadians(lat))));
        final double pointLat = point.get("lat").doubleValue();
        final double pointLon = point.get("lon").doubleValue();
        return pointLat < lat - dLat || pointLat > lat + dLat || pointLon < lon - dLon || pointLon > lon + dLon;
    }

    /**
     * @return how far the point is from the nearest radius of the circle or ring, on the ellipsoid.
     */
    private static double fromBoundary(final JsonNode filter, final JsonNode point)
    {
        final boolean ring = filter.has("geoDistanceRange");
        final JsonNode spec = ring ? filter.get("geoDistanceRange") : filter.get("geoDistance");
        final JsonNode centre = spec.get("p");
        final double distance = Geo.ellipsoidDistance(centre.get("lat").doubleValue(), centre.get("lon").doubleValue(),
            point.get("lat").doubleValue(), point.get("lon").doubleValue());
        final double outer = meters(ring ? spec.get("to") : spec.get("distance"));
        double nearest = Math.abs(distance - outer);
        if (ring)
        {
            nearest = Math.min(nearest, Math.abs(distance - meters(spec.get("from"))));
        }
        return nearest;
    }

    private static double meters(final JsonNode text)
    {
        final String value = text.textValue();
        return Double.parseDouble(value.substring(0, value.length() - 1));
    }
}
