package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * How clients' JSON is read, once, at the edge, by every protocol plugin. Requests are limited in depth
 * ({@link #MAX_DEPTH} levels, the request object itself being the first), so that everything Herald builds from them
 * (notifications wrap a document two levels deeper, responses a volatile one level deeper) stays far inside what its
 * serializers accept (Jackson writes at most 1,000 levels) and what the filter engine walks.
 */
public final class RequestJson
{
    /** Nesting levels a request may have: its body may nest {@code MAX_DEPTH - 1} levels. */
    public static final int MAX_DEPTH = 100;

    private static final ObjectMapper REQUESTS = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .build());

    /** Skips nested values without depth limit (skipping does not recurse): finds a request id however deep. */
    private static final JsonFactory LENIENT = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
        .build();

    private RequestJson()
    {
    }

    /**
     * @return the parsed frame.
     * @throws IOException when it is not JSON, or nests deeper than {@link #MAX_DEPTH}.
     */
    public static JsonNode read(final InputStream frame) throws IOException
    {
        return REQUESTS.readTree(frame);
    }

    /**
     * A frame read for the edge: its members as a tree, except an object {@code body}, kept as the text the client
     * sent. A publish's body goes on to the nodes and into notifications as that text, without a tree being built or
     * written again; other actions read the body as a tree when they ask for it ({@link KuzzleRequest#body()}).
     *
     * @param tree             the frame as {@link #read(InputStream)} reads it, without {@code body} when
     *                         {@code bodyText} holds it.
     * @param bodyText         the top-level {@code body}'s JSON text as sent, when it is an object (the last
     *                         {@code body} member, as in a tree), or null.
     * @param bodyKuzzleInfo   whether that body has a top-level {@code _kuzzle_info} member (Kuzzle replaces it).
     */
    public record Frame(JsonNode tree, String bodyText, boolean bodyKuzzleInfo)
    {
    }

    /**
     * Reads a frame as {@link #read(InputStream)} does (same values, same limits, same errors), keeping an object
     * {@code body} as its text: the body is only tokenized (checked, not built).
     *
     * @throws IOException when it is not JSON, or nests deeper than {@link #MAX_DEPTH}.
     */
    public static Frame readFrame(final byte[] frame, final int offset, final int length) throws IOException
    {
        try (JsonParser parser = REQUESTS.getFactory().createParser(frame, offset, length))
        {
            final JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT)
            {
                return notAnObject(first, parser, frame, offset, length);
            }
            final ObjectNode tree = REQUESTS.getNodeFactory().objectNode();
            Frame body = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("body".equals(name))
                {
                    tree.remove(name);
                    body = null;
                    if (value == JsonToken.START_OBJECT)
                    {
                        body = objectText(parser, frame, offset);
                        continue;
                    }
                }
                tree.set(name, value(parser, value));
            }
            if (token != JsonToken.END_OBJECT)
            {
                throw new JsonParseException(parser, "Unexpected end-of-input: expected close marker for Object");
            }
            return null == body ? new Frame(tree, null, false) :
                new Frame(tree, body.bodyText(), body.bodyKuzzleInfo());
        }
    }

    /**
     * Reads a request's body sent on its own (an HTTP request's content), as {@link #read(InputStream)} does, keeping
     * it as its text when it is an object, as {@link #readFrame} keeps a frame's body.
     *
     * @return the body: {@code tree} null and {@code bodyText} set for an object, else {@code tree} set.
     * @throws IOException when it is not JSON, or nests deeper than {@link #MAX_DEPTH}.
     */
    public static Frame readBodyAlone(final byte[] body, final int offset, final int length) throws IOException
    {
        try (JsonParser parser = REQUESTS.getFactory().createParser(body, offset, length))
        {
            final JsonToken first = parser.nextToken();
            return first == JsonToken.START_OBJECT ? objectText(parser, body, offset) :
                notAnObject(first, parser, body, offset, length);
        }
    }

    /**
     * @return a body's tree from the text {@link #readFrame} kept (already read once: it cannot fail).
     */
    public static JsonNode readBody(final String bodyText)
    {
        try
        {
            return REQUESTS.readTree(bodyText);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Skips the object the parser is at (its tokens are still checked, nesting included), keeping its text.
     *
     * @return the object's text and whether one of its own members is named {@code _kuzzle_info}; no tree.
     */
    private static Frame objectText(final JsonParser parser, final byte[] bytes, final int offset) throws IOException
    {
        final int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        boolean kuzzleInfo = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            kuzzleInfo |= "_kuzzle_info".equals(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
        }
        final int end = Math.toIntExact(parser.currentLocation().getByteOffset());
        return new Frame(null, new String(bytes, offset + start, end - start, StandardCharsets.UTF_8), kuzzleInfo);
    }

    /**
     * @return input whose first token is not an object's, read as a whole tree as {@link #read(InputStream)} does
     *         (nothing, a scalar, an array).
     */
    private static Frame notAnObject(
        final JsonToken first, final JsonParser parser, final byte[] bytes, final int offset, final int length)
        throws IOException
    {
        return new Frame(null == first ? REQUESTS.readTree(bytes, offset, length) : REQUESTS.readTree(parser), null,
            false);
    }

    /**
     * The value the parser is at, as the object mapper's tree holds it (scalars without its per-call setup).
     */
    private static JsonNode value(final JsonParser parser, final JsonToken token) throws IOException
    {
        final JsonNodeFactory nodes = REQUESTS.getNodeFactory();
        switch (token)
        {
            case VALUE_STRING:
                return nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType())
                {
                    case INT:
                        return nodes.numberNode(parser.getIntValue());
                    case LONG:
                        return nodes.numberNode(parser.getLongValue());
                    default:
                        return nodes.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                return REQUESTS.readTree(parser);
        }
    }

    /**
     * @return a tree as JSON text, as {@code ObjectMapper.writeValueAsString} writes it, with this thread's reused
     * generator ({@link JsonScratch}).
     * @throws java.io.UncheckedIOException when the tree cannot be written.
     */
    public static String write(final JsonNode tree)
    {
        return JsonScratch.local().text(tree);
    }

    /**
     * The top-level {@code requestId} of a frame that could not be read as a request (too large, not JSON, too
     * deep), found with a streaming parser that skips every nested value: the error then reaches the caller's room.
     * Whatever comes after the request id does not matter; a frame broken before it has none.
     *
     * @return the request id, or null.
     */
    public static String findRequestId(final InputStream frame)
    {
        try (JsonParser parser = LENIENT.createParser(frame))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("requestId".equals(name) && null != value && (value == JsonToken.VALUE_STRING || value.isNumeric()))
                {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
        return null;
    }

    /**
     * @param what names what was read (e.g. "the frame", "the body").
     * @return the Kuzzle error for input that could not be read.
     */
    public static KuzzleException invalid(final String what, final IOException ex)
    {
        if (ex instanceof StreamConstraintsException)
        {
            return new KuzzleException(KuzzleError.INVALID_REQUEST, what + " nests deeper than " + MAX_DEPTH +
                " levels");
        }
        return new KuzzleException(KuzzleError.INVALID_REQUEST, what + " is not valid JSON (" + describe(ex) + ")");
    }

    /**
     * @return the first line of a parse error's message, without Jackson's source excerpt.
     */
    public static String describe(final IOException ex)
    {
        final String message = ex instanceof com.fasterxml.jackson.core.JsonProcessingException ?
            ((com.fasterxml.jackson.core.JsonProcessingException)ex).getOriginalMessage() : ex.getMessage();
        final int newline = null == message ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
