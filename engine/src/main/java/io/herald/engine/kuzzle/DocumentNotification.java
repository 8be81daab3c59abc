package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Map;

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
    private static final String KUZZLE_INFO = "_kuzzle_info";

    private final byte[] prefix;

    private DocumentNotification(final byte[] prefix)
    {
        this.prefix = prefix;
    }

    /**
     * @param volatileJson the publisher's volatile as JSON, passed through unchanged (the SDK drops its own
     *                     notifications by {@code volatile.sdkInstanceId} when subscribeToSelf is false), or null.
     * @param documentId   the document id, or null.
     * @param sourceJson   the published body as JSON (with {@code _kuzzle_info} already added), written as is: the
     *                     edge serializes a body once, for the node and for the notification.
     */
    public static DocumentNotification of(
        final String index, final String collection, final String protocol, final String requestId,
        final long timestamp, final String node, final String volatileJson, final String documentId,
        final String sourceJson)
    {
        final JsonScratch scratch = JsonScratch.local();
        try
        {
            final JsonGenerator json = scratch.begin();
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
            if (null == volatileJson || volatileJson.isEmpty())
            {
                json.writeNull();
            }
            else
            {
                writeJson(scratch, json, volatileJson);
            }
            json.writeObjectFieldStart("result");
            if (null != documentId)
            {
                json.writeStringField("_id", documentId);
            }
            json.writeFieldName("_source");
            writeJson(scratch, json, sourceJson);
            json.writeEndObject();
            RoomFrames.endWithRoomPlaceholder(json);
            return new DocumentNotification(scratch.bytes(RoomFrames.PLACEHOLDER));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw scratch.failed(ex);
        }
    }

    /**
     * A published body as the notification's {@code _source} and the document nodes match: the body as JSON with
     * {@code _kuzzle_info} ({@code author}, {@code createdAt}) last, as Kuzzle adds it, or in the place of the body's
     * own {@code _kuzzle_info}, which Kuzzle replaces. Written once, field by field, without copying the tree.
     *
     * @param author the publisher's kuid, or null.
     */
    public static String source(final ObjectNode body, final String author, final long createdAt)
    {
        final JsonScratch scratch = JsonScratch.local();
        try
        {
            final JsonGenerator json = scratch.begin();
            json.writeStartObject();
            boolean replaced = false;
            for (final Map.Entry<String, JsonNode> field : body.properties())
            {
                json.writeFieldName(field.getKey());
                if (KUZZLE_INFO.equals(field.getKey()))
                {
                    // Kuzzle replaces a body's own _kuzzle_info, where it stands
                    writeKuzzleInfo(json, author, createdAt);
                    replaced = true;
                }
                else
                {
                    scratch.writeTree(json, field.getValue());
                }
            }
            if (!replaced)
            {
                json.writeFieldName(KUZZLE_INFO);
                writeKuzzleInfo(json, author, createdAt);
            }
            json.writeEndObject();
            return scratch.text();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw scratch.failed(ex);
        }
    }

    /**
     * {@link #source(ObjectNode, String, long)} from an object body's text as the client sent it, for a body without
     * its own {@code _kuzzle_info}: the text up to its closing brace, then {@code _kuzzle_info}, the body being neither
     * built nor written again.
     *
     * @param bodyText the body's JSON text ({@link KuzzleRequest#bodyText()}).
     */
    public static String source(final String bodyText, final String author, final long createdAt)
    {
        final int close = bodyText.lastIndexOf('}');
        final JsonScratch scratch = JsonScratch.local();
        final String info;
        try
        {
            final JsonGenerator json = scratch.begin();
            writeKuzzleInfo(json, author, createdAt);
            info = scratch.text();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw scratch.failed(ex);
        }
        int first = bodyText.indexOf('{') + 1;
        while (first < close && Character.isWhitespace(bodyText.charAt(first)))
        {
            first++;
        }
        final StringBuilder source = new StringBuilder(close + KUZZLE_INFO.length() + info.length() + 5)
            .append(bodyText, 0, close);
        if (first < close)
        {
            source.append(',');
        }
        return source.append('"').append(KUZZLE_INFO).append("\":").append(info).append('}').toString();
    }

    private static void writeKuzzleInfo(final JsonGenerator json, final String author, final long createdAt)
        throws IOException
    {
        json.writeStartObject();
        json.writeStringField("author", author);
        json.writeNumberField("createdAt", createdAt);
        json.writeEndObject();
    }

    /**
     * JSON text as is, unless it holds a lone surrogate (a client may send {@code "\ud800"}): the UTF-8 generator
     * refuses those in raw text, so such text is read and written as a tree, as before raw writing.
     */
    private static void writeJson(final JsonScratch scratch, final JsonGenerator json, final String text)
        throws IOException
    {
        if (hasLoneSurrogate(text))
        {
            scratch.writeTree(json, MAPPER.readTree(text));
        }
        else
        {
            json.writeRawValue(text);
        }
    }

    static boolean hasLoneSurrogate(final String text)
    {
        for (int i = 0, n = text.length(); i < n; i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                return true;
            }
        }
        return false;
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
