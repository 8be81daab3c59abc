package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code match}: the document contains the given object. Top-level keys are field paths (dots reach nested
 * objects); below them, objects must contain the given keys and values, arrays must contain the given elements
 * (each matched by a distinct one), scalars must be strictly equal.
 */
final class MatchCondition extends Condition
{
    private final FieldPath[] paths;
    private final JsonNode[] expected;

    MatchCondition(final JsonNode value)
    {
        super(Kind.MATCH, null, "match " + Canonical.json(value));
        final List<FieldPath> pathList = new ArrayList<>();
        final List<JsonNode> valueList = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> entry = it.next();
            pathList.add(new FieldPath(entry.getKey()));
            valueList.add(entry.getValue());
        }
        paths = pathList.toArray(new FieldPath[0]);
        expected = valueList.toArray(new JsonNode[0]);
    }

    boolean test(final JsonNode document)
    {
        for (int i = 0; i < paths.length; i++)
        {
            if (!matchAny(paths[i].resolve(document), expected[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean matchAny(final JsonNode actual, final JsonNode wanted)
    {
        if (null == actual)
        {
            return false;
        }
        if (wanted.isObject())
        {
            return actual.isObject() && matchObject(actual, wanted);
        }
        if (wanted.isArray())
        {
            return actual.isArray() && matchArray(actual, wanted);
        }
        return Scalars.strictEquals(actual, wanted);
    }

    private static boolean matchObject(final JsonNode actual, final JsonNode wanted)
    {
        for (final Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> entry = it.next();
            if (!matchAny(actual.get(entry.getKey()), entry.getValue()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Every wanted element is matched by a distinct actual element: a bipartite matching (augmenting paths), so
     * that the answer does not depend on element order (Koncorde's first-fit can miss a valid assignment).
     */
    private static boolean matchArray(final JsonNode actual, final JsonNode wanted)
    {
        final int wantedSize = wanted.size();
        final int actualSize = actual.size();
        if (actualSize < wantedSize)
        {
            return false;
        }
        final boolean[][] fits = new boolean[wantedSize][actualSize];
        for (int i = 0; i < wantedSize; i++)
        {
            for (int j = 0; j < actualSize; j++)
            {
                fits[i][j] = matchAny(actual.get(j), wanted.get(i));
            }
        }
        final int[] owner = new int[actualSize];
        Arrays.fill(owner, -1);
        for (int i = 0; i < wantedSize; i++)
        {
            if (!assign(i, fits, owner, new boolean[actualSize]))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean assign(final int wanted, final boolean[][] fits, final int[] owner, final boolean[] seen)
    {
        for (int j = 0; j < owner.length; j++)
        {
            if (fits[wanted][j] && !seen[j])
            {
                seen[j] = true;
                if (owner[j] < 0 || assign(owner[j], fits, owner, seen))
                {
                    owner[j] = wanted;
                    return true;
                }
            }
        }
        return false;
    }
}
