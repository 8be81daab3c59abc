package io.herald.engine.filter;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicMask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Geopoints as Koncorde reads them ({@code [lat, lon]}, {@code "lat, lon"}, geohash, {@code {lat, lon}},
 * {@code {latLon}} and {@code {lat_lon}} in array, object or string form) and great-circle distances.
 */
final class Geo
{
    /** Mean earth radius in meters (IUGG), used by every distance computation. */
    static final double EARTH_RADIUS_M = 6_371_008.8;

    private static final String GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
    private static final int LAT = 0;
    private static final int LON = 1;

    private Geo()
    {
    }

    /**
     * Reads a geopoint.
     *
     * @param point  the JSON value, null for undefined.
     * @param latLon receives latitude then longitude, in degrees.
     * @return false when the value is not a geopoint.
     */
    static boolean parse(final JsonNode point, final double[] latLon)
    {
        if (point instanceof ArrayNode)
        {
            return point.size() == 2 && toCoordinate(point.get(0), point.get(1), latLon);
        }
        if (!JsValues.isTruthy(point))
        {
            return false;
        }
        if (point.isTextual())
        {
            return parse(point.textValue(), latLon);
        }
        if (point.isArray())
        {
            return point.size() == 2 && toCoordinate(point.get(0), point.get(1), latLon);
        }
        if (!point.isObject())
        {
            return false;
        }
        if (point.has("lat") && point.has("lon"))
        {
            return toCoordinate(point.get("lat"), point.get("lon"), latLon);
        }
        final JsonNode latLonValue = point.has("lat_lon") ? point.get("lat_lon") : point.get("latLon");
        if (null == latLonValue)
        {
            return false;
        }
        if (latLonValue.isArray())
        {
            return latLonValue.size() == 2 && toCoordinate(latLonValue.get(0), latLonValue.get(1), latLon);
        }
        if (latLonValue.isObject())
        {
            return latLonValue.has("lat") && latLonValue.has("lon") &&
                toCoordinate(latLonValue.get("lat"), latLonValue.get("lon"), latLon);
        }
        return latLonValue.isTextual() && parse(latLonValue.textValue(), latLon);
    }

    /**
     * Reads {@code "lat, lon"} or a geohash (4 characters or more, lower case).
     */
    static boolean parse(final String text, final double[] latLon)
    {
        final int comma = text.indexOf(',');
        if (comma >= 0)
        {
            if (text.indexOf(',', comma + 1) >= 0)
            {
                return false;
            }
            latLon[LAT] = JsValues.parseFloat(text.subSequence(0, comma));
            latLon[LON] = JsValues.parseFloat(text.subSequence(comma + 1, text.length()));
            return !Double.isNaN(latLon[LAT]) && !Double.isNaN(latLon[LON]);
        }
        if (!isGeohash(text))
        {
            return false;
        }
        decodeGeohash(text, latLon);
        return true;
    }

    private static boolean toCoordinate(final JsonNode lat, final JsonNode lon, final double[] latLon)
    {
        latLon[LAT] = JsValues.parseFloat(lat);
        latLon[LON] = JsValues.parseFloat(lon);
        return !Double.isNaN(latLon[LAT]) && !Double.isNaN(latLon[LON]);
    }

    private static boolean isGeohash(final String text)
    {
        if (text.length() < 4)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a geohash to the centre of its cell. Letters outside the geohash alphabet (a, i, l, o) count as
     * zero bits, as in the ngeohash package Koncorde uses.
     */
    static void decodeGeohash(final String hash, final double[] latLon)
    {
        double minLat = -90, maxLat = 90, minLon = -180, maxLon = 180;
        boolean lonBit = true;
        for (int i = 0; i < hash.length(); i++)
        {
            final int value = Math.max(0, GEOHASH_ALPHABET.indexOf(hash.charAt(i)));
            for (int bit = 4; bit >= 0; bit--)
            {
                final boolean set = ((value >> bit) & 1) == 1;
                if (lonBit)
                {
                    final double mid = (minLon + maxLon) / 2;
                    if (set)
                    {
                        minLon = mid;
                    }
                    else
                    {
                        maxLon = mid;
                    }
                }
                else
                {
                    final double mid = (minLat + maxLat) / 2;
                    if (set)
                    {
                        minLat = mid;
                    }
                    else
                    {
                        maxLat = mid;
                    }
                }
                lonBit = !lonBit;
            }
        }
        latLon[LAT] = (minLat + maxLat) / 2;
        latLon[LON] = (minLon + maxLon) / 2;
    }

    /**
     * The largest relative difference between the great-circle distance on the sphere of radius
     * {@link #EARTH_RADIUS_M} and the geodesic distance on the WGS84 ellipsoid: about 0.56% (a meridian near the poles, or the equator); 1% is
     * kept as a margin. A point whose spherical distance is farther than this from a circle's radius is on the same
     * side of it on the ellipsoid.
     */
    static final double SPHERE_ERROR = 0.01;

    /**
     * Geodesic distance on the WGS84 ellipsoid in meters (Karney's algorithm, GeographicLib: accurate to nanometres),
     * what GPS coordinates mean and what Koncorde measures (Boost.Geometry's geographic strategy).
     */
    static double ellipsoidDistance(final double lat1, final double lon1, final double lat2, final double lon2)
    {
        return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, GeodesicMask.DISTANCE).s12;
    }
}
