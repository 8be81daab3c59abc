package io.herald.engine.edge;

import java.util.Arrays;

/**
 * How long a read may wait for a node's first answer before it goes to another node. A fixed deadline has to cover
 * a loaded cluster's slowest answers, so a node that dies on a quiet cluster is noticed only when it expires. This one
 * follows the nodes: {@link #MULTIPLE} times the 99th percentile of the last {@link #WINDOW} first-answer times, never
 * below {@link #FLOOR_NS} and never above the configured ceiling ({@code edge.read.failover}); the ceiling until
 * enough answers were seen. A read sent again goes under a new correlation id, and a late answer to the old one is
 * ignored, so a deadline that is too short costs the nodes work, never a client a duplicate.
 * <p>
 * Not thread-safe: it belongs to the router.
 */
public final class ReadDeadline
{
    public static final int WINDOW = 256;
    public static final int MULTIPLE = 4;
    public static final long FLOOR_NS = 50_000_000L;
    private static final int MIN_SAMPLES = 32;

    private final long[] recent = new long[WINDOW];
    private final long[] sorted = new long[WINDOW];
    private final long ceilingNs;
    private int count;
    private int next;
    private long deadlineNs;

    /**
     * @param ceilingNs the longest deadline (also the one used until enough answers were seen).
     */
    public ReadDeadline(final long ceilingNs)
    {
        this.ceilingNs = ceilingNs;
        this.deadlineNs = ceilingNs;
    }

    /**
     * A node started answering a read this long after it was sent.
     */
    public void answered(final long afterNs)
    {
        recent[next] = afterNs;
        next = next + 1 == WINDOW ? 0 : next + 1;
        count = Math.min(count + 1, WINDOW);
    }

    /**
     * Recomputes the deadline from the answers seen so far (sorting at most {@link #WINDOW} values: call it at the
     * failover check's pace, not per read).
     *
     * @return the deadline now.
     */
    public long update()
    {
        if (count < MIN_SAMPLES || ceilingNs <= FLOOR_NS)
        {
            deadlineNs = ceilingNs;
            return deadlineNs;
        }
        System.arraycopy(recent, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        final long p99 = sorted[(int)Math.ceil(0.99 * count) - 1];
        deadlineNs = Math.max(FLOOR_NS, Math.min(ceilingNs, p99 > ceilingNs / MULTIPLE ? ceilingNs : p99 * MULTIPLE));
        return deadlineNs;
    }

    /**
     * @return the deadline as last computed.
     */
    public long deadlineNs()
    {
        return deadlineNs;
    }
}
