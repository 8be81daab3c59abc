package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Per-field state of an operand index, and the fields of a document that have such state.
 * <p>
 * {@link #resolve(JsonNode)} finds which registered fields a document holds. With few registered fields it looks
 * each one up; with more registered fields than the document has top-level keys it walks the document instead,
 * along a trie of the registered paths, so that 10,000 filters on 10,000 different fields cost what the document
 * holds, not what is registered.
 *
 * @param <E> the per-field state.
 */
final class FieldEntries<E>
{
    private static final class Trie
    {
        final HashMap<String, Trie> children = new HashMap<>();
        int entry = -1;
    }

    private final Map<String, E> byPath = new HashMap<>();
    private int count;
    private final Trie root = new Trie();
    private FieldPath[] pathArray = new FieldPath[0];
    private Object[] entryArray = new Object[0];

    private int[] presentEntries = new int[16];
    private JsonNode[] presentValues = new JsonNode[16];
    private int[] seenEpoch = new int[16];
    private int epoch;
    private int presentCount;

    E getOrCreate(final FieldPath path, final Function<FieldPath, E> factory)
    {
        E entry = byPath.get(path.path());
        if (null == entry)
        {
            entry = factory.apply(path);
            byPath.put(path.path(), entry);
            final int index = count++;
            trieNode(path.path(), true).entry = index;
            if (index == pathArray.length)
            {
                pathArray = Arrays.copyOf(pathArray, Math.max(4, index * 2));
                entryArray = Arrays.copyOf(entryArray, Math.max(4, index * 2));
            }
            pathArray[index] = path;
            entryArray[index] = entry;
            if (count > seenEpoch.length)
            {
                seenEpoch = Arrays.copyOf(seenEpoch, seenEpoch.length * 2);
            }
        }
        return entry;
    }

    E get(final FieldPath path)
    {
        return byPath.get(path.path());
    }

    void remove(final FieldPath path)
    {
        if (null == byPath.remove(path.path()))
        {
            return;
        }
        final int i = trieNode(path.path(), false).entry;
        final int last = --count;
        trieNode(path.path(), false).entry = -1;
        if (i != last)
        {
            trieNode(pathArray[last].path(), false).entry = i;
        }
        pathArray[i] = pathArray[last];
        entryArray[i] = entryArray[last];
        pathArray[last] = null;
        entryArray[last] = null;
    }

    int size()
    {
        return count;
    }

    /**
     * Finds the registered fields present in a document; read them with {@link #presentEntry(int)} and
     * {@link #presentValue(int)}, for indexes below the returned count. Valid until the next call.
     *
     * @return how many registered fields the document holds.
     */
    int resolve(final JsonNode document)
    {
        presentCount = 0;
        final int registered = count;
        if (registered <= 4 || registered <= document.size())
        {
            final FieldPath[] all = pathArray;
            for (int i = 0; i < registered; i++)
            {
                final JsonNode value = all[i].resolve(document);
                if (null != value)
                {
                    record(i, value);
                }
            }
        }
        else if (document.isObject())
        {
            if (++epoch == Integer.MAX_VALUE)
            {
                Arrays.fill(seenEpoch, 0);
                epoch = 1;
            }
            walk((ObjectNode)document, root, 0);
        }
        return presentCount;
    }

    @SuppressWarnings("unchecked")
    E presentEntry(final int i)
    {
        return (E)entryArray[presentEntries[i]];
    }

    JsonNode presentValue(final int i)
    {
        return presentValues[i];
    }

    /**
     * Walks one object level along the trie. {@code ObjectNode.forEachEntry} iterates the underlying
     * {@code LinkedHashMap} without an iterator object, and visitors are kept per depth, so the walk allocates
     * nothing once the deepest level was seen.
     */
    private static final class Visitor implements BiConsumer<String, JsonNode>
    {
        final FieldEntries<?> owner;
        final int depth;
        Trie trie;

        Visitor(final FieldEntries<?> owner, final int depth)
        {
            this.owner = owner;
            this.depth = depth;
        }

        public void accept(final String key, final JsonNode value)
        {
            final Trie child = child(trie, key);
            if (null == child)
            {
                return;
            }
            owner.see(child, value);
            if (!child.children.isEmpty() && value.isObject())
            {
                owner.walk((ObjectNode)value, child, depth + 1);
            }
        }
    }

    private Visitor[] visitors = new Visitor[0];

    private void see(final Trie child, final JsonNode value)
    {
        if (child.entry >= 0 && seenEpoch[child.entry] != epoch)
        {
            seenEpoch[child.entry] = epoch;
            record(child.entry, value);
        }
    }

    private void walk(final ObjectNode object, final Trie trie, final int depth)
    {
        if (depth == visitors.length)
        {
            visitors = Arrays.copyOf(visitors, depth + 1);
            visitors[depth] = new Visitor(this, depth);
        }
        final Visitor visitor = visitors[depth];
        final Trie saved = visitor.trie;
        visitor.trie = trie;
        object.forEachEntry(visitor);
        visitor.trie = saved;
    }

    private static Trie child(final Trie trie, final String key)
    {
        return key.indexOf('.') < 0 ? trie.children.get(key) : dotted(trie, key);
    }

    private static Trie dotted(final Trie from, final String key)
    {
        Trie trie = from;
        for (final String segment : key.split("\\.", -1))
        {
            trie = trie.children.get(segment);
            if (null == trie)
            {
                return null;
            }
        }
        return trie;
    }

    private void record(final int entry, final JsonNode value)
    {
        if (presentCount == presentEntries.length)
        {
            presentEntries = Arrays.copyOf(presentEntries, presentCount * 2);
            presentValues = Arrays.copyOf(presentValues, presentCount * 2);
        }
        presentEntries[presentCount] = entry;
        presentValues[presentCount] = value;
        presentCount++;
    }

    private Trie trieNode(final String path, final boolean create)
    {
        Trie trie = root;
        for (final String segment : path.split("\\.", -1))
        {
            Trie child = trie.children.get(segment);
            if (null == child)
            {
                if (!create)
                {
                    throw new IllegalStateException("no field " + path);
                }
                child = new Trie();
                trie.children.put(segment, child);
            }
            trie = child;
        }
        return trie;
    }
}
