package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A dotted field path ({@code "a.b.c"}), resolved the way Koncorde flattens a document: a path reaches into nested
 * objects, a key may itself contain dots ({@code {"a.b": 1}} answers {@code "a.b"}), and arrays are never
 * descended into. Every candidate key is computed once, so resolving does not allocate.
 */
public final class FieldPath
{
    private final String path;
    private final int segments;
    private final String[][] keys;

    public FieldPath(final String path)
    {
        this.path = path.intern();
        final String[] parts = path.split("\\.", -1);
        this.segments = parts.length;
        this.keys = new String[segments][];
        for (int start = 0; start < segments; start++)
        {
            keys[start] = new String[segments - start];
            final StringBuilder key = new StringBuilder();
            for (int end = start; end < segments; end++)
            {
                if (end > start)
                {
                    key.append('.');
                }
                key.append(parts[end]);
                // interned, as the document parser's names are: a lookup then mostly compares references
                keys[start][end - start] = key.toString().intern();
            }
        }
    }

    /**
     * @return the path as written in the filter.
     */
    public String path()
    {
        return path;
    }

    /**
     * The value at this path in a document.
     *
     * @param document the document root.
     * @return the value (possibly a JSON null), or null when the path is absent.
     */
    public JsonNode resolve(final JsonNode document)
    {
        if (!(document instanceof ObjectNode))
        {
            return null;
        }
        if (segments == 1)
        {
            return ((ObjectNode)document).get(path);
        }
        return resolve(document, 0);
    }

    /**
     * The value at this path in a flat document.
     *
     * @return the value's handle, or {@link Document#NONE} when the path is absent.
     */
    public int resolve(final Document document)
    {
        final int root = document.root();
        if (!document.isObject(root))
        {
            return Document.NONE;
        }
        if (segments == 1)
        {
            return document.member(root, path);
        }
        return resolve(document, root, 0);
    }

    private int resolve(final Document document, final int object, final int start)
    {
        final String[] candidates = keys[start];
        for (int i = 0; i < candidates.length; i++)
        {
            final int child = document.member(object, candidates[i]);
            if (child != Document.NONE)
            {
                final int next = start + i + 1;
                if (next == segments)
                {
                    return child;
                }
                if (document.isObject(child))
                {
                    final int found = resolve(document, child, next);
                    if (found != Document.NONE)
                    {
                        return found;
                    }
                }
            }
        }
        return Document.NONE;
    }

    private JsonNode resolve(final JsonNode node, final int start)
    {
        final String[] candidates = keys[start];
        for (int i = 0; i < candidates.length; i++)
        {
            final JsonNode child = node.get(candidates[i]);
            if (null != child)
            {
                final int next = start + i + 1;
                if (next == segments)
                {
                    return child;
                }
                if (child.isObject())
                {
                    final JsonNode found = resolve(child, next);
                    if (null != found)
                    {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    public boolean equals(final Object o)
    {
        return o instanceof FieldPath && ((FieldPath)o).path.equals(path);
    }

    public int hashCode()
    {
        return path.hashCode();
    }

    public String toString()
    {
        return path;
    }
}
