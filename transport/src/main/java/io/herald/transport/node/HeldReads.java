package io.herald.transport.node;

import io.herald.engine.counters.HeraldCounter;
import io.herald.transport.Counters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Reads that asked for a log position this node has not applied yet (read-your-writes: their edge saw a write
 * acknowledged at that position) wait here, copied, in order, until the log catches up; after
 * {@link #HOLD_TIMEOUT_NS} they are dropped, counted, and their edge asks another node. Used on the service thread.
 */
final class HeldReads
{
    static final long HOLD_TIMEOUT_NS = 2_000_000_000L;

    /**
     * Handles a read released from the queue.
     */
    @FunctionalInterface
    interface Handler
    {
        void onRead(DirectBuffer message, int offset, int length);
    }

    private record HeldRead(long minLogPosition, byte[] bytes, long deadlineNs)
    {
    }

    private final ArrayDeque<HeldRead> held = new ArrayDeque<>();
    private final LongSupplier logPosition;
    private Counters counters;
    private boolean releasing;
    private long dropped;

    HeldReads(final LongSupplier logPosition, final Counters counters)
    {
        this.logPosition = logPosition;
        this.counters = counters;
    }

    void counters(final Counters counters)
    {
        this.counters = counters;
    }

    /**
     * @return true when the read must wait for the log (it was copied here); false while a held read is being
     *         released, or when the node is far enough.
     */
    boolean holdUntilApplied(
        final long minLogPosition, final DirectBuffer message, final int offset, final int length, final long nowNs)
    {
        if (releasing || minLogPosition <= logPosition.getAsLong())
        {
            return false;
        }
        final byte[] copy = new byte[length];
        message.getBytes(offset, copy);
        held.add(new HeldRead(minLogPosition, copy, nowNs + HOLD_TIMEOUT_NS));
        return true;
    }

    /**
     * @return reads released or dropped.
     */
    int release(final long nowNs, final Handler handler)
    {
        int released = 0;
        while (!held.isEmpty())
        {
            final HeldRead read = held.peek();
            if (read.minLogPosition() <= logPosition.getAsLong())
            {
                held.poll();
                releasing = true;
                try
                {
                    handler.onRead(new UnsafeBuffer(read.bytes()), 0, read.bytes().length);
                }
                finally
                {
                    releasing = false;
                }
                released++;
            }
            else if (nowNs > read.deadlineNs())
            {
                held.poll();
                dropped++;
                counters.get(HeraldCounter.HELD_READS_DROPPED).increment();
                released++;
            }
            else
            {
                break;
            }
        }
        return released;
    }

    /**
     * @return reads dropped because this node's log did not reach their position in time.
     */
    long dropped()
    {
        return dropped;
    }
}
