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
     * spanning the point's longitude is first compared in the latitude/longitude plane; only a point closer to the
     * straight segment than the edge's bow (measured once per edge) takes the exact test, the geodesic azimuth from
     * the edge's western end to the point against the edge's own (GeographicLib).
     */
    static final class Polygon extends GeoShape
    {
        private static final int BOW_SAMPLES = 16;
        /** Azimuths this close put the point on the edge (1e-11 degrees: well under a micrometre at 1,000 km). */
        private static final double ON_EDGE_DEGREES = 1e-11;

        final double[] lats;
        final double[] lons;
        /** Per edge, its ends ordered west to east, the azimuth at the western end, and how far it bows. */
        private final double[] westLat;
        private final double[] westLon;
        private final double[] eastLat;
        private final double[] eastLon;
        private final double[] azimuth;
        private final double[] bow;

        Polygon(final double[] lats, final double[] lons)
        {
            this.lats = lats;
            this.lons = lons;
            final int n = lats.length;
            westLat = new double[n];
            westLon = new double[n];
            eastLat = new double[n];
            eastLon = new double[n];
            azimuth = new double[n];
            bow = new double[n];
            minLat = Double.POSITIVE_INFINITY;
            maxLat = Double.NEGATIVE_INFINITY;
            minLon = Double.POSITIVE_INFINITY;
            maxLon = Double.NEGATIVE_INFINITY;
            double widest = 0;
            for (int i = 0; i < n; i++)
            {
                minLat = Math.min(minLat, lats[i]);
                maxLat = Math.max(maxLat, lats[i]);
                minLon = Math.min(minLon, lons[i]);
                maxLon = Math.max(maxLon, lons[i]);
                final int j = (i + 1) % n;
                final boolean iWest = lons[i] <= lons[j];
                westLat[i] = iWest ? lats[i] : lats[j];
                westLon[i] = iWest ? lons[i] : lons[j];
                eastLat[i] = iWest ? lats[j] : lats[i];
                eastLon[i] = iWest ? lons[j] : lons[i];
                if (westLon[i] < eastLon[i])
                {
                    measureEdge(i);
                    widest = Math.max(widest, bow[i]);
                }
            }
            // an edge bows beyond its ends' latitudes
            minLat = Math.max(-90, minLat - widest);
            maxLat = Math.min(90, maxLat + widest);
        }

        /**
         * The edge's azimuth at its western end, and the largest latitude difference between the geodesic and the
         * straight segment, from samples along it, doubled (between samples the difference varies smoothly; doubling
         * covers it with room to spare) plus a nanodegree.
         */
        private void measureEdge(final int edge)
        {
            final GeodesicLine line = Geodesic.WGS84.InverseLine(westLat[edge], westLon[edge], eastLat[edge],
                eastLon[edge], GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE | GeodesicMask.AZIMUTH |
                GeodesicMask.DISTANCE_IN);
            azimuth[edge] = line.Azimuth();
            double largest = 0;
            for (int k = 1; k < BOW_SAMPLES; k++)
            {
                final GeodesicData at = line.Position(line.Distance() * k / BOW_SAMPLES,
                    GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE);
                largest = Math.max(largest, Math.abs(at.lat2 - straightLatitude(edge, at.lon2)));
            }
            bow[edge] = 2 * largest + 1e-9;
        }

        private double straightLatitude(final int edge, final double lon)
        {
            return westLat[edge] + (eastLat[edge] - westLat[edge]) * (lon - westLon[edge]) /
                (eastLon[edge] - westLon[edge]);
        }

        boolean contains(final double lat, final double lon)
        {
            if (lat < minLat || lat > maxLat || lon < minLon || lon > maxLon)
            {
                return false;
            }
            boolean inside = false;
            for (int e = 0, n = lats.length; e < n; e++)
            {
                final double west = westLon[e];
                final double east = eastLon[e];
                if (west == east)
                {
                    // along a meridian: only a point on it matters (the boundary is inside)
                    if (lon == west && lat >= Math.min(westLat[e], eastLat[e]) &&
                        lat <= Math.max(westLat[e], eastLat[e]))
                    {
                        return true;
                    }
                    continue;
                }
                if (lon < west || lon >= east)
                {
                    if (lon == east && lat == eastLat[e])
                    {
                        return true; // a vertex
                    }
                    continue;
                }
                final double straight = straightLatitude(e, lon);
                final boolean edgeNorth;
                if (lat < straight - bow[e])
                {
                    edgeNorth = true;
                }
                else if (lat > straight + bow[e])
                {
                    edgeNorth = false;
                }
                else
                {
                    if (lon == west && lat == westLat[e])
                    {
                        return true; // a vertex
                    }
                    // clockwise of the (eastward) edge is south of it
                    final double turn = Geodesic.WGS84.Inverse(westLat[e], west, lat, lon, GeodesicMask.AZIMUTH)
                        .azi1 - azimuth[e];
                    if (Math.abs(turn) < ON_EDGE_DEGREES)
                    {
                        return true;
                    }
                    edgeNorth = turn > 0;
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
