package io.herald.engine.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Circles on the WGS84 ellipsoid, as GPS coordinates mean them and as Koncorde measures them: points placed on
 * purpose just inside and just outside each circle (GeographicLib's direct problem puts a point at an exact
 * geodesic distance, the oracle) must be answered the right way, down to 0.01% of the radius.
 */
class GeoEllipsoidTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theIssuesPointJustInsideA50KmCircleMatches() throws Exception
    {
        // 49.99 km away on the ellipsoid, 50.15 km on a sphere: Koncorde notifies, Herald did not
        final FilterEngine engine = new FilterEngine();
        final String id = engine.register("i/c", JSON.readTree("{\"geoDistance\":{\"p\":{\"lat\":0.06610298183099506," +
            "\"lon\":-0.10043334942331228},\"distance\":\"50km\"}}"));
        final Matches matches = new Matches();
        engine.match("i/c", JSON.readTree("{\"p\":{\"lat\":0.42867803640136404,\"lon\":-0.36856508225601403}}"),
            matches);
        assertEquals(1, matches.size());
        assertEquals(id, matches.filterId(0));
        assertTrue(Geo.ellipsoidDistance(0.06610298183099506, -0.10043334942331228, 0.42867803640136404,
            -0.36856508225601403) < 50_000);
    }

    @Test
    void pointsNearEveryCircleAreOnTheirSideOfIt()
    {
        final Random random = new Random(20261203);
        final double[] fractions = {0.0001, 0.001, 0.01, 0.05};
        int checked = 0;
        for (int c = 0; c < 2_000; c++)
        {
            // anywhere, including near the poles and the antimeridian
            final double lat = Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)) * 0.999;
            final double lon = 360 * random.nextDouble() - 180;
            final double radius = Math.pow(10, 2 + 3.7 * random.nextDouble()); // 100 m to 500 km
            final double inner = random.nextBoolean() ? -1 : radius * random.nextDouble() * 0.8;
            final GeoShape.Circle circle = new GeoShape.Circle(lat, lon, inner, radius);
            for (final double fraction : fractions)
            {
                final double azimuth = 360 * random.nextDouble() - 180;
                assertSide(circle, Geodesic.WGS84.Direct(lat, lon, azimuth, radius * (1 - fraction)), true);
                assertSide(circle, Geodesic.WGS84.Direct(lat, lon, azimuth, radius * (1 + fraction)), false);
                if (inner > 1)
                {
                    assertSide(circle, Geodesic.WGS84.Direct(lat, lon, azimuth, inner * (1 + fraction)), true);
                    assertSide(circle, Geodesic.WGS84.Direct(lat, lon, azimuth, inner * (1 - fraction)), false);
                }
                checked++;
            }
        }
        assertEquals(8_000, checked);
    }

    private static void assertSide(final GeoShape.Circle circle, final GeodesicData point, final boolean inside)
    {
        final double lon = GeoShape.normalizeLon(point.lon2);
        assertEquals(inside, circle.contains(point.lat2, lon), () -> circle.canonical() + " and " + point.lat2 + "," +
            lon + " at " + point.s12 + " m");
        if (inside)
        {
            // the spatial index finds shapes by their bounds: an inside point must be within them
            assertTrue(point.lat2 >= circle.minLat && point.lat2 <= circle.maxLat, "latitude bounds");
            assertTrue(circle.minLon <= circle.maxLon ? lon >= circle.minLon && lon <= circle.maxLon :
                lon >= circle.minLon || lon <= circle.maxLon, () -> "longitude bounds of " + circle.canonical());
        }
    }
}
