package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.util.Arrays;

/**
 * Notifications are serialized once and sent to several channels: everything but the final {@code "room"} is a
 * shared prefix, and a channel's frame is that prefix, the channel as a JSON string, and {@code "}"}.
 */
final class RoomFrames
{
    static final int PLACEHOLDER = "null}".length();

    private RoomFrames()
    {
    }

    /**
     * Writes {@code "room":null} and closes the object: the generator then owns the comma before the field.
     */
    static void endWithRoomPlaceholder(final JsonGenerator json) throws IOException
    {
        json.writeFieldName("room");
        json.writeNull();
        json.writeEndObject();
    }

    /**
     * @param written a notification that ended with {@link #endWithRoomPlaceholder}.
     * @return the bytes up to and including {@code "room":}.
     */
    static byte[] prefix(final byte[] written)
    {
        return Arrays.copyOf(written, written.length - PLACEHOLDER);
    }

    static byte[] frame(final byte[] prefix, final String channel)
    {
        final byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(channel);
        final byte[] frame = Arrays.copyOf(prefix, prefix.length + quoted.length + 3);
        int i = prefix.length;
        frame[i++] = '"';
        System.arraycopy(quoted, 0, frame, i, quoted.length);
        i += quoted.length;
        frame[i++] = '"';
        frame[i] = '}';
        return frame;
    }
}
