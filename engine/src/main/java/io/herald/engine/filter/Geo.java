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
     * Reads a geopoint of a flat document, as {@link #parse(JsonNode, double[])} does a tree's.
     *
     * @param document the document.
     * @param point    the value's handle, {@link Document#NONE} for undefined.
     * @param latLon   receives latitude then longitude, in degrees.
     * @return false when the value is not a geopoint.
     */
    static boolean parse(final Document document, final int point, final double[] latLon)
    {
        if (!JsValues.isTruthy(document, point))
        {
            return false;
        }
        switch (document.type(point))
        {
            case Document.ARRAY:
                return pair(document, point, latLon);
            case Document.STRING:
                return parse(document.text(point), latLon);
            case Document.OBJECT:
                break;
            default:
                return false;
        }
        final int lat = document.member(point, "lat");
        final int lon = document.member(point, "lon");
        if (lat != Document.NONE && lon != Document.NONE)
        {
            return toCoordinate(document, lat, lon, latLon);
        }
        final int snake = document.member(point, "lat_lon");
        final int latLonValue = snake != Document.NONE ? snake : document.member(point, "latLon");
        if (latLonValue == Document.NONE)
        {
            return false;
        }
        switch (document.type(latLonValue))
        {
            case Document.ARRAY:
                return pair(document, latLonValue, latLon);
            case Document.OBJECT:
                final int innerLat = document.member(latLonValue, "lat");
                final int innerLon = document.member(latLonValue, "lon");
                return innerLat != Document.NONE && innerLon != Document.NONE &&
                    toCoordinate(document, innerLat, innerLon, latLon);
            case Document.STRING:
                return parse(document.text(latLonValue), latLon);
            default:
                return false;
        }
    }

    private static boolean pair(final Document document, final int array, final double[] latLon)
    {
        if (document.size(array) != 2)
        {
            return false;
        }
        final int lat = document.first(array);
        return toCoordinate(document, lat, document.next(array, lat), latLon);
    }

    private static boolean toCoordinate(
        final Document document, final int lat, final int lon, final double[] latLon)
    {
        latLon[LAT] = JsValues.parseFloat(document, lat);
        latLon[LON] = JsValues.parseFloat(document, lon);
        return !Double.isNaN(latLon[LAT]) && !Double.isNaN(latLon[LON]);
    }

    /**
     * Reads {@code "lat, lon"} or a geohash (4 characters or more, lower case).
     */
    static boolean parse(final CharSequence text, final double[] latLon)
    {
        final int comma = indexOf(text, ',', 0);
        if (comma >= 0)
        {
            if (indexOf(text, ',', comma + 1) >= 0)
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

    private static int indexOf(final CharSequence text, final char c, final int from)
    {
        for (int i = from, length = text.length(); i < length; i++)
        {
            if (text.charAt(i) == c)
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean isGeohash(final CharSequence text)
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
    static void decodeGeohash(final CharSequence hash, final double[] latLon)
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
