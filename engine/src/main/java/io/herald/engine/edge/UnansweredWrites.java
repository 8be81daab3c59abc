package io.herald.engine.edge;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayQueue;

import java.util.ArrayDeque;

/**
 * An edge's writes (closes included) the cluster has not answered yet, sent or not, in the order they were taken
 * (correlation ids increase with it): what goes to a new leader again, and the oldest one each write tells the
 * cluster about. Not thread-safe: it belongs to the router, through {@link NodeRequests}.
 */
final class UnansweredWrites
{
    private final Long2ObjectHashMap<NodeRequest> byId = new Long2ObjectHashMap<>();
    /** Ids in order; answered ones are skipped, and dropped from the head. */
    private final LongArrayQueue order = new LongArrayQueue(Long.MIN_VALUE);

    void add(final NodeRequest write)
    {
        byId.put(write.correlationId(), write);
        order.addLong(write.correlationId());
    }

    /**
     * @return the write, or null when it was answered already (or never a write).
     */
    NodeRequest remove(final long correlationId)
    {
        return byId.remove(correlationId);
    }

    /**
     * @return the oldest unanswered write's id, or {@code whenNone}.
     */
    long oldest(final long whenNone)
    {
        while (!order.isEmpty() && !byId.containsKey(order.peekLong()))
        {
            order.pollLong();
        }
        return order.isEmpty() ? whenNone : order.peekLong();
    }

    int size()
    {
        return byId.size();
    }

    /**
     * Puts every unanswered write into {@code queue}, in order, instead of what it held.
     */
    void requeue(final ArrayDeque<NodeRequest> queue)
    {
        queue.clear();
        oldest(0);
        order.forEachLong((id) ->
        {
            final NodeRequest write = byId.get(id);
            if (null != write)
            {
                queue.add(write);
            }
        });
    }
}
