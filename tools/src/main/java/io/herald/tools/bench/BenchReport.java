package io.herald.tools.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Shared pieces of the latency benchmarks: pacing, the timestamp field, one summary line.
 */
final class BenchReport
{
    private static final String SENT = "\"sent\":";

    private BenchReport()
    {
    }

    /** What {@link #sentField} answers for a frame without the field. */
    static final long NO_FIELD = Long.MIN_VALUE;

    /**
     * @return the {@code "sent":<nanos>} value of a frame, or {@link #NO_FIELD}.
     */
    static long sentField(final String text)
    {
        final int at = text.indexOf(SENT);
        if (at < 0)
        {
            return NO_FIELD;
        }
        long value = 0;
        int i = at + SENT.length();
        boolean digits = false;
        final boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative)
        {
            i++;
        }
        for (; i < text.length() && Character.isDigit(text.charAt(i)); i++)
        {
            value = value * 10 + (text.charAt(i) - '0');
            digits = true;
        }
        return digits ? (negative ? -value : value) : NO_FIELD;
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
        return String.format(Locale.ROOT,
            "%s: rate=%d/s deliveries=%d/%d p50=%.1fus p90=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus",
            what, rate, histogram.getTotalCount(), expected,
            histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(90) / 1e3,
            histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
            histogram.getMaxValue() / 1e3);
    }
}
