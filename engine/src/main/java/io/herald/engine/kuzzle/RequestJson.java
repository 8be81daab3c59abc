package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

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
