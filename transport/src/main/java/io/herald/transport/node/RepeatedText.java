package io.herald.transport.node;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 text fields that repeat from one message to the next (index and collection names, an edge's answer
 * channel) to the same {@code String} while their bytes are the same, so that a steady stream of publishes decodes
 * them without allocating. A small direct-mapped cache: a slot keeps the last text whose bytes hashed to it; a
 * collision costs one decode, never a wrong answer (the bytes are compared). Texts longer than
 * {@link #MAX_CACHED_LENGTH} bytes are decoded every time. Not thread-safe.
 */
final class RepeatedText
{
    static final int MAX_CACHED_LENGTH = 256;
    private static final int SLOTS = 64;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];

    /**
     * @param field the field's bytes, e.g. wrapped by an SBE decoder's {@code wrapXxx}.
     * @return the field as text.
     */
    String decode(final DirectBuffer field)
    {
        final int length = field.capacity();
        if (0 == length)
        {
            return "";
        }
        if (length > MAX_CACHED_LENGTH)
        {
            return field.getStringWithoutLengthUtf8(0, length);
        }
        int hash = length;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + field.getByte(i);
        }
        final int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        final byte[] cached = bytes[slot];
        if (null != cached && same(cached, field, length))
        {
            return texts[slot];
        }
        final byte[] copy = new byte[length];
        field.getBytes(0, copy);
        bytes[slot] = copy;
        texts[slot] = new String(copy, StandardCharsets.UTF_8);
        return texts[slot];
    }

    private static boolean same(final byte[] cached, final DirectBuffer field, final int length)
    {
        if (cached.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (cached[i] != field.getByte(i))
            {
                return false;
            }
        }
        return true;
    }
}
