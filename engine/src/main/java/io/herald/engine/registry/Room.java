package io.herald.engine.registry;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A filter on an index/collection and the connections subscribed to it, grouped in channels. The room id is the
 * filter id: the same on every node, across restarts.
 */
public final class Room
{
    private static final Channel[] NO_CHANNELS = new Channel[0];

    private final String id;
    private final String index;
    private final String collection;
    private final String filterJson;
    private Channel[] channels = NO_CHANNELS;
    private final Long2ObjectHashMap<List<Channel>> members = new Long2ObjectHashMap<>();

    Room(final String id, final String index, final String collection, final String filterJson)
    {
        this.filterJson = filterJson;
        this.id = id;
        this.index = index;
        this.collection = collection;
    }

    public String id()
    {
        return id;
    }

    public String index()
    {
        return index;
    }

    public String collection()
    {
        return collection;
    }

    /**
     * @return the filter the room was created with, as JSON (empty: match everything); every filter with this room's
     *         id is equivalent to it.
     */
    public String filterJson()
    {
        return filterJson;
    }

    /**
     * @return distinct connections subscribed, whatever their channels.
     */
    public int count()
    {
        return members.size();
    }

    public boolean hasMember(final long connection)
    {
        return members.containsKey(connection);
    }

    /**
     * @return the channels, in creation order; do not modify.
     */
    Channel[] channels()
    {
        return channels;
    }

    /**
     * @return the channel the connection now belongs to.
     */
    Channel add(final long connection, final Scope scope, final Users users)
    {
        final Channel channel = channel(scope, users);
        if (channel.add(connection))
        {
            members.computeIfAbsent(connection, (key) -> new ArrayList<>(1)).add(channel);
        }
        return channel;
    }

    /**
     * Removes the connection from every channel of the room.
     *
     * @return false when it was not a member.
     */
    boolean remove(final long connection)
    {
        final List<Channel> joined = members.remove(connection);
        if (null == joined)
        {
            return false;
        }
        for (final Channel channel : joined)
        {
            channel.remove(connection);
            if (channel.size() == 0)
            {
                dropChannel(channel);
            }
        }
        return true;
    }

    /**
     * @return the room's channel for these settings, or null.
     */
    Channel find(final Scope scope, final Users users)
    {
        for (final Channel channel : channels)
        {
            if (channel.scope() == scope && channel.users() == users)
            {
                return channel;
            }
        }
        return null;
    }

    private Channel channel(final Scope scope, final Users users)
    {
        final Channel existing = find(scope, users);
        if (null != existing)
        {
            return existing;
        }
        final Channel channel = new Channel(id, scope, users);
        channels = Arrays.copyOf(channels, channels.length + 1);
        channels[channels.length - 1] = channel;
        return channel;
    }

    private void dropChannel(final Channel channel)
    {
        final Channel[] kept = new Channel[channels.length - 1];
        int i = 0;
        for (final Channel existing : channels)
        {
            if (existing != channel)
            {
                kept[i++] = existing;
            }
        }
        channels = kept;
    }
}
