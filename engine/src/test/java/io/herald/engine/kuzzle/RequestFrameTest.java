package io.herald.engine.kuzzle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RequestJson#readFrame}: the same values and errors as {@link RequestJson#read}, an object body kept as
 * sent, from which {@link DocumentNotification#source(String, String, long)} builds the same document as the tree.
 */
class RequestFrameTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void randomFramesReadAsTheTreeDoesAndKeepTheirBodyAsSent() throws IOException
    {
        final Random random = new Random(16);
        for (int i = 0; i < 3_000; i++)
        {
            final ObjectNode frame = NODES.objectNode().put("controller", "realtime").put("action", "publish");
            final JsonNode body = random.nextInt(10) == 0 ? JsonScratchTest.random(random, 3) : object(random);
            frame.set("body", body);
            frame.set(JsonScratchTest.text(random), JsonScratchTest.random(random, 2));
            final String text = spaced(MAPPER.writeValueAsString(frame), random);
            final byte[] padded = padded(text, i % 7);

            final RequestJson.Frame read = RequestJson.readFrame(padded, i % 7, padded.length - 2 * (i % 7));
            final JsonNode expected = RequestJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, whole(read), text);
            final KuzzleRequest request = KuzzleRequest.of(read, "websocket");
            final JsonNode expectedBody = expected.get("body");
            assertEquals(null == expectedBody || expectedBody.isNull() ? null : expectedBody, request.body(), text);
            if (body.isObject())
            {
                assertEquals(read.bodyText().trim(), read.bodyText(), "from its brace to its brace: " + text);
                assertEquals(body.has("_kuzzle_info"), read.bodyKuzzleInfo(), text);
                final ObjectNode tree = (ObjectNode)expected.get("body");
                assertEquals(MAPPER.readTree(DocumentNotification.source(tree, "kuid", 42)),
                    MAPPER.readTree(DocumentNotification.source(read.bodyText(), "kuid", 42)), text);
            }
            else
            {
                assertNull(read.bodyText(), text);
            }
        }
    }

    @Test
    void edgeCasesReadAsTheTreeDoes() throws IOException
    {
        for (final String text : List.of("", "  ", "null", "[1,2]", "\"text\"", "{}", "{\"body\":null}",
            "{\"body\":{}}", "{\"body\":{ } }", "{\"body\":[{}]}", "{\"body\":{\"a\":1},\"body\":{\"b\":2}}",
            "{\"body\":{\"a\":1},\"body\":3}", "{\"a\":1} trailing", "{\"body\":{\"a\":\"\\u00e9\\ud800\"}}"))
        {
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            final RequestJson.Frame read = RequestJson.readFrame(bytes, 0, bytes.length);
            assertEquals(RequestJson.read(new ByteArrayInputStream(bytes)), whole(read), text);
        }
        assertEquals("{\"b\":2}", bodyText("{\"body\":{\"a\":1},\"body\":{\"b\":2}}"), "the last, as in the tree");
        assertNull(bodyText("{\"body\":{\"a\":1},\"body\":3}"));
        assertEquals("{ }", bodyText("{\"body\":{ } }"));
        assertEquals("{\"a\":\"\\u00e9\\ud800\"}", bodyText("{\"body\":{\"a\":\"\\u00e9\\ud800\"}}"),
            "escapes stay as sent");
        assertEquals("{\"é\":\"😀\"}", bodyText("{\"body\":{\"é\":\"😀\"},\"x\":1}"));
    }

    @Test
    void aBodySentAloneIsReadAsTheTreeDoes() throws IOException
    {
        for (final String text : List.of("{\"a\":[1,{\"b\":null}]}", " { } ", "[1]", "\"text\"", "3", "null",
            "{\"_kuzzle_info\":1}", "{\"a\":1} trailing"))
        {
            final byte[] bytes = padded(text, 3);
            final RequestJson.Frame body = RequestJson.readBodyAlone(bytes, 3, bytes.length - 6);
            final JsonNode expected = RequestJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            final KuzzleRequest request = KuzzleRequest.of(NODES.objectNode().put("controller", "realtime"), "http",
                body);
            assertEquals(expected.isNull() ? null : expected, request.body(), text);
            assertEquals(expected.isObject(), null != body.bodyText(), text);
            assertEquals(text.contains("_kuzzle_info"), request.bodyKuzzleInfo(), text);
        }
        assertThrows(IOException.class, () -> RequestJson.readBodyAlone(new byte[] {'{', '"'}, 0, 2));
    }

    @Test
    void framesThatAreNotJsonFailAsTheTreeDoes()
    {
        final StringBuilder deep = new StringBuilder("{\"body\":");
        for (int i = 0; i < RequestJson.MAX_DEPTH; i++)
        {
            deep.append("{\"a\":");
        }
        for (final String text : List.of("{", "{\"body\":{\"a\":1}", "{\"body\" 1}", "{\"a\":tru}", "{\"a\":1,}",
            deep.toString()))
        {
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            final IOException tree = assertThrows(IOException.class,
                () -> RequestJson.read(new ByteArrayInputStream(bytes)), text);
            final IOException frame = assertThrows(IOException.class, () -> RequestJson.readFrame(bytes, 0,
                bytes.length), text);
            assertEquals(RequestJson.invalid("the frame", tree).getMessage(),
                RequestJson.invalid("the frame", frame).getMessage(), text);
        }
    }

    @Test
    void aBodyWithItsOwnKuzzleInfoIsToldApartAndTheInfoIsAppendedToTheText() throws IOException
    {
        final String own = "{\"body\":{\"a\":{\"_kuzzle_info\":1},\"_kuzzle_info\":{\"author\":\"x\"},\"b\":2}}";
        final byte[] bytes = own.getBytes(StandardCharsets.UTF_8);
        assertTrue(RequestJson.readFrame(bytes, 0, bytes.length).bodyKuzzleInfo());
        final byte[] nested = "{\"body\":{\"a\":{\"_kuzzle_info\":1}}}".getBytes(StandardCharsets.UTF_8);
        assertFalse(RequestJson.readFrame(nested, 0, nested.length).bodyKuzzleInfo(), "only its own members count");
        assertEquals("{\"_kuzzle_info\":{\"author\":null,\"createdAt\":7}}",
            DocumentNotification.source("{}", null, 7));
        assertEquals("{\n \"_kuzzle_info\":{\"author\":\"k\",\"createdAt\":7}}",
            DocumentNotification.source("{\n }", "k", 7));
        assertEquals("{ \"a\" : 1 ,\"_kuzzle_info\":{\"author\":\"k\\\"\",\"createdAt\":7}}",
            DocumentNotification.source("{ \"a\" : 1 }", "k\"", 7));
    }

    private static String bodyText(final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return RequestJson.readFrame(bytes, 0, bytes.length).bodyText();
    }

    /**
     * @return the frame's tree with its body put back (as the request reads it).
     */
    private static JsonNode whole(final RequestJson.Frame read)
    {
        if (null == read.bodyText())
        {
            return read.tree();
        }
        final ObjectNode whole = ((ObjectNode)read.tree()).deepCopy();
        whole.set("body", RequestJson.readBody(read.bodyText()));
        return whole;
    }

    private static ObjectNode object(final Random random)
    {
        final ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(6); i > 0; i--)
        {
            object.set(JsonScratchTest.text(random), JsonScratchTest.random(random, 2));
        }
        return object;
    }

    /**
     * Whitespace after structural characters, as clients may send it (inside strings too: the test only compares
     * what parses the same, so spaces added to strings change both sides alike).
     */
    private static String spaced(final String json, final Random random)
    {
        if (random.nextBoolean())
        {
            return json;
        }
        final StringBuilder spaced = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            spaced.append(c);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\' || isEscapedBackslash(json, i - 1)))
            {
                inString = !inString;
            }
            if (!inString && (c == '{' || c == ',' || c == ':' || c == '['))
            {
                spaced.append(random.nextBoolean() ? " " : "\n\t");
            }
        }
        return spaced.toString();
    }

    private static boolean isEscapedBackslash(final String json, final int at)
    {
        int backslashes = 0;
        for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--)
        {
            backslashes++;
        }
        return backslashes % 2 == 0;
    }

    private static byte[] padded(final String text, final int pad)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final byte[] padded = new byte[bytes.length + 2 * pad];
        java.util.Arrays.fill(padded, (byte)'x');
        System.arraycopy(bytes, 0, padded, pad, bytes.length);
        return padded;
    }
}
