package io.herald.engine.filter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-field state of an operand index, and the fields of a document that have such state.
 * <p>
 * {@link #resolve(Document)} finds which registered fields a document holds. With few registered fields it looks
 * each one up; with more it walks the document instead, along a trie of the registered paths, so that 10,000
 * filters on 10,000 different fields cost what the document holds, not what is registered.
 *
 * @param <E> the per-field state.
 */
final class FieldEntries<E>
{
    private static final class Trie
    {
        final HashMap<String, Trie> children = new HashMap<>();
        int entry = -1;
        /**
         * A child has children of its own: only then can a member name with dots ({@code "a.b"}) lead anywhere from
         * here. Set when such a path is registered, never reset (nodes stay when paths go): a hint that errs safe.
         */
        boolean deep;
    }

    /**
     * Up to this many registered fields, each is looked up; above, the document is walked once. A lookup scans an
     * object's members, so beyond a few fields one walk costs less. (4 is the threshold the tree version used for
     * small documents; not tuned again for the flat document.)
     */
    private static final int LOOKUPS_UP_TO = 4;

    private final Map<String, E> byPath = new HashMap<>();
    private int count;
    private final Trie root = new Trie();
    private FieldPath[] pathArray = new FieldPath[0];
    private Object[] entryArray = new Object[0];

    private int[] presentEntries = new int[16];
    private int[] presentValues = new int[16];
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
    int resolve(final Document document)
    {
        presentCount = 0;
        final int registered = count;
        final int root = document.root();
        if (!document.isObject(root))
        {
            return 0;
        }
        if (registered == 1)
        {
            // the usual case of an index's operand (one field per kind): no loop, one store of the count
            final int value = pathArray[0].resolve(document);
            if (value == Document.NONE)
            {
                return 0;
            }
            presentEntries[0] = 0;
            presentValues[0] = value;
            return presentCount = 1;
        }
        if (registered <= LOOKUPS_UP_TO)
        {
            final FieldPath[] all = pathArray;
            for (int i = 0; i < registered; i++)
            {
                final int value = all[i].resolve(document);
                if (value != Document.NONE)
                {
                    record(i, value);
                }
            }
        }
        else
        {
            if (++epoch == Integer.MAX_VALUE)
            {
                Arrays.fill(seenEpoch, 0);
                epoch = 1;
            }
            walk(document, root, this.root);
        }
        return presentCount;
    }

    @SuppressWarnings("unchecked")
    E presentEntry(final int i)
    {
        return (E)entryArray[presentEntries[i]];
    }

    int presentValue(final int i)
    {
        return presentValues[i];
    }

    /**
     * Walks one object level along the trie: a document costs what it holds, not what is registered.
     */
    private void walk(final Document document, final int object, final Trie trie)
    {
        for (int member = document.first(object); member != Document.NONE; member = document.next(object, member))
        {
            final Trie child = child(trie, document.name(member));
            if (null == child)
            {
                continue;
            }
            if (child.entry >= 0 && seenEpoch[child.entry] != epoch)
            {
                seenEpoch[child.entry] = epoch;
                record(child.entry, member);
            }
            if (!child.children.isEmpty() && document.isObject(member))
            {
                walk(document, member, child);
            }
        }
    }

    private static Trie child(final Trie trie, final String key)
    {
        // children's keys hold no dots: below a node whose children are leaves, a dotted name finds nothing either
        // way, so the name is not scanned for dots (most indexes register no nested path)
        return !trie.deep || key.indexOf('.') < 0 ? trie.children.get(key) : dotted(trie, key);
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

    private void record(final int entry, final int value)
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
        Trie parent = null;
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
                if (null != parent)
                {
                    parent.deep = true;
                }
            }
            parent = trie;
            trie = child;
        }
        return trie;
    }
}
