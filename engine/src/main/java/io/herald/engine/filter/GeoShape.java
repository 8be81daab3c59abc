package io.herald.engine.filter;

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

    static final class Polygon extends GeoShape
    {
        final double[] lats;
        final double[] lons;

        Polygon(final double[] lats, final double[] lons)
        {
            this.lats = lats;
            this.lons = lons;
            minLat = Double.POSITIVE_INFINITY;
            maxLat = Double.NEGATIVE_INFINITY;
            minLon = Double.POSITIVE_INFINITY;
            maxLon = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < lats.length; i++)
            {
                minLat = Math.min(minLat, lats[i]);
                maxLat = Math.max(maxLat, lats[i]);
                minLon = Math.min(minLon, lons[i]);
                maxLon = Math.max(maxLon, lons[i]);
            }
        }

        /**
         * Even-odd rule in the latitude/longitude plane, edges included.
         */
        boolean contains(final double lat, final double lon)
        {
            if (lat < minLat || lat > maxLat || lon < minLon || lon > maxLon)
            {
                return false;
            }
            boolean inside = false;
            for (int i = 0, j = lats.length - 1; i < lats.length; j = i++)
            {
                final double yi = lats[i], xi = lons[i], yj = lats[j], xj = lons[j];
                if (onSegment(lat, lon, yi, xi, yj, xj))
                {
                    return true;
                }
                if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                {
                    inside = !inside;
                }
            }
            return inside;
        }

        private static boolean onSegment(
            final double y, final double x, final double y1, final double x1, final double y2, final double x2)
        {
            final double cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
            return Math.abs(cross) <= 1e-12 && x >= Math.min(x1, x2) && x <= Math.max(x1, x2) &&
                y >= Math.min(y1, y2) && y <= Math.max(y1, y2);
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
