package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Document document = new Document();

    @Test
    void readsWhatJacksonReadsForSeededRandomDocuments() throws Exception
    {
        final Random random = new Random(20261203);
        for (int i = 0; i < 3_000; i++)
        {
            final String text = randomValue(random, 0);
            final byte[] bytes = ("  " + text + " ").getBytes(StandardCharsets.UTF_8);
            document.parse(bytes, 2, bytes.length - 2, null);
            assertSame(JSON.readTree(text), document, document.root(), text);
        }
    }

    @Test
    void oneInstanceReadsDocumentsOneAfterAnotherAndAfterBadOnes() throws Exception
    {
        final String[] texts = { "{\"a\":1}", "[1,2]", "12", "\"x\"", "{\"a\":{\"b\":[true,false,null]}}", "-0.5e3" };
        final String[] bad = { "", "{", "{\"a\":}", "[1,2", "{} {}", "nul", "{\"a\":1}x", "\"abc", "1 2" };
        for (int round = 0; round < 3; round++)
        {
            for (final String text : texts)
            {
                parse(text);
                assertSame(JSON.readTree(text), document, document.root(), text);
            }
            for (final String text : bad)
            {
                assertThrows(DocumentException.class, () -> parse(text), text);
                assertEquals(Document.NONE, document.root(), text);
            }
        }
    }

    @Test
    void theLastOfDuplicateNamesWinsAsInJsonParse()
    {
        parse("{\"a\":1,\"b\":{\"x\":1},\"a\":2,\"c\":3,\"a\":{\"deep\":[1]}}");
        final int root = document.root();
        assertEquals(3, document.size(root));
        final int a = document.member(root, "a");
        assertEquals(Document.OBJECT, document.type(a));
        assertEquals(1, document.size(document.member(a, "deep")));
        int members = 0;
        for (int m = document.first(root); m != Document.NONE; m = document.next(root, m))
        {
            members++;
        }
        assertEquals(3, members);

        final StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 1_000; i++)
        {
            many.append("\"k").append(i % 300).append("\":").append(i).append(',');
        }
        many.setLength(many.length() - 1);
        parse(many.append('}').toString());
        assertEquals(300, document.size(document.root()));
        assertEquals(999.0, document.number(document.member(document.root(), "k99")));
    }

    @Test
    void anIdReplacesTheRootsOwn()
    {
        final byte[] bytes = "{\"_id\":{\"not\":\"a string\"},\"n\":1}".getBytes(StandardCharsets.UTF_8);
        document.parse(bytes, 0, bytes.length, "given");
        final int root = document.root();
        assertEquals(2, document.size(root));
        final int id = document.member(root, "_id");
        assertEquals("given", document.string(id));
        assertEquals(1.0, document.number(document.member(root, "n")));

        final byte[] none = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        document.parse(none, 0, none.length, "other");
        assertEquals("other", document.string(document.member(document.root(), "_id")));
        assertEquals("{\"n\":1,\"_id\":\"other\"}", document.tree().toString());

        final byte[] given = "ïd-é-😀".getBytes(StandardCharsets.UTF_8);
        document.parse(bytes, 0, bytes.length, given, given.length);
        assertEquals("ïd-é-😀", document.string(document.member(document.root(), "_id")));
        document.parse(bytes, 0, bytes.length, given, 0);
        assertEquals(Document.OBJECT, document.type(document.member(document.root(), "_id")), "no id given");
    }

    @Test
    void stringsKeepEscapesAndSurrogatesAsJavaStringsDo() throws Exception
    {
        final String text = "{\"s\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\ud800 é 😀\",\"k\\u00e9\":true}";
        parse(text);
        final JsonNode tree = JSON.readTree(text);
        final int s = document.member(document.root(), "s");
        assertEquals(tree.get("s").textValue(), document.string(s));
        assertEquals(tree.get("s").textValue(), document.text(s).toString());
        assertEquals(Document.TRUE, document.type(document.member(document.root(), "ké")));
    }

    @Test
    void numbersAreTheDoublesJavaScriptReads()
    {
        // -0 may read as 0 (Jackson gives the integer -0 as "0"): no filter tells them apart, 0 === -0
        parse("[0,-0,1e400,123456789012345678901234567890,0.1,9007199254740993,-1.5E-7,4.9e-324]");
        final double[] expected = { 0, 0, Double.POSITIVE_INFINITY, 1.2345678901234568e29, 0.1, 9007199254740992.0,
            -1.5e-7, 4.9e-324 };
        final int root = document.root();
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], document.number(document.element(root, i)), 0.0, "element " + i);
        }
        assertEquals(Document.NONE, document.element(root, expected.length));
    }

    @Test
    void deepDocumentsAreRefusedNotOverflowed()
    {
        assertThrows(DocumentException.class, () -> parse("[".repeat(100_000) + "]".repeat(100_000)));
        parse("[".repeat(400) + "]".repeat(400));
        assertTrue(document.isArray(document.root()));
        assertFalse(document.isObject(document.root()));
    }

    private void parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        document.parse(bytes, 0, bytes.length, null);
    }

    private static void assertSame(final JsonNode expected, final Document actual, final int value, final String text)
    {
        if (expected.isObject())
        {
            assertEquals(Document.OBJECT, actual.type(value), text);
            assertEquals(expected.size(), actual.size(value), text);
            for (final Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> entry = it.next();
                assertSame(entry.getValue(), actual, actual.member(value, entry.getKey()), text);
            }
            // JSON.parse keeps a repeated name where it first appeared; only the value matters to filters
            int members = 0;
            for (int member = actual.first(value); member != Document.NONE; member = actual.next(value, member))
            {
                assertTrue(expected.has(actual.name(member)), text);
                assertEquals(member, actual.member(value, actual.name(member)), text);
                members++;
            }
            assertEquals(expected.size(), members, text);
        }
        else if (expected.isArray())
        {
            assertEquals(Document.ARRAY, actual.type(value), text);
            assertEquals(expected.size(), actual.size(value), text);
            for (int i = 0; i < expected.size(); i++)
            {
                assertSame(expected.get(i), actual, actual.element(value, i), text);
            }
        }
        else if (expected.isTextual())
        {
            assertEquals(Document.STRING, actual.type(value), text);
            assertEquals(expected.textValue(), actual.string(value), text);
        }
        else if (expected.isNumber())
        {
            assertEquals(Document.NUMBER, actual.type(value), text);
            assertEquals(Double.parseDouble(expected.asText()), actual.number(value), text);
        }
        else if (expected.isBoolean())
        {
            assertEquals(expected.booleanValue() ? Document.TRUE : Document.FALSE, actual.type(value), text);
        }
        else
        {
            assertEquals(Document.NULL, actual.type(value), text);
        }
    }

    private static String randomValue(final Random random, final int depth)
    {
        final int kind = random.nextInt(depth > 4 ? 5 : 7);
        switch (kind)
        {
            case 0:
                return randomString(random);
            case 1:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 2:
                return Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20));
            case 3:
                return random.nextBoolean() ? "true" : "false";
            case 4:
                return "null";
            case 5:
            {
                final StringBuilder object = new StringBuilder("{");
                for (int i = 0, n = random.nextInt(8); i < n; i++)
                {
                    object.append(i > 0 ? "," : "").append(randomString(random)).append(':')
                        .append(randomValue(random, depth + 1));
                }
                return object.append('}').toString();
            }
            default:
            {
                final StringBuilder array = new StringBuilder("[");
                for (int i = 0, n = random.nextInt(6); i < n; i++)
                {
                    array.append(i > 0 ? ", " : "").append(randomValue(random, depth + 1));
                }
                return array.append(']').toString();
            }
        }
    }

    private static String randomString(final Random random)
    {
        final String[] pieces = { "a", "b", "_id", "é", "\\n", "\\u00e9", "\\\"", "😀", "\\ud83d\\ude00", "x.y", " " };
        final StringBuilder text = new StringBuilder("\"");
        for (int i = 0, n = random.nextInt(4); i < n; i++)
        {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.append('"').toString();
    }
}
