package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Shape checks on filter JSON, with Koncorde's wording so that clients see the messages they know.
 */
final class JsonRules
{
    private JsonRules()
    {
    }

    static String pathAdd(final String path, final String leaf)
    {
        return null == path ? leaf : path + '.' + leaf;
    }

    /**
     * Checks that {@code container[property]} is an object.
     *
     * @param properties exact number of properties required, or -1.
     * @param nonEmpty   whether it must have at least one property.
     * @param required   properties that must be present (JSON null counts as present), or null.
     * @param allowed    the only properties allowed, or null.
     */
    static void isObject(
        final JsonNode container,
        final String property,
        final String keyword,
        final String path,
        final int properties,
        final boolean nonEmpty,
        final String[] required,
        final String[] allowed)
    {
        final JsonNode value = container.get(property);
        if (null == value || !value.isObject())
        {
            throw new FilterException("must be an object", keyword, path);
        }
        final int size = value.size();
        if (nonEmpty && size == 0)
        {
            throw new FilterException("must be a non-empty object", keyword, path);
        }
        if (properties > 0 && size != properties)
        {
            throw new FilterException("expected object to have exactly " + properties + " propert" +
                (properties > 1 ? "ies" : "y") + ", got " + size, keyword, path);
        }
        if (null != required)
        {
            for (final String name : required)
            {
                if (!value.has(name))
                {
                    throw new FilterException("the property \"" + name + "\" is missing", keyword, path);
                }
            }
        }
        if (null != allowed)
        {
            value.fieldNames().forEachRemaining(
                (name) ->
                {
                    for (final String permitted : allowed)
                    {
                        if (permitted.equals(name))
                        {
                            return;
                        }
                    }
                    throw new FilterException("\"" + name + "\" is not an allowed attribute (allowed: " +
                        String.join(",", allowed) + ")", keyword, path);
                });
        }
    }

    /**
     * Checks that {@code container[property]} is an array.
     *
     * @param type "string" when every element must be a string, or null.
     */
    static void isArray(
        final JsonNode container,
        final String property,
        final String keyword,
        final String path,
        final boolean nonEmpty,
        final String type)
    {
        final JsonNode value = container.get(property);
        if (null == value || !value.isArray())
        {
            throw new FilterException("must be an array", keyword, path);
        }
        if (nonEmpty && value.size() == 0)
        {
            throw new FilterException("cannot be empty", keyword, path);
        }
        if ("string".equals(type))
        {
            for (final JsonNode element : value)
            {
                if (!element.isTextual())
                {
                    throw new FilterException("must hold only values of type \"string\"", keyword, path);
                }
            }
        }
    }

    static void isString(final JsonNode container, final String property, final String keyword, final String path)
    {
        final JsonNode value = container.get(property);
        if (null == value || !value.isTextual())
        {
            throw new FilterException("must be a string", keyword, path);
        }
        if (value.textValue().isEmpty())
        {
            throw new FilterException("cannot be empty", keyword, path);
        }
    }

    static void isInteger(final JsonNode container, final String property, final String keyword, final String path)
    {
        final JsonNode value = container.get(property);
        if (null == value || !value.isNumber())
        {
            throw new FilterException("must be an integer", keyword, path);
        }
        final double number = value.doubleValue();
        if (Math.floor(number) != number)
        {
            throw new FilterException("cannot have decimals, must be an integer", keyword, path);
        }
    }

    /**
     * {@code JSON.stringify} of a value as Koncorde prints it inside messages (numbers the JavaScript way).
     */
    static String stringify(final JsonNode value)
    {
        if (null == value)
        {
            return "undefined";
        }
        if (value.isNumber())
        {
            return Canonical.number(value.doubleValue());
        }
        if (value.isObject())
        {
            final StringBuilder out = new StringBuilder("{");
            value.fields().forEachRemaining(
                (entry) ->
                {
                    if (out.length() > 1)
                    {
                        out.append(',');
                    }
                    out.append(Canonical.string(entry.getKey())).append(':').append(stringify(entry.getValue()));
                });
            return out.append('}').toString();
        }
        if (value.isArray())
        {
            final StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++)
            {
                out.append(i > 0 ? "," : "").append(stringify(value.get(i)));
            }
            return out.append(']').toString();
        }
        return value.toString();
    }
}
