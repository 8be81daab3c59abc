package io.herald.engine.filter;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicLine;
import net.sf.geographiclib.GeodesicMask;

/**
 * A region of the globe a geo condition tests points against, with the latitude/longitude box that bounds it
 * (for the spatial index). A box whose {@code minLon > maxLon} crosses the antimeridian.
 */
abstract class GeoShape
{
    double minLat;
    double maxLat;
    double minLon;
    double maxLon;

    abstract boolean contains(double lat, double lon);

    /**
     * The same test when the caller has the point as a unit vector too (the spatial index computes it once for all
     * its candidates).
     */
    boolean contains(final double lat, final double lon, final double x, final double y, final double z)
    {
        return contains(lat, lon);
    }

    abstract String canonical();

    /**
     * Lat/lon bounds of all points within {@code radius} meters of the centre (on the ellipsoid: the spherical cap is
     * widened by {@link Geo#SPHERE_ERROR}).
     */
    final void boundCap(final double lat, final double lon, final double radius)
    {
        // the cap on the sphere, widened so that it holds the circle on the ellipsoid too
        final double angular = radius * (1 + Geo.SPHERE_ERROR) / Geo.EARTH_RADIUS_M;
        final double dLat = Math.toDegrees(angular);
        minLat = Math.max(-90, lat - dLat);
        maxLat = Math.min(90, lat + dLat);
        final double sinAngular = Math.sin(Math.min(angular, Math.PI / 2));
        final double cosLat = Math.cos(Math.toRadians(lat));
        if (angular >= Math.PI / 2 || lat + dLat >= 90 || lat - dLat <= -90 || sinAngular >= cosLat)
        {
            minLon = -180;
            maxLon = 180;
            return;
        }
        final double dLon = Math.toDegrees(Math.asin(sinAngular / cosLat)) + 1e-9;
        minLon = normalizeLon(lon - dLon);
        maxLon = normalizeLon(lon + dLon);
        if (2 * dLon >= 360)
        {
            minLon = -180;
            maxLon = 180;
        }
    }

    static double normalizeLon(final double lon)
    {
        if (lon >= -180 && lon <= 180)
        {
            return lon;
        }
        final double wrapped = ((lon + 180) % 360 + 360) % 360 - 180;
        return wrapped;
    }

    static final class BoundingBox extends GeoShape
    {
        final double top;
        final double left;
        final double bottom;
        final double right;

        BoundingBox(final double top, final double left, final double bottom, final double right)
        {
            this.top = top;
            this.left = left;
            this.bottom = bottom;
            this.right = right;
            minLat = bottom;
            maxLat = top;
            minLon = left;
            maxLon = right;
        }

        /**
         * A box whose left edge is east of its right edge crosses the antimeridian.
         */
        boolean contains(final double lat, final double lon)
        {
            return lat >= bottom && lat <= top && (left <= right ? lon >= left && lon <= right :
                lon >= left || lon <= right);
        }

        String canonical()
        {
            return "box(" + Canonical.number(top) + ',' + Canonical.number(left) + ',' +
                Canonical.number(bottom) + ',' + Canonical.number(right) + ')';
        }
    }

    static final class Circle extends GeoShape
    {
        final double lat;
        final double lon;
        final double inner;
        final double outer;
        /** The centre as a unit vector. */
        private final double cx;
        private final double cy;
        private final double cz;
        /**
         * Cosines of angular distances on the sphere that decide without the ellipsoid (see {@link #contains}):
         * a dot product with the centre above {@code surelyInOuter} is inside the outer radius, below
         * {@code surelyOutOuter} outside it; above {@code surelyInsideInner} it is inside the inner radius (out of
         * an annulus), below {@code surelyOutsideInner} outside it.
         */
        private final double surelyInOuter;
        private final double surelyOutOuter;
        private final double surelyInsideInner;
        private final double surelyOutsideInner;

