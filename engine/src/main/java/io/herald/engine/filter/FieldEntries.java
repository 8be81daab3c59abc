package io.herald.engine.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-field state of an operand index: a map for registration, and a list walked by index at match time (no
 * iterator allocated).
 *
 * @param <E> the per-field state.
 */
final class FieldEntries<E>
{
    private final Map<String, E> byPath = new HashMap<>();
    final ArrayList<FieldPath> paths = new ArrayList<>();
    final ArrayList<E> entries = new ArrayList<>();

    E getOrCreate(final FieldPath path, final Function<FieldPath, E> factory)
    {
        E entry = byPath.get(path.path());
        if (null == entry)
        {
            entry = factory.apply(path);
            byPath.put(path.path(), entry);
            paths.add(path);
            entries.add(entry);
        }
        return entry;
    }

    E get(final FieldPath path)
    {
        return byPath.get(path.path());
    }

    void remove(final FieldPath path)
    {
        if (null != byPath.remove(path.path()))
        {
            final int i = paths.indexOf(path);
            paths.remove(i);
            entries.remove(i);
        }
    }

    int size()
    {
        return entries.size();
    }
}
