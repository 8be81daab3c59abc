package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.herald.engine.filter.JsonRules.isArray;
import static io.herald.engine.filter.JsonRules.isInteger;
import static io.herald.engine.filter.JsonRules.isObject;
import static io.herald.engine.filter.JsonRules.isString;
import static io.herald.engine.filter.JsonRules.pathAdd;

/**
 * Reads the Koncorde 4 DSL into a {@link FilterNode} tree, checking it the way Koncorde does and failing with
 * the same messages and paths ({@code "and.equals.name": must either be a string, a number, a boolean, or null}).
 * Geo keywords are read by {@link GeoFilterParser}, field syntax of exists/missing by {@link ExistsParser}.
 */
final class FilterParser
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] BOOL_ATTRIBUTES = { "must", "must_not", "should", "should_not" };
    private static final String[] RANGE_ATTRIBUTES = { "gt", "gte", "lt", "lte" };
    private static final String[] REGEXP_ATTRIBUTES = { "flags", "value" };

    private final Normalizer normalizer;
    private final ConditionFactory conditions;
    private final GeoFilterParser geo;

    FilterParser(final Normalizer normalizer, final ConditionFactory conditions)
    {
        this.normalizer = normalizer;
        this.conditions = conditions;
        this.geo = new GeoFilterParser(conditions);
    }

    /**
     * @param filter a filter; null, missing or {@code {}} match every document.
     * @return the parsed tree.
     * @throws FilterException when the filter is not valid DSL.
     */
    FilterNode parse(final JsonNode filter)
    {
        if (null == filter || filter.isNull() || filter.isMissingNode())
        {
            return new FilterNode.Everything();
        }
        if (!filter.isObject())
        {
            throw new FilterException("Invalid filter syntax: filters must be a JSON object");
        }
        return standardize(filter, null);
    }

    private FilterNode standardize(final JsonNode filters, final String path)
    {
        final int size = filters.size();
        if (size == 0)
        {
            return new FilterNode.Everything();
        }
        if (size > 1)
        {
            final StringBuilder keywords = new StringBuilder();
            for (final Iterator<String> it = filters.fieldNames(); it.hasNext(); )
            {
                keywords.append(keywords.length() > 0 ? "," : "").append(it.next());
            }
            throw new FilterException(
                "Invalid filter syntax. Filters must have one keyword only", keywords.toString(), path);
        }
        final String keyword = filters.fieldNames().next();
        final String keywordPath = pathAdd(path, keyword);
        switch (keyword)
        {
            case "and": return and(filters, keywordPath);
            case "or": return or(filters, keywordPath);
            case "not": return not(filters, keywordPath);
            case "bool": return bool(filters, keywordPath);
            case "equals": return equals(filters, keywordPath);
            case "in": return in(filters, keywordPath);
            case "ids": return ids(filters, keywordPath);
            case "exists": return ExistsParser.exists(conditions, filters, keywordPath, "exists");
            case "missing":
                return new FilterNode.Not(ExistsParser.exists(conditions, filters, keywordPath, "missing"));
            case "range": return range(filters, keywordPath);
            case "regexp": return regexp(filters, keywordPath);
            case "match": return match(filters, keywordPath);
            case "select": return select(filters, keywordPath);
            case "nothing": return new FilterNode.Nothing();
            case "geoBoundingBox": return geo.boundingBox(filters, keywordPath);
            case "geoDistance": return geo.distance(filters, keywordPath);
            case "geoDistanceRange": return geo.distanceRange(filters, keywordPath);
            case "geoPolygon": return geo.polygon(filters, keywordPath);
            default: throw new FilterException("unknown keyword", keyword, keywordPath);
        }
    }

    private FilterNode and(final JsonNode filter, final String path)
    {
        return new FilterNode.And(operands(filter, "and", path));
    }

    private FilterNode or(final JsonNode filter, final String path)
    {
        return new FilterNode.Or(operands(filter, "or", path));
    }

    private List<FilterNode> operands(final JsonNode filter, final String operator, final String path)
    {
        isArray(filter, operator, operator, path, true, null);
        final JsonNode array = filter.get(operator);
        for (final JsonNode operand : array)
        {
            if (!operand.isObject() || operand.size() == 0)
            {
                throw new FilterException("can only contain non-empty objects", operator, path);
            }
        }
        final List<FilterNode> operands = new ArrayList<>(array.size());
        for (final JsonNode operand : array)
        {
            operands.add(standardize(operand, path));
        }
        return operands;
    }

    private FilterNode not(final JsonNode filter, final String path)
    {
        isObject(filter, "not", "not", path, 1, false, null, null);
        return new FilterNode.Not(standardize(filter.get("not"), path));
    }

    /**
     * bool is sugar for {@code and: [...must, not(or(must_not)), or(should), not(and(should_not))]}, read through
     * the same checks (and paths) as if it had been written that way.
     */
    private FilterNode bool(final JsonNode filter, final String path)
    {
        isObject(filter, "bool", "bool", path, -1, true, null, BOOL_ATTRIBUTES);
        final JsonNode bool = filter.get("bool");
        final ArrayNode and = NODES.arrayNode();
        final JsonNode must = bool.get("must");
        if (JsValues.isTruthy(must))
        {
            if (must.isArray())
            {
                and.addAll((ArrayNode)must);
            }
            else
            {
                and.add(must);
            }
        }
        if (JsValues.isTruthy(bool.get("must_not")))
        {
            and.add(wrap("not", wrap("or", bool.get("must_not"))));
        }
        if (JsValues.isTruthy(bool.get("should")))
        {
            and.add(wrap("or", bool.get("should")));
        }
        if (JsValues.isTruthy(bool.get("should_not")))
        {
            and.add(wrap("not", wrap("and", bool.get("should_not"))));
        }
        return standardize(wrap("and", and), path);
    }

    private static ObjectNode wrap(final String keyword, final JsonNode value)
    {
        final ObjectNode node = NODES.objectNode();
        node.set(keyword, value);
        return node;
    }

    private FilterNode equals(final JsonNode filter, final String path)
    {
        isObject(filter, "equals", "equals", path, 1, false, null, null);
        final JsonNode equals = filter.get("equals");
        final String field = equals.fieldNames().next();
        final JsonNode value = equals.get(field);
        if (!Scalars.isScalar(value))
        {
            throw new FilterException(
                "must either be a string, a number, a boolean, or null", "equals", pathAdd(path, field));
        }
        return new FilterNode.Leaf(conditions.equalsCondition(field, value));
    }

    private FilterNode in(final JsonNode filter, final String path)
    {
        isObject(filter, "in", "in", path, 1, false, null, null);
        final JsonNode in = filter.get("in");
        final String field = in.fieldNames().next();
        isArray(in, field, "in", pathAdd(path, field), true, null);
        for (final JsonNode value : in.get(field))
        {
            // Koncorde's documentation says scalars, koncorde 4.7 takes strings only: Herald takes every scalar.
            if (!Scalars.isScalar(value))
            {
                throw new FilterException("must hold only scalar values (string, number, boolean or null)", "in",
                    pathAdd(path, field));
            }
        }
        return anyEquals(field, in.get(field));
    }

    private FilterNode ids(final JsonNode filter, final String path)
    {
        isObject(filter, "ids", "ids", path, 1, false, new String[] { "values" }, null);
        isArray(filter.get("ids"), "values", "ids", pathAdd(path, "values"), true, "string");
        return anyEquals("_id", filter.get("ids").get("values"));
    }

    private FilterNode anyEquals(final String field, final JsonNode values)
    {
        final List<FilterNode> operands = new ArrayList<>(values.size());
        for (final JsonNode value : values)
        {
            operands.add(new FilterNode.Leaf(conditions.equalsCondition(field, value)));
        }
        return new FilterNode.Or(operands);
    }

    private FilterNode range(final JsonNode filter, final String path)
    {
        isObject(filter, "range", "range", path, 1, false, null, null);
        final JsonNode range = filter.get("range");
        final String field = range.fieldNames().next();
        final String fieldPath = pathAdd(path, field);
        isObject(range, field, "range", fieldPath, -1, true, null, RANGE_ATTRIBUTES);

        double low = Double.NEGATIVE_INFINITY, high = Double.POSITIVE_INFINITY;
        boolean lowInclusive = false, highInclusive = false, hasLow = false, hasHigh = false;
        for (final Iterator<String> it = range.get(field).fieldNames(); it.hasNext(); )
        {
            final String key = it.next();
            final JsonNode value = range.get(field).get(key);
            if (!value.isNumber())
            {
                throw new FilterException("must be a number", "range", pathAdd(fieldPath, key));
            }
            if (key.startsWith("l"))
            {
                if (hasHigh)
                {
                    throw new FilterException("only 1 upper boundary allowed", "range", fieldPath);
                }
                hasHigh = true;
                high = value.doubleValue();
                highInclusive = key.equals("lte");
            }
            else
            {
                if (hasLow)
                {
                    throw new FilterException("only 1 lower boundary allowed", "range", fieldPath);
                }
                hasLow = true;
                low = value.doubleValue();
                lowInclusive = key.equals("gte");
            }
        }
        if (high <= low)
        {
            throw new FilterException(
                "lower boundary must be strictly inferior to the upper one", "range", fieldPath);
        }
        return new FilterNode.Leaf(conditions.rangeCondition(field, low, lowInclusive, high, highInclusive));
    }

    private FilterNode regexp(final JsonNode filter, final String path)
    {
        isObject(filter, "regexp", "regexp", path, 1, false, null, null);
        final JsonNode regexp = filter.get("regexp");
        final String field = regexp.fieldNames().next();
        final String fieldPath = pathAdd(path, field);
        final JsonNode spec = regexp.get(field);
        final JsonNode value;
        String flags = null;
        if (spec.isTextual())
        {
            value = spec;
        }
        else if (spec.isObject())
        {
            isObject(regexp, field, "regexp", fieldPath, -1, true, new String[] { "value" }, REGEXP_ATTRIBUTES);
            value = spec.get("value");
            if (JsValues.isTruthy(spec.get("flags")))
            {
                isString(spec, "flags", "regexp", pathAdd(fieldPath, "flags"));
                flags = spec.get("flags").textValue();
            }
        }
        else
        {
            throw new FilterException("must be either a string or a non-empty object", "regexp", fieldPath);
        }
        return new FilterNode.Leaf(conditions.regexpCondition(field, fieldPath, value, flags));
    }

    private FilterNode match(final JsonNode filter, final String path)
    {
        isObject(filter, "match", "match", path, -1, true, null, null);
        return new FilterNode.Leaf(conditions.matchCondition(filter.get("match")));
    }

    private FilterNode select(final JsonNode filter, final String path)
    {
        isObject(filter, "select", "select", path, 3, false, null, null);
        final JsonNode select = filter.get("select");
        isString(select, "field", "select", pathAdd(path, "field"));
        isInteger(select, "index", "select", pathAdd(path, "index"));
        final String queryPath = pathAdd(path, "query");
        isObject(select, "query", "select", queryPath, -1, true, null, null);
        final FilterNode query = standardize(select.get("query"), queryPath);
        final double index = select.get("index").doubleValue();
        final int position = (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, index));
        return new FilterNode.Leaf(conditions.selectCondition(
            select.get("field").textValue(), position, query, normalizer.normalize(query).canonical()));
    }
}
