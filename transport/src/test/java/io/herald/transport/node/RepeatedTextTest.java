package io.herald.transport.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class RepeatedTextTest
{
    private final RepeatedText texts = new RepeatedText();

    @Test
    void sameBytesDecodeToTheSameString()
    {
        final String first = texts.decode(field("aeron:udp?endpoint=edge-1:40123"));
        final String again = texts.decode(field("aeron:udp?endpoint=edge-1:40123"));
        assertEquals("aeron:udp?endpoint=edge-1:40123", first);
        assertSame(first, again);
    }

    @Test
    void everyTextComesBackRightWhateverSlotItShares()
    {
        // far more texts than slots: collisions replace each other, and every answer still matches its bytes
        final Set<String> seen = new HashSet<>();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 1_000; i++)
            {
                final String text = "collection-" + i;
                assertEquals(text, texts.decode(field(text)));
                seen.add(text);
            }
        }
        assertEquals(1_000, seen.size());
    }

    @Test
    void nonAsciiEmptyAndLongTexts()
    {
        assertEquals("catégorie-物", texts.decode(field("catégorie-物")));
        assertSame(texts.decode(field("catégorie-物")), texts.decode(field("catégorie-物")));
        assertEquals("", texts.decode(field("")));
        final String longText = "x".repeat(RepeatedText.MAX_CACHED_LENGTH + 1);
        final String decoded = texts.decode(field(longText));
        assertEquals(longText, decoded);
        assertNotSame(decoded, texts.decode(field(longText)));
    }

    private static UnsafeBuffer field(final String text)
    {
        // the field sits inside a larger message, as it does when an SBE decoder wraps it
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final byte[] message = new byte[bytes.length + 16];
        System.arraycopy(bytes, 0, message, 7, bytes.length);
        return new UnsafeBuffer(message, 7, bytes.length);
    }
}
