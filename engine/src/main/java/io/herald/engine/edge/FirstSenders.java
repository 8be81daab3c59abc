package io.herald.engine.edge;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;

/**
 * Which node first sent this edge a publish made on another edge. A publish re-sent to a second node after the first
 * went silent could reach this edge from both: the first node to send a chunk of it wins, the other's chunks are
 * dropped. The last {@link #REMEMBERED} publishes are remembered, oldest forgotten first.
 */
public final class FirstSenders
{
    public static final int REMEMBERED = 65_536;
    private static final long NONE = -1;

    private final Long2LongHashMap senders = new Long2LongHashMap(NONE);
    private final LongArrayQueue order = new LongArrayQueue(NONE);
    private long duplicates;

    /**
     * @param publish the publishing edge's id (top 16 bits) and its publish id.
     * @return true when this node's chunk is to be delivered.
     */
    public boolean accept(final long publish, final int nodeId)
    {
        final long first = senders.get(publish);
        if (first == NONE)
        {
            senders.put(publish, nodeId);
            order.addLong(publish);
            if (order.size() > REMEMBERED)
            {
                senders.remove(order.pollLong());
            }
            return true;
        }
        if (first != nodeId)
        {
            duplicates++;
            return false;
        }
        return true;
    }

    /**
     * @return chunks dropped because another node had sent that publish first.
     */
    public long duplicates()
    {
        return duplicates;
    }
}