        /**
         * @param inner radius in meters below which points are outside (an annulus), or negative for a disc.
         * @param outer radius in meters.
         */
        Circle(final double lat, final double lon, final double inner, final double outer)
        {
            this.lat = lat;
            this.lon = lon;
            this.inner = inner;
            this.outer = outer;
            boundCap(lat, lon, outer);
            final double phi = Math.toRadians(lat);
            final double lambda = Math.toRadians(lon);
            cx = Math.cos(phi) * Math.cos(lambda);
            cy = Math.cos(phi) * Math.sin(lambda);
            cz = Math.sin(phi);
            surelyInOuter = cosOf(outer / (1 + Geo.SPHERE_ERROR));
            surelyOutOuter = cosOf(outer / (1 - Geo.SPHERE_ERROR));
            surelyInsideInner = inner < 0 ? 2 : cosOf(inner / (1 + Geo.SPHERE_ERROR));
            surelyOutsideInner = inner < 0 ? 2 : cosOf(inner / (1 - Geo.SPHERE_ERROR));
        }

        /**
         * @return the cosine of the angle a distance on the sphere spans (-1 past the antipode).
         */
        private static double cosOf(final double meters)
        {
            final double angle = meters / Geo.EARTH_RADIUS_M;
            return angle >= Math.PI ? -1 : Math.cos(angle);
        }

        /**
         * On the WGS84 ellipsoid. The spherical distance decides alone when it is clearly inside or outside (farther
         * than {@link Geo#SPHERE_ERROR} from each radius); only points near a boundary pay for the geodesic.
         */
        boolean contains(final double pointLat, final double pointLon)
        {
            final double phi = Math.toRadians(pointLat);
            final double lambda = Math.toRadians(pointLon);
            final double cosPhi = Math.cos(phi);
            return contains(pointLat, pointLon, cosPhi * Math.cos(lambda), cosPhi * Math.sin(lambda), Math.sin(phi));
        }

        /**
         * A dot product of unit vectors (the cosine of the angle between the point and the centre) decides alone
         * unless the point is within {@link Geo#SPHERE_ERROR} of a radius; then the geodesic on the ellipsoid.
         */
        boolean contains(final double pointLat, final double pointLon, final double x, final double y, final double z)
        {
            final double dot = x * cx + y * cy + z * cz;
            if (dot < surelyOutOuter || dot > surelyInsideInner)
            {
                return false;
            }
            if (dot >= surelyInOuter && dot <= surelyOutsideInner)
            {
                return true;
            }
            final double distance = Geo.ellipsoidDistance(lat, lon, pointLat, pointLon);
            return distance <= outer && distance >= inner;
        }

        String canonical()
        {
            return (inner < 0 ? "circle(" : "annulus(" + Canonical.number(inner) + ',') +
                Canonical.number(outer) + '@' + Canonical.number(lat) + ',' + Canonical.number(lon) + ')';
        }
    }

    /**
     * A polygon whose edges are geodesics on the WGS84 ellipsoid, as Koncorde's (Boost.Geometry's geographic
     * {@code covered_by}) are: between two vertices at the same latitude the edge bows towards the pole, by up to
     * ~270 m for an edge 1.5 degrees long at 45 degrees. Points on the boundary are inside.
     * <p>
     * The test casts a ray north along the point's meridian and counts the edges it crosses (even-odd). An edge
     * spanning the point's longitude is compared in three steps, each only when the one before cannot decide: in the
     * latitude/longitude plane (outside the edge's bow); on the sphere, by the side of the edge's great circle the
     * point's unit vector lies on (beyond the distance between that great circle and the geodesic, a few metres to
     * a few hundred for long edges); exactly, by the geodesic azimuth from the edge's western end to the point
     * against the edge's own (GeographicLib). Each edge's bounds are measured once, from samples along it.
     */
    static final class Polygon extends GeoShape
    {
        private static final int BOW_SAMPLES = 16;
        private static final double BOX_MARGIN_DEGREES = 1e-9;
        /** Azimuths this close put the point on the edge (1e-11 degrees: well under a micrometre at 1,000 km). */
        private static final double ON_EDGE_DEGREES = 1e-11;

        final double[] lats;
        final double[] lons;
        /**
         * Everything the test reads, in one array laid out for it: first each edge's western and eastern longitude
         * (2 per edge: the loop over edges reads only these for edges that do not span the point's longitude), then,
         * {@link #DETAIL} per edge, its western and eastern latitude, its bow, the unit normal of its great circle
         * (west × east), the sine of the geodesic's farthest distance from that great circle, and its azimuth at the
         * western end. One array keeps a candidate's test within a few cache lines.
         */
        private final double[] edges;
        private final int details;

