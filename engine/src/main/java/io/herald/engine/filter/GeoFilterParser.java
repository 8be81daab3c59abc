package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;

import static io.herald.engine.filter.JsonRules.isArray;
import static io.herald.engine.filter.JsonRules.isObject;
import static io.herald.engine.filter.JsonRules.isString;
import static io.herald.engine.filter.JsonRules.pathAdd;

/**
 * The four geo keywords: every geopoint form Koncorde accepts, distances with units, Koncorde's messages.
 */
final class GeoFilterParser
{
    private static final String[] BOX_PROPERTIES = { "top", "left", "bottom", "right" };

    private final ConditionFactory conditions;
    private final double[] first = new double[2];
    private final double[] second = new double[2];

    GeoFilterParser(final ConditionFactory conditions)
    {
        this.conditions = conditions;
    }

    FilterNode boundingBox(final JsonNode filter, final String path)
    {
        isObject(filter, "geoBoundingBox", "geoBoundingBox", path, 1, false, null, null);
        final JsonNode spec = filter.get("geoBoundingBox");
        final String field = spec.fieldNames().next();
        final String fieldPath = pathAdd(path, field);
        final ObjectNode box = camelCase(spec.get(field));
        final double[] edges = new double[4];
        boolean found = false;
        if (null != box && hasNumericEdges(box))
        {
            for (int i = 0; i < BOX_PROPERTIES.length; i++)
            {
                edges[i] = JsValues.parseFloat(box.get(BOX_PROPERTIES[i]));
                if (Double.isNaN(edges[i]))
                {
                    throw new FilterException("unrecognized geoBoundingBox format: " + JsonRules.stringify(box),
                        "geoBoundingBox", fieldPath);
                }
            }
            found = true;
        }
        else if (null != box && JsValues.isTruthy(box.get("topLeft")) && JsValues.isTruthy(box.get("bottomRight")) &&
            Geo.parse(box.get("topLeft"), first) && Geo.parse(box.get("bottomRight"), second))
        {
            edges[0] = first[0];
            edges[1] = first[1];
            edges[2] = second[0];
            edges[3] = second[1];
            found = true;
        }
        if (!found)
        {
            throw new FilterException("unrecognized geo-point format", "geoBoundingBox", fieldPath);
        }
        // Bottom must be south of top. A left edge east of the right one crosses the antimeridian (Koncorde's geo
        // index refuses such boxes; Herald serves them); equal edges are refused as Koncorde does.
        if (edges[2] >= edges[0])
        {
            throw new FilterException("min_lat argument cannot be greater or equal max_lat", "geoBoundingBox",
                fieldPath);
        }
        if (edges[1] == edges[3])
        {
            throw new FilterException("min_lon argument cannot be greater or equal max_lon", "geoBoundingBox",
                fieldPath);
        }
        return leaf(field, new GeoShape.BoundingBox(edges[0], edges[1], edges[2], edges[3]));
    }

    FilterNode distance(final JsonNode filter, final String path)
    {
        isObject(filter, "geoDistance", "geoDistance", path, 2, false, new String[] { "distance" }, null);
        final JsonNode spec = filter.get("geoDistance");
        isString(spec, "distance", "geoDistance", pathAdd(path, "distance"));
        final String field = otherField(spec, "distance", null);
        if (!Geo.parse(spec.get(field), first))
        {
            throw new FilterException("unrecognized point format", "geoDistance", pathAdd(path, field));
        }
        checkCentre(first[0], "geoDistance", pathAdd(path, field));
        final double radius = Distances.toMeters(spec.get("distance").textValue());
        return leaf(field, new GeoShape.Circle(first[0], first[1], -1, radius));
    }

