package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Shared pieces of the latency benchmarks: pacing, the timestamp field, one summary line.
 */
final class BenchReport
{
    private static final String SENT = "\"sent\":";
    private static final byte[] SENT_ASCII = SENT.getBytes(StandardCharsets.US_ASCII);

    private BenchReport()
    {
    }

    /** What {@link #sentField} answers for a frame without the field. */
    static final long NO_FIELD = Long.MIN_VALUE;

    /**
     * @return the {@code "sent":<nanos>} value of a frame's bytes, or {@link #NO_FIELD}; no allocation.
     */
    static long sentField(final ByteBuf frame)
    {
        final int at = indexOfSent(frame);
        if (at < 0)
        {
            return NO_FIELD;
        }
        int i = at + SENT_ASCII.length;
        final int end = frame.writerIndex();
        final boolean negative = i < end && frame.getByte(i) == '-';
        if (negative)
        {
            i++;
        }
        long value = 0;
        boolean digits = false;
        for (; i < end && frame.getByte(i) >= '0' && frame.getByte(i) <= '9'; i++)
        {
            value = value * 10 + (frame.getByte(i) - '0');
            digits = true;
        }
        return digits ? (negative ? -value : value) : NO_FIELD;
    }

    /**
     * Calls back with every {@code "sent":<nanos>} value of a frame (a NATS frame may carry several messages).
     *
     * @return how many values the frame carried.
     */
    static int forEachSent(final ByteBuf frame, final java.util.function.LongConsumer consumer)
    {
        final int reader = frame.readerIndex();
        try
        {
            long value;
            int count = 0;
            while ((value = sentField(frame)) != NO_FIELD)
            {
                consumer.accept(value);
                count++;
                frame.readerIndex(indexOfSent(frame) + SENT_ASCII.length);
            }
            return count;
        }
        finally
        {
            frame.readerIndex(reader);
        }
    }

    /**
     * A plain scan (Netty's {@code ByteBufUtil.indexOf} prepares the needle on every call, which made the harness
     * the bottleneck at 100k frames/s).
     */
    private static int indexOfSent(final ByteBuf frame)
    {
        final byte first = SENT_ASCII[0];
        for (int i = frame.readerIndex(), last = frame.writerIndex() - SENT_ASCII.length; i <= last; i++)
        {
            if (frame.getByte(i) == first)
            {
                int j = 1;
                while (j < SENT_ASCII.length && frame.getByte(i + j) == SENT_ASCII[j])
                {
                    j++;
                }
                if (j == SENT_ASCII.length)
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Waits for a moment: parks while far, spins when near (parking alone overshoots by ~50-100 us).
     */
    static void sleepUntil(final long deadlineNs)
    {
        for (long left = deadlineNs - System.nanoTime(); left > 0; left = deadlineNs - System.nanoTime())
        {
            if (left > 200_000)
            {
                LockSupport.parkNanos(left - 150_000);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    static String line(final String what, final Histogram histogram, final long expected, final int rate)
    {
        return line(what, histogram, expected, rate, "deliveries");
    }

    /**
     * @param counted what the histogram counts (deliveries, publishes).
     */
    static String line(
        final String what, final Histogram histogram, final long expected, final int rate, final String counted)
    {
        return String.format(Locale.ROOT,
            "%s: rate=%d/s %s=%d/%d p50=%.1fus p90=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus",
            what, rate, counted, histogram.getTotalCount(), expected,
            histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(90) / 1e3,
            histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
            histogram.getMaxValue() / 1e3);
    }
}
