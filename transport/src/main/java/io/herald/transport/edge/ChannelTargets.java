package io.herald.transport.edge;

import io.herald.engine.registry.Connections;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.function.Function;

/**
 * This edge's share of a "channels → connections" list from a node (user notifications, publishes made on other
 * edges): SBE puts each channel's name after its connections, so the connections of this edge are gathered first,
 * then every channel's frame is written to them. Reused from one list to the next; router thread only.
 */
final class ChannelTargets
{
    private final int edgeId;
    private final ArrayList<String> channels = new ArrayList<>();
    private final ArrayList<LongArrayList> targets = new ArrayList<>();
    private int size;

    ChannelTargets(final int edgeId)
    {
        this.edgeId = edgeId;
    }

    /**
     * Starts a channel: its connections come next, its name last.
     */
    void beginChannel()
    {
        if (size == targets.size())
        {
            targets.add(new LongArrayList());
            channels.add(null);
        }
        targets.get(size).clear();
    }

    /**
     * @param connection a connection key ({@link Connections}): kept when it is this edge's.
     */
    void add(final long connection)
    {
        if (Connections.edgeId(connection) == edgeId)
        {
            targets.get(size).addLong(Connections.connectionId(connection));
        }
    }

    void endChannel(final String channel)
    {
        channels.set(size++, channel);
    }

    /**
     * Adds each channel's frame for its connections of this edge to the router's deliveries (sent at the end of
     * its duty cycle), counts them in the connection table, and forgets the list.
     *
     * @param frames a channel's notification frame (the notification is serialized once, the room appended).
     * @param table  the connection table, or null.
     */
    void deliver(
        final Function<String, byte[]> frames, final EdgeConnections.Deliveries deliveries, final ConnectionTable table)
    {
        for (int c = 0; c < size; c++)
        {
            final LongArrayList connections = targets.get(c);
            if (connections.isEmpty())
            {
                continue;
            }
            final byte[] frame = frames.apply(channels.get(c));
            for (int i = 0, n = connections.size(); i < n; i++)
            {
                final long connection = connections.getLong(i);
                deliveries.add(connection, frame);
                if (null != table)
                {
                    table.notified(connection);
                }
            }
        }
        size = 0;
    }

    /**
     * Forgets the list without delivering it.
     */
    void clear()
    {
        size = 0;
    }
}