        private static final int DETAIL = 8;
        private static final int WEST_LAT = 0;
        private static final int EAST_LAT = 1;
        private static final int BOW = 2;
        private static final int NORMAL_X = 3;
        private static final int NORMAL_Y = 4;
        private static final int NORMAL_Z = 5;
        private static final int OFF_CIRCLE = 6;
        private static final int AZIMUTH = 7;

        Polygon(final double[] lats, final double[] lons)
        {
            this.lats = lats;
            this.lons = lons;
            final int n = lats.length;
            details = 2 * n;
            edges = new double[details + DETAIL * n];
            minLat = Double.POSITIVE_INFINITY;
            maxLat = Double.NEGATIVE_INFINITY;
            minLon = Double.POSITIVE_INFINITY;
            maxLon = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++)
            {
                minLat = Math.min(minLat, lats[i]);
                maxLat = Math.max(maxLat, lats[i]);
                minLon = Math.min(minLon, lons[i]);
                maxLon = Math.max(maxLon, lons[i]);
            }
            for (int i = 0; i < n; i++)
            {
                final int j = (i + 1) % n;
                final boolean iWest = lons[i] <= lons[j];
                final int at = details + DETAIL * i;
                edges[2 * i] = iWest ? lons[i] : lons[j];
                edges[2 * i + 1] = iWest ? lons[j] : lons[i];
                edges[at + WEST_LAT] = iWest ? lats[i] : lats[j];
                edges[at + EAST_LAT] = iWest ? lats[j] : lats[i];
                if (edges[2 * i] < edges[2 * i + 1])
                {
                    measureEdge(i);
                }
            }
        }

        /**
         * From samples along the edge: the largest latitude difference between the geodesic and the straight segment
         * (its bow) and the geodesic's farthest distance from its great circle, each doubled (between samples they
         * vary smoothly; doubling covers it with room to spare); the bounding box widened to hold the geodesic (an
         * edge bows beyond its ends' latitudes); the azimuth at the western end.
         */
        private void measureEdge(final int edge)
        {
            final int at = details + DETAIL * edge;
            final double westLat = edges[at + WEST_LAT];
            final double eastLat = edges[at + EAST_LAT];
            final double westLon = edges[2 * edge];
            final double eastLon = edges[2 * edge + 1];
            final GeodesicLine line = Geodesic.WGS84.InverseLine(westLat, westLon, eastLat, eastLon,
                GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE | GeodesicMask.AZIMUTH | GeodesicMask.DISTANCE_IN);
            edges[at + AZIMUTH] = line.Azimuth();
            final double[] west = unit(westLat, westLon);
            final double[] east = unit(eastLat, eastLon);
            final double nx = west[1] * east[2] - west[2] * east[1];
            final double ny = west[2] * east[0] - west[0] * east[2];
            final double nz = west[0] * east[1] - west[1] * east[0];
            final double norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
            edges[at + NORMAL_X] = nx / norm;
            edges[at + NORMAL_Y] = ny / norm;
            edges[at + NORMAL_Z] = nz / norm;
            double largest = 0;
            double farthest = 0;
            for (int k = 1; k < BOW_SAMPLES; k++)
            {
                // unrolled: an edge given with a longitude past 180 keeps its longitudes (the straight segment's)
                final GeodesicData sample = line.Position(line.Distance() * k / BOW_SAMPLES,
                    GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE | GeodesicMask.LONG_UNROLL);
                largest = Math.max(largest, Math.abs(sample.lat2 - straightLatitude(edge, sample.lon2)));
                final double[] u = unit(sample.lat2, sample.lon2);
                farthest = Math.max(farthest, Math.abs(edges[at + NORMAL_X] * u[0] + edges[at + NORMAL_Y] * u[1] +
                    edges[at + NORMAL_Z] * u[2]));
                minLat = Math.max(-90, Math.min(minLat, sample.lat2 - BOX_MARGIN_DEGREES));
                maxLat = Math.min(90, Math.max(maxLat, sample.lat2 + BOX_MARGIN_DEGREES));
            }
            edges[at + BOW] = 2 * largest + 1e-9;
            edges[at + OFF_CIRCLE] = 2 * farthest + 1e-12;
            // the geodesic's highest point may lie between samples: by at most ~1/256 of the bow (it is parabolic there)
            minLat = Math.max(-90, minLat - largest / 64);
            maxLat = Math.min(90, maxLat + largest / 64);
        }

