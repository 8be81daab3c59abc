package io.herald.transport.node;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A text field of a request kept as its UTF-8 bytes in a reused array, so that a publish's request id, volatile data
 * and document id are carried to other edges without becoming {@link String}s.
 */
final class FieldBytes
{
    private byte[] bytes = new byte[64];
    private int length;

    /**
     * @param field the field, wrapped by an SBE decoder's {@code wrapXxx}.
     */
    void copy(final DirectBuffer field)
    {
        length = field.capacity();
        if (length > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(length, bytes.length * 2));
        }
        field.getBytes(0, bytes, 0, length);
    }

    byte[] bytes()
    {
        return bytes;
    }

    int length()
    {
        return length;
    }

    public String toString()
    {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
