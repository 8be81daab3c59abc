package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A document notification, serialized once per publish: every byte but the {@code room} (the channel) is shared
 * by all channels, so a frame for a channel is the shared prefix, the channel as a JSON string, and {@code "}"}.
 * <pre>
 * {"type":"document","status":200,"controller":"realtime","action":"publish","event":"publish","scope":"in",
 *  "index","collection","protocol","requestId","timestamp","node","volatile":&lt;publisher's, untouched&gt;,
 *  "result":{"_id"?,"_source":&lt;body&gt;},"room":&lt;channel&gt;}
 * </pre>
 */
public final class DocumentNotification
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final byte[] prefix;

    private DocumentNotification(final byte[] prefix)
    {
        this.prefix = prefix;
    }

    /**
     * @param volatileData the publisher's volatile, passed through unchanged (the SDK drops its own notifications
     *                     by {@code volatile.sdkInstanceId} when subscribeToSelf is false).
     * @param documentId   the document id, or null.
     * @param source       the published body (with {@code _kuzzle_info} already added).
     */
    public static DocumentNotification of(
        final String index, final String collection, final String protocol, final String requestId,
        final long timestamp, final String node, final JsonNode volatileData, final String documentId,
        final JsonNode source)
    {
        final ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        try (JsonGenerator json = FACTORY.createGenerator(buffer, JsonEncoding.UTF8))
        {
            json.setCodec(MAPPER);
            json.writeStartObject();
            json.writeStringField("type", "document");
            json.writeNumberField("status", 200);
            json.writeStringField("controller", "realtime");
            json.writeStringField("action", "publish");
            json.writeStringField("event", "publish");
            json.writeStringField("scope", "in");
            json.writeStringField("index", index);
            json.writeStringField("collection", collection);
            json.writeStringField("protocol", protocol);
            json.writeStringField("requestId", requestId);
            json.writeNumberField("timestamp", timestamp);
            json.writeStringField("node", node);
            json.writeFieldName("volatile");
            json.writeTree(volatileData);
            json.writeObjectFieldStart("result");
            if (null != documentId)
            {
                json.writeStringField("_id", documentId);
            }
            json.writeFieldName("_source");
            json.writeTree(source);
            json.writeEndObject();
            RoomFrames.endWithRoomPlaceholder(json);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing to memory cannot fail", ex);
        }
        return new DocumentNotification(RoomFrames.prefix(buffer.toByteArray()));
    }

    /**
     * @return the frame for one channel.
     */
    public byte[] frame(final String channel)
    {
        return RoomFrames.frame(prefix, channel);
    }

    /**
     * @return the shared bytes, ending with {@code "room":}; a transport appends {@code "<channel>"}} itself to
     * avoid a copy per channel.
     */
    public byte[] prefix()
    {
        return prefix;
    }
}
