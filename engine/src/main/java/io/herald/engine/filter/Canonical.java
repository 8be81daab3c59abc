package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical text of JSON values inside condition keys: object keys sorted, numbers written one way whatever
 * their JSON spelling (1, 1.0 and 1e0 are the same JavaScript number). Filter ids are hashes of this text, so it
 * must never change for a given filter.
 */
final class Canonical
{
    private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

    private Canonical()
    {
    }

    static String number(final double value)
    {
        if (value == 0)
        {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }

    static String string(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length() + 2);
        appendString(out, value);
        return out.toString();
    }

    /**
     * A JSON string literal: quotes, backslashes and control characters escaped, nothing else.
     */
    static void appendString(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }

    static String json(final JsonNode node)
    {
        final StringBuilder out = new StringBuilder();
        append(out, node);
        return out.toString();
    }

    static void append(final StringBuilder out, final JsonNode node)
    {
        if (node.isNumber())
        {
            out.append(number(node.doubleValue()));
        }
        else if (node.isObject())
        {
            final List<String> names = new ArrayList<>();
            for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
            {
                names.add(it.next());
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                appendString(out, names.get(i));
                out.append(':');
                append(out, node.get(names.get(i)));
            }
            out.append('}');
        }
        else if (node.isArray())
        {
            out.append('[');
            for (int i = 0; i < node.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                append(out, node.get(i));
            }
            out.append(']');
        }
        else if (node.isTextual())
        {
            appendString(out, node.textValue());
        }
        else
        {
            out.append(node.isNull() ? "null" : node.isBoolean() ? String.valueOf(node.booleanValue()) :
                node.toString());
        }
    }
}