    FilterNode distanceRange(final JsonNode filter, final String path)
    {
        isObject(filter, "geoDistanceRange", "geoDistanceRange", path, 3, false, new String[] { "from", "to" }, null);
        final JsonNode spec = filter.get("geoDistanceRange");
        final String field = otherField(spec, "from", "to");
        isString(spec, "from", "geoDistanceRange", pathAdd(path, "from"));
        final double from = Distances.toMeters(spec.get("from").textValue());
        isString(spec, "to", "geoDistanceRange", pathAdd(path, "to"));
        final double to = Distances.toMeters(spec.get("to").textValue());
        if (from >= to)
        {
            throw new FilterException("inner radius must be smaller than outer radius", "geoDistanceRange", path);
        }
        if (!Geo.parse(spec.get(field), first))
        {
            throw new FilterException("unrecognized point format", "geoDistanceRange", pathAdd(path, field));
        }
        checkCentre(first[0], "geoDistanceRange", pathAdd(path, field));
        return leaf(field, new GeoShape.Circle(first[0], first[1], from, to));
    }

    FilterNode polygon(final JsonNode filter, final String path)
    {
        isObject(filter, "geoPolygon", "geoPolygon", path, 1, false, null, null);
        final JsonNode spec = filter.get("geoPolygon");
        final String field = spec.fieldNames().next();
        final String fieldPath = pathAdd(path, field);
        isObject(spec, field, "geoPolygon", fieldPath, 1, false, new String[] { "points" }, null);
        final String pointsPath = pathAdd(fieldPath, "points");
        isArray(spec.get(field), "points", "geoPolygon", pointsPath, false, null);
        final JsonNode points = spec.get(field).get("points");
        if (points.size() < 3)
        {
            throw new FilterException("at least 3 points are required to build a polygon", "geoPolygon", pointsPath);
        }
        final double[] lats = new double[points.size()];
        final double[] lons = new double[points.size()];
        for (int i = 0; i < points.size(); i++)
        {
            if (!Geo.parse(points.get(i), first))
            {
                throw new FilterException("unrecognized point format \"" + JsonRules.stringify(points.get(i)) + '"',
                    "geoPolygon", pointsPath);
            }
            lats[i] = first[0];
            lons[i] = first[1];
        }
        return leaf(field, new GeoShape.Polygon(lats, lons));
    }

    /**
     * A circle's centre must be on the globe (koncorde 4.7's geo add-on aborts the whole process otherwise).
     */
    private static void checkCentre(final double lat, final String keyword, final String path)
    {
        if (!(lat >= -90 && lat <= 90))
        {
            throw new FilterException("the latitude of the centre must be between -90 and 90", keyword, path);
        }
    }

    private FilterNode leaf(final String field, final GeoShape shape)
    {
        return new FilterNode.Leaf(conditions.geoCondition(field, shape));
    }

    private static String otherField(final JsonNode spec, final String reserved, final String alsoReserved)
    {
        for (final Iterator<String> it = spec.fieldNames(); it.hasNext(); )
        {
            final String name = it.next();
            if (!name.equals(reserved) && !name.equals(alsoReserved))
            {
                return name;
            }
        }
        throw new IllegalStateException("checked before: the object has a field besides " + reserved);
    }

    private static boolean hasNumericEdges(final JsonNode box)
    {
        for (final String edge : BOX_PROPERTIES)
        {
            final JsonNode value = box.get(edge);
            if (null == value || !(value.isNumber() || value.isTextual()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy with {@code top_left}, {@code bottom_right} and {@code lat_lon} renamed in camel case; null when the
     * value is not an object.
     */
    private static ObjectNode camelCase(final JsonNode value)
    {
        if (null == value || !value.isObject())
        {
            return null;
        }
        final ObjectNode converted = JsonNodeFactory.instance.objectNode();
        value.fields().forEachRemaining(
            (entry) ->
            {
                final String key;
                switch (entry.getKey())
                {
                    case "top_left": key = "topLeft"; break;
                    case "bottom_right": key = "bottomRight"; break;
                    case "lat_lon": key = "latLon"; break;
                    default: key = entry.getKey();
                }
                converted.set(key, entry.getValue());
            });
        return converted;
    }
}
