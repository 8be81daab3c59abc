package io.herald.engine.filter;

import java.util.Arrays;

/**
 * String to int, looked up by a range of characters so that a document's strings are found without making a
 * {@link String} of them. Open addressing with linear probing; stored hashes are compared before keys, so a miss
 * (most published values match no filter) rarely touches a key. Removal shifts the following entries back, so no
 * tombstones build up.
 */
final class TextTable
{
    static final int MISSING = -1;

    private String[] keys = new String[16];
    private int[] hashes = new int[16];
    private int[] values = new int[16];
    private int size;

    int size()
    {
        return size;
    }

    /**
     * @param hash {@link #hash} of the characters.
     */
    int get(final char[] chars, final int offset, final int length, final int hash)
    {
        final int mask = keys.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask)
        {
            final String key = keys[slot];
            if (null == key)
            {
                return MISSING;
            }
            if (hashes[slot] == hash && sameText(key, chars, offset, length))
            {
                return values[slot];
            }
        }
    }

    int get(final String text)
    {
        final int slot = find(text);
        return slot < 0 ? MISSING : values[slot];
    }

    void put(final String text, final int value)
    {
        final int slot = find(text);
        if (slot >= 0)
        {
            values[slot] = value;
            return;
        }
        if ((size + 1) * 2 > keys.length)
        {
            rehash(keys.length * 2);
        }
        insert(text, text.hashCode(), value);
        size++;
    }

    void remove(final String text)
    {
        int slot = find(text);
        if (slot < 0)
        {
            return;
        }
        final int mask = keys.length - 1;
        keys[slot] = null;
        size--;
        for (int next = (slot + 1) & mask; null != keys[next]; next = (next + 1) & mask)
        {
            final int home = spread(hashes[next]) & mask;
            // move the entry back into the hole when its home is not between the hole and it (cyclically)
            if (((next - home) & mask) >= ((next - slot) & mask))
            {
                keys[slot] = keys[next];
                hashes[slot] = hashes[next];
                values[slot] = values[next];
                keys[next] = null;
                slot = next;
            }
        }
    }

    private int find(final String text)
    {
        final int hash = text.hashCode();
        final int mask = keys.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask)
        {
            final String key = keys[slot];
            if (null == key)
            {
                return -1;
            }
            if (hashes[slot] == hash && key.equals(text))
            {
                return slot;
            }
        }
    }

    private void insert(final String text, final int hash, final int value)
    {
        final int mask = keys.length - 1;
        int slot = spread(hash) & mask;
        while (null != keys[slot])
        {
            slot = (slot + 1) & mask;
        }
        keys[slot] = text;
        hashes[slot] = hash;
        values[slot] = value;
    }

    private void rehash(final int capacity)
    {
        final String[] oldKeys = keys;
        final int[] oldHashes = hashes;
        final int[] oldValues = values;
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (null != oldKeys[i])
            {
                insert(oldKeys[i], oldHashes[i], oldValues[i]);
            }
        }
    }

    /**
     * {@link String#hashCode()} of the characters, four at a time: the four products are independent, so the
     * processor overlaps them instead of waiting on one multiply per character (Java 17's {@code String} does not).
     */
    static int hash(final char[] chars, final int offset, final int length)
    {
        int hash = 0;
        int i = offset;
        for (final int end = offset + (length & ~3); i < end; i += 4)
        {
            hash = 923_521 * hash + 29_791 * chars[i] + 961 * chars[i + 1] + 31 * chars[i + 2] + chars[i + 3];
        }
        for (final int end = offset + length; i < end; i++)
        {
            hash = 31 * hash + chars[i];
        }
        return hash;
    }

    private static int spread(final int hash)
    {
        return hash ^ (hash >>> 16);
    }

    private static boolean sameText(final String key, final char[] chars, final int offset, final int length)
    {
        if (key.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (key.charAt(i) != chars[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    public String toString()
    {
        return "TextTable" + Arrays.toString(keys);
    }
}
