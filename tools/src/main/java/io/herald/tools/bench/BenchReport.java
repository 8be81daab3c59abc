package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import java.util.Locale;
import java.util.function.LongConsumer;
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

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long S_BYTES = ONES * 's';
    /** A frame's bytes, copied once: scanned as plain memory instead of a checked {@code getByte} per byte. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    /**
     * @return the {@code "sent":<nanos>} value of a frame's bytes, or {@link #NO_FIELD}; no allocation.
     */
    static long sentField(final ByteBuf frame)
    {
        final byte[] bytes = copy(frame);
        final int length = frame.readableBytes();
        final int at = indexOfSent(bytes, 0, length);
        return at < 0 ? NO_FIELD : value(bytes, at + SENT_ASCII.length, length);
    }

    /**
     * Calls back with every {@code "sent":<nanos>} value of a frame (a NATS frame may carry several messages), in
     * one pass over its bytes.
     *
     * @return how many values the frame carried.
     */
    static int forEachSent(final ByteBuf frame, final LongConsumer consumer)
    {
        final byte[] bytes = copy(frame);
        final int length = frame.readableBytes();
        int count = 0;
        for (int at = indexOfSent(bytes, 0, length); at >= 0; at = indexOfSent(bytes, at + SENT_ASCII.length, length))
        {
            final long value = value(bytes, at + SENT_ASCII.length, length);
            if (value == NO_FIELD)
            {
                break;
            }
            consumer.accept(value);
            count++;
        }
        return count;
    }

    private static byte[] copy(final ByteBuf frame)
    {
        byte[] bytes = SCRATCH.get();
        final int length = frame.readableBytes();
        if (bytes.length < length + Long.BYTES)
        {
            bytes = new byte[Integer.highestOneBit(length + Long.BYTES) << 1];
            SCRATCH.set(bytes);
        }
        frame.getBytes(frame.readerIndex(), bytes, 0, length);
        return bytes;
    }

    private static long value(final byte[] bytes, final int from, final int end)
    {
        int i = from;
        final boolean negative = i < end && bytes[i] == '-';
        if (negative)
        {
            i++;
        }
        long value = 0;
        boolean digits = false;
        for (; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++)
        {
            value = value * 10 + (bytes[i] - '0');
            digits = true;
        }
        return digits ? (negative ? -value : value) : NO_FIELD;
    }

    /**
     * Finds {@code "sent":} from {@code from}: eight bytes at a time for an {@code s} (a SWAR zero-byte test, whose
     * rare false candidates the full comparison drops), so that a 500-byte notification costs ~60 steps instead of
     * 500 bounds-checked reads.
     *
     * @return where the field's quote starts, or -1.
     */
    static int indexOfSent(final byte[] bytes, final int from, final int end)
    {
        int i = from + 1; // the 's' follows the quote
        for (; i + Long.BYTES <= end; i += Long.BYTES)
        {
            final long x = (long)LONGS.get(bytes, i) ^ S_BYTES;
            for (long found = (x - ONES) & ~x & HIGHS; found != 0; found &= found - 1)
            {
                final int quote = i + (Long.numberOfTrailingZeros(found) >>> 3) - 1;
                if (sentAt(bytes, quote, end))
                {
                    return quote;
                }
            }
        }
        for (; i < end; i++)
        {
            if (bytes[i] == 's' && sentAt(bytes, i - 1, end))
            {
                return i - 1;
            }
        }
        return -1;
    }

    private static boolean sentAt(final byte[] bytes, final int at, final int end)
    {
        if (at + SENT_ASCII.length > end)
        {
            return false;
        }
        for (int j = 0; j < SENT_ASCII.length; j++)
        {
            if (bytes[at + j] != SENT_ASCII[j])
            {
                return false;
            }
        }
        return true;
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

    /**
     * Waits for a moment by parking only: late by the scheduler's wake-up, without spinning ({@code --pacer park}).
     */
    static void parkUntil(final long deadlineNs)
    {
        final long left = deadlineNs - System.nanoTime();
        if (left > 0)
        {
            LockSupport.parkNanos(left);
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
