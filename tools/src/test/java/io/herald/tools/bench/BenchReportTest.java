package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness's timestamp scan (eight bytes at a time) against a plain string search, on seeded random frames whose
 * fields fall at every offset, next to near misses ({@code "sen"}, {@code sent":} without its quote, stray
 * {@code s}).
 */
class BenchReportTest
{
    private static final String[] NOISE = { "s", "\"s", "\"sen", "sent\":1", "\"sent\"", "ss\"", "{\"a\":\"b\"}", "x" };

    @Test
    void findsEveryTimestampAPlainSearchFinds()
    {
        final Random random = new Random(15);
        for (int round = 0; round < 5_000; round++)
        {
            final StringBuilder text = new StringBuilder();
            final int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++)
            {
                for (int n = random.nextInt(6); n > 0; n--)
                {
                    text.append(NOISE[random.nextInt(NOISE.length)]);
                }
                text.append("\"sent\":").append(random.nextBoolean() ? "-" : "").append(random.nextInt(1 << 30));
            }
            for (int n = random.nextInt(6); n > 0; n--)
            {
                text.append(NOISE[random.nextInt(NOISE.length)]);
            }
            final int offset = random.nextInt(9);
            final byte[] bytes = ("#".repeat(offset) + text).getBytes(StandardCharsets.US_ASCII);
            final ByteBuf frame = Unpooled.wrappedBuffer(bytes).readerIndex(offset);

            final List<Long> found = new ArrayList<>();
            final int count = BenchReport.forEachSent(frame, found::add);

            final List<Long> expected = plainSearch(text.toString());
            assertEquals(expected, found, text::toString);
            assertEquals(expected.size(), count);
            assertEquals(expected.isEmpty() ? BenchReport.NO_FIELD : expected.get(0), BenchReport.sentField(frame));
            assertEquals(offset, frame.readerIndex(), "the frame is left as it was");
        }
    }

    private static List<Long> plainSearch(final String text)
    {
        final List<Long> values = new ArrayList<>();
        for (int at = text.indexOf("\"sent\":"); at >= 0; at = text.indexOf("\"sent\":", at + 1))
        {
            int end = at + 7;
            if (end < text.length() && text.charAt(end) == '-')
            {
                end++;
            }
            while (end < text.length() && Character.isDigit(text.charAt(end)))
            {
                end++;
            }
            final String digits = text.substring(at + 7, end);
            if (digits.isEmpty() || "-".equals(digits))
            {
                break;
            }
            values.add(Long.parseLong(digits));
        }
        return values;
    }
}