        private static double[] unit(final double lat, final double lon)
        {
            final double phi = Math.toRadians(lat);
            final double lambda = Math.toRadians(lon);
            return new double[] {Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)};
        }

        private double straightLatitude(final int edge, final double lon)
        {
            final int at = details + DETAIL * edge;
            final double west = edges[2 * edge];
            return edges[at + WEST_LAT] + (edges[at + EAST_LAT] - edges[at + WEST_LAT]) * (lon - west) /
                (edges[2 * edge + 1] - west);
        }

        boolean contains(final double lat, final double lon)
        {
            if (lat < minLat || lat > maxLat || lon < minLon || lon > maxLon)
            {
                return false;
            }
            final double phi = Math.toRadians(lat);
            final double lambda = Math.toRadians(lon);
            final double cosPhi = Math.cos(phi);
            return crosses(lat, lon, cosPhi * Math.cos(lambda), cosPhi * Math.sin(lambda), Math.sin(phi));
        }

        /**
         * Small on purpose: most candidates are refused by the box, and this much inlines into the spatial index's
         * loop (with the whole test in one method it did not, and misses cost 3x).
         */
        boolean contains(final double lat, final double lon, final double x, final double y, final double z)
        {
            return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon && crosses(lat, lon, x, y, z);
        }

        private boolean crosses(final double lat, final double lon, final double x, final double y, final double z)
        {
            final double[] edges = this.edges;
            boolean inside = false;
            for (int e = 0, n = lats.length; e < n; e++)
            {
                final double west = edges[2 * e];
                final double east = edges[2 * e + 1];
                if (lon < west || lon > east)
                {
                    continue;
                }
                final int at = details + DETAIL * e;
                if (west == east || lon == east)
                {
                    // the point is on a meridian edge, or on the eastern end's meridian: only the boundary matters
                    // (an edge spans [west, east) so that a vertex's meridian is crossed once)
                    final double low = west == east ? Math.min(edges[at + WEST_LAT], edges[at + EAST_LAT]) :
                        edges[at + EAST_LAT];
                    final double high = west == east ? Math.max(edges[at + WEST_LAT], edges[at + EAST_LAT]) :
                        edges[at + EAST_LAT];
                    if (lat >= low && lat <= high)
                    {
                        return true;
                    }
                    continue;
                }
                final double straight = straightLatitude(e, lon);
                final double bow = edges[at + BOW];
                final boolean edgeNorth;
                if (lat < straight - bow)
                {
                    edgeNorth = true;
                }
                else if (lat > straight + bow)
                {
                    edgeNorth = false;
                }
                else
                {
                    final double side = edges[at + NORMAL_X] * x + edges[at + NORMAL_Y] * y +
                        edges[at + NORMAL_Z] * z;
                    final double offCircle = edges[at + OFF_CIRCLE];
                    if (side > offCircle || side < -offCircle)
                    {
                        // left of the eastward great circle is north of it
                        edgeNorth = side < 0;
                    }
                    else
                    {
                        if (lon == west && lat == edges[at + WEST_LAT])
                        {
                            return true; // a vertex
                        }
                        // clockwise of the (eastward) edge is south of it
                        final double turn = Geodesic.WGS84.Inverse(edges[at + WEST_LAT], west, lat, lon,
                            GeodesicMask.AZIMUTH).azi1 - edges[at + AZIMUTH];
                        if (Math.abs(turn) < ON_EDGE_DEGREES)
                        {
                            return true;
                        }
                        edgeNorth = turn > 0;
                    }
                }
                if (edgeNorth)
                {
                    inside = !inside;
                }
            }
            return inside;
        }

        String canonical()
        {
            final StringBuilder out = new StringBuilder("polygon(");
            for (int i = 0; i < lats.length; i++)
            {
                if (i > 0)
                {
                    out.append(';');
                }
                out.append(Canonical.number(lats[i])).append(',').append(Canonical.number(lons[i]));
            }
            return out.append(')').toString();
        }
    }
}
