package io.herald.engine.filter;

import java.util.Arrays;

/**
 * A growable list of ints that can append a slice of an array in one copy.
 */
final class IntList
{
    private int[] values = new int[64];
    private int size;

    int size()
    {
        return size;
    }

    int get(final int i)
    {
        return values[i];
    }

    void clear()
    {
        size = 0;
    }

    void add(final int value)
    {
        if (size == values.length)
        {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(final int[] source, final int from, final int to)
    {
        final int count = to - from;
        if (size + count > values.length)
        {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + count));
        }
        System.arraycopy(source, from, values, size, count);
        size += count;
    }
}
