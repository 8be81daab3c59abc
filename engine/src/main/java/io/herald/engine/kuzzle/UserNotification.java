package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A user notification (someone joined or left a room), serialized once for all channels of the room that asked for
 * them; a frame is the shared prefix, the channel, and {@code "}"}:
 * <pre>
 * {"type":"user","user":"in"|"out","status":200,"controller":"realtime","action":"subscribe"|"unsubscribe",
 *  "index","collection","timestamp","volatile":&lt;the user's&gt;,"result":{"count"},"room":&lt;channel&gt;}
 * </pre>
 */
public final class UserNotification
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] prefix;

    private UserNotification(final byte[] prefix)
    {
        this.prefix = prefix;
    }

    public static UserNotification of(
        final boolean joined, final String index, final String collection, final long timestamp,
        final JsonNode volatileData, final int count)
    {
        final ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(buffer, JsonEncoding.UTF8))
        {
            json.setCodec(MAPPER);
            json.writeStartObject();
            json.writeStringField("type", "user");
            json.writeStringField("user", joined ? "in" : "out");
            json.writeNumberField("status", 200);
            json.writeStringField("controller", "realtime");
            json.writeStringField("action", joined ? "subscribe" : "unsubscribe");
            json.writeStringField("index", index);
            json.writeStringField("collection", collection);
            json.writeNumberField("timestamp", timestamp);
            json.writeFieldName("volatile");
            json.writeTree(volatileData);
            json.writeObjectFieldStart("result");
            json.writeNumberField("count", count);
            json.writeEndObject();
            RoomFrames.endWithRoomPlaceholder(json);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing to memory cannot fail", ex);
        }
        return new UserNotification(RoomFrames.prefix(buffer.toByteArray()));
    }

    /**
     * @return the frame for one channel.
     */
    public byte[] frame(final String channel)
    {
        return RoomFrames.frame(prefix, channel);
    }
}
