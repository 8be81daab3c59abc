package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

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
        return new TextNode(value).toString();
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
                out.append(string(names.get(i))).append(':');
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
        else
        {
            out.append(node.toString());
        }
    }
}
