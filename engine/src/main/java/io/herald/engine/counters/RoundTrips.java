package io.herald.engine.counters;

import org.agrona.concurrent.status.AtomicCounter;

import java.math.BigDecimal;
import java.util.function.IntFunction;

/**
 * The histogram of request round trips from an edge to the nodes (taken by the router → answered), Prometheus'
 * {@code herald_node_round_trip_seconds}: one counter per bucket, not cumulative (a sample costs one increment;
 * {@link PrometheusText} adds them up), and the sum in nanoseconds. Like every counter, they live in the process's
 * counters file and are readable from outside it. Recorded on the router's thread; read from anywhere.
 */
public final class RoundTrips
{
    /** The Prometheus metric. */
    public static final String METRIC = "herald_node_round_trip_seconds";
    /** What it measures. */
    public static final String HELP = "requests from the router taking them to a node's answer (writes: applied by " +
        "the cluster; reads: the first part of the answer)";
    /** Upper bounds of the buckets, in nanoseconds; a last bucket takes everything above. */
    static final long[] BOUNDS_NS = {
        50_000L, 100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L,
        50_000_000L, 100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L };
    /** Type id of the sum counter; the buckets follow it. */
    static final int SUM_TYPE_ID = HeraldCounter.TYPE_ID_BASE + 100;
    /** Buckets, the open-ended one included. */
    public static final int BUCKETS = BOUNDS_NS.length + 1;

    private final AtomicCounter sum;
    private final AtomicCounter[] buckets = new AtomicCounter[BUCKETS];

    /**
     * @param allocate makes the counter of a type id ({@link #typeIds()}), labelled {@link #label}.
     */
    public RoundTrips(final IntFunction<AtomicCounter> allocate)
    {
        sum = allocate.apply(SUM_TYPE_ID);
        for (int i = 0; i < BUCKETS; i++)
        {
            buckets[i] = allocate.apply(SUM_TYPE_ID + 1 + i);
        }
    }

    /**
     * @return the type ids of the histogram's counters, the sum first.
     */
    public static int[] typeIds()
    {
        final int[] ids = new int[BUCKETS + 1];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = SUM_TYPE_ID + i;
        }
        return ids;
    }

    /**
     * @return true for a type id of this histogram.
     */
    public static boolean isTypeId(final int typeId)
    {
        return typeId >= SUM_TYPE_ID && typeId <= SUM_TYPE_ID + BUCKETS;
    }

    /**
     * @param scope the process's own labels (e.g. {@code edge="1"}).
     * @return the label of a counter of this histogram: its Prometheus series.
     */
    public static String label(final int typeId, final String scope)
    {
        if (typeId == SUM_TYPE_ID)
        {
            return METRIC + "_sum_nanoseconds" + (scope.isEmpty() ? "" : "{" + scope + "}");
        }
        final String le = "le=\"" + upperBound(bucketOfTypeId(typeId)) + "\"";
        return METRIC + "_bucket{" + le + (scope.isEmpty() ? "" : "," + scope) + "}";
    }

    /**
     * @return the process's labels in a label of this histogram ({@link #label}).
     */
    static String scopeOf(final int typeId, final String label)
    {
        final int open = label.indexOf('{');
        if (open < 0)
        {
            return "";
        }
        final String inside = label.substring(open + 1, label.length() - 1);
        if (typeId == SUM_TYPE_ID)
        {
            return inside;
        }
        final int afterLe = inside.indexOf('"', inside.indexOf('"') + 1) + 1;
        return afterLe < inside.length() ? inside.substring(afterLe + 1) : "";
    }

    /**
     * @return the bucket a counter of this histogram counts, or -1 for the sum.
     */
    static int bucketOfTypeId(final int typeId)
    {
        return typeId - SUM_TYPE_ID - 1;
    }

    /**
     * @return the bucket's upper bound in seconds as Prometheus writes it, {@code +Inf} for the last one.
     */
    static String upperBound(final int bucket)
    {
        return bucket >= BOUNDS_NS.length ? "+Inf" :
            BigDecimal.valueOf(BOUNDS_NS[bucket]).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    /**
     * One round trip.
     */
    public void record(final long nanos)
    {
        final long ns = Math.max(0, nanos);
        int bucket = 0;
        while (bucket < BOUNDS_NS.length && ns > BOUNDS_NS[bucket])
        {
            bucket++;
        }
        buckets[bucket].incrementRelease();
        sum.getAndAddRelease(ns);
    }
}
