package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicLine;
import net.sf.geographiclib.GeodesicMask;
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
 * boundary. Polygon points lie 0.5 m to 1 km either side of an edge's geodesic midpoint: Koncorde's edges are
 * geodesics (Boost.Geometry's geographic {@code covered_by}, either ring orientation), and so are Herald's; straight
 * edges in the latitude/longitude plane would disagree with it up to a few hundred metres from an edge.
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
        int polygonPoints = 0;
        int polygonDisagreements = 0;
        double farthestPolygon = 0;
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
                if (filter.has("geoPolygon"))
                {
                    polygonPoints++;
                    if (herald != koncorde)
                    {
                        final double fromEdge = fromPolygonBoundary(filter.get("geoPolygon").get("p").get("points"),
                            document.get("p"));
                        polygonDisagreements++;
                        farthestPolygon = Math.max(farthestPolygon, fromEdge);
                        if (fromEdge > TOLERANCE_M)
                        {
                            wrong.add(fromEdge + " m from the polygon's boundary: " + line);
                        }
                    }
                    continue;
                }
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
        assertTrue(points > 17_000, "points: " + points);
        assertTrue(polygonPoints > 10_000, "polygon points: " + polygonPoints);
        assertEquals(List.of(), wrong, circleDisagreements + " circle points differ, the farthest " + farthest +
            " m from its boundary; " + polygonDisagreements + " polygon points, the farthest " + farthestPolygon +
            " m from an edge");
        System.out.printf("KoncordeBoundaryTest: %d points; %d missed by Koncorde's spherical envelope; %d others " +
            "differ, at most %.3f m from the boundary; %d of %d polygon points differ, at most %.3f m from an edge%n",
            points, envelopeMisses, circleDisagreements, farthest, polygonDisagreements, polygonPoints,
            farthestPolygon);
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

    /**
     * @return how far the point is from the polygon's nearest edge (a geodesic), on the ellipsoid: the least distance
     *         to 2,000 points along each edge, refined around the nearest one.
     */
    private static double fromPolygonBoundary(final JsonNode points, final JsonNode point)
    {
        final double lat = point.get("lat").doubleValue();
        final double lon = point.get("lon").doubleValue();
        double nearest = Double.POSITIVE_INFINITY;
        for (int i = 0, n = points.size(); i < n; i++)
        {
            final JsonNode a = points.get(i);
            final JsonNode b = points.get((i + 1) % n);
            final GeodesicLine edge = Geodesic.WGS84.InverseLine(a.get("lat").doubleValue(), a.get("lon").doubleValue(),
                b.get("lat").doubleValue(), b.get("lon").doubleValue());
            final double length = edge.Distance();
            double bestAt = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k <= 2_000; k++)
            {
                final double at = length * k / 2_000;
                final double d = distanceTo(edge, at, lat, lon);
                if (d < best)
                {
                    best = d;
                    bestAt = at;
                }
            }
            // golden-section search around the best sample
            double low = Math.max(0, bestAt - length / 2_000);
            double high = Math.min(length, bestAt + length / 2_000);
            for (int k = 0; k < 60; k++)
            {
                final double m1 = high - (high - low) / 1.618033988749895;
                final double m2 = low + (high - low) / 1.618033988749895;
                if (distanceTo(edge, m1, lat, lon) < distanceTo(edge, m2, lat, lon))
                {
                    high = m2;
                }
                else
                {
                    low = m1;
                }
            }
            nearest = Math.min(nearest, Math.min(best, distanceTo(edge, (low + high) / 2, lat, lon)));
        }
        return nearest;
    }

    private static double distanceTo(final GeodesicLine edge, final double along, final double lat, final double lon)
    {
        final GeodesicData at = edge.Position(along, GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE);
        return Geo.ellipsoidDistance(at.lat2, at.lon2, lat, lon);
    }

    private static double meters(final JsonNode text)
    {
        final String value = text.textValue();
        return Double.parseDouble(value.substring(0, value.length() - 1));
    }
}
