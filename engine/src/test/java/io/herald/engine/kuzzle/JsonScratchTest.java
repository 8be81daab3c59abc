package io.herald.engine.kuzzle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonScratchTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void writesTreesAsObjectMapperDoesMessageAfterMessage() throws IOException
    {
        final JsonScratch scratch = new JsonScratch();
        final Random random = new Random(7);
        for (int i = 0; i < 2_000; i++)
        {
            final JsonNode tree = random(random, 0);
            final String expected = MAPPER.writeValueAsString(tree);
            assertEquals(expected, scratch.text(tree), "tree " + i);
            scratch.writeTree(scratch.begin(), tree);
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), scratch.bytes(0), "bytes of tree " + i);
        }
    }

    @Test
    void readsBackWhatClientsSend() throws IOException
    {
        final JsonScratch scratch = new JsonScratch();
        for (final String json : new String[] {
            "{}", "[]", "null", "{\"a\":[],\"b\":{},\"c\":null}", "1e2", "-0.0", "123456789012345678901234567890",
            "1.0000000000000000000001", "{\"é\\u0000\\t\\\"\":\"\\u2028\\ud83d\\ude00\"}", "[[[[[]]]]]", "\"\\u007f\"" })
        {
            final JsonNode tree = MAPPER.readTree(json);
            assertEquals(MAPPER.writeValueAsString(tree), scratch.text(tree), json);
        }
    }

    @Test
    void aFailedMessageDoesNotSpoilTheNext() throws IOException
    {
        final JsonScratch scratch = new JsonScratch();
        final var json = scratch.begin();
        json.writeStartObject();
        json.writeFieldName("half");
        assertThrows(IOException.class, () -> json.writeFieldName("twice")); // a field name where a value goes
        scratch.abandon();
        assertEquals("{\"a\":1}", scratch.text(MAPPER.readTree("{\"a\":1}")));
        assertThrows(UncheckedIOException.class, () -> scratch.text(NODES.pojoNode(new Object()))); // no codec here
        assertEquals("[true]", scratch.text(MAPPER.readTree("[true]")));
    }

    static JsonNode random(final Random random, final int depth)
    {
        switch (depth > 4 ? random.nextInt(6) : random.nextInt(8))
        {
            case 0:
                return NODES.textNode(text(random));
            case 1:
                return NODES.numberNode(random.nextInt());
            case 2:
                return NODES.numberNode(random.nextLong());
            case 3:
                return NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4:
                return random.nextBoolean() ? NODES.booleanNode(random.nextBoolean()) : NODES.nullNode();
            case 5:
                return random.nextBoolean() ? NODES.numberNode(new BigInteger(100, random)) :
                    NODES.numberNode(new BigDecimal(new BigInteger(80, random), random.nextInt(30)));
            case 6:
                final ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    object.set(text(random), random(random, depth + 1));
                }
                return object;
            default:
                final ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    array.add(random(random, depth + 1));
                }
                return array;
        }
    }

    static String text(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--)
        {
            final int kind = random.nextInt(6);
            text.append(kind == 0 ? (char)random.nextInt(0x20) : kind == 1 ? (char)(0x80 + random.nextInt(0x700)) :
                kind == 2 ? "\ud83d\ude00" : kind == 3 ? "\"\\/" : (char)('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
