package io.herald.engine.filter;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextTableTest
{
    @Test
    void hashIsStringHashCodeForEveryLength()
    {
        final Random random = new Random(7);
        for (int length = 0; length < 40; length++)
        {
            final char[] chars = new char[length + 6];
            for (int i = 0; i < chars.length; i++)
            {
                chars[i] = (char)random.nextInt(0x10000);
            }
            assertEquals(new String(chars, 3, length).hashCode(), TextTable.hash(chars, 3, length), "length " + length);
        }
    }

    @Test
    void agreesWithAHashMapThroughSeededPutsAndRemovals()
    {
        final Random random = new Random(11);
        final TextTable table = new TextTable();
        final Map<String, Integer> expected = new HashMap<>();
        // few distinct keys, many colliding slots: removals must keep every chain reachable
        for (int i = 0; i < 200_000; i++)
        {
            final String key = "k" + random.nextInt(3_000);
            if (random.nextInt(3) == 0)
            {
                table.remove(key);
                expected.remove(key);
            }
            else
            {
                table.put(key, i);
                expected.put(key, i);
            }
            final String probe = "k" + random.nextInt(3_000);
            final char[] chars = ("xx" + probe).toCharArray();
            final int hash = TextTable.hash(chars, 2, probe.length());
            assertEquals(expected.getOrDefault(probe, TextTable.MISSING), table.get(chars, 2, probe.length(), hash));
            assertEquals(expected.getOrDefault(probe, TextTable.MISSING), table.get(probe));
        }
        assertEquals(expected.size(), table.size());
    }
}
