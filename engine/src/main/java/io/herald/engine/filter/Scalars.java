package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JavaScript strict equality between JSON scalars: no type coercion, 1 equals 1.0, objects and arrays never
 * equal a scalar.
 */
final class Scalars
{
    private Scalars()
    {
    }

    static boolean isScalar(final JsonNode node)
    {
        return node.isTextual() || node.isNumber() || node.isBoolean() || node.isNull();
    }

    static boolean strictEquals(final JsonNode a, final JsonNode b)
    {
        if (null == a || null == b)
        {
            return false;
        }
        if (a.isTextual())
        {
            return b.isTextual() && a.textValue().equals(b.textValue());
        }
        if (a.isNumber())
        {
            return b.isNumber() && a.doubleValue() == b.doubleValue();
        }
        if (a.isBoolean())
        {
            return b.isBoolean() && a.booleanValue() == b.booleanValue();
        }
        return a.isNull() && b.isNull();
    }
}
