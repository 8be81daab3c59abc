package io.herald.engine.registry;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The connections of a room that asked for the same notifications ({@link Scope}, {@link Users}): one notification
 * frame per channel, addressed to all of them. Connections sit in a dense array (handed to the notification sink as
 * is) with an index for O(1) removal.
 */
public final class Channel
{
    private final String id;
    private final Scope scope;
    private final Users users;
    private long[] connections = new long[4];
    private int size;
    private final Long2LongHashMap positions = new Long2LongHashMap(-1);

    Channel(final String roomId, final Scope scope, final Users users)
    {
        this.id = roomId + '-' + scope.code + users.code;
        this.scope = scope;
        this.users = users;
    }

    /**
     * @return the channel id: the room id, a dash, and one letter each for scope and users (e.g. {@code -an}).
     */
    public String id()
    {
        return id;
    }

    public Scope scope()
    {
        return scope;
    }

    public Users users()
    {
        return users;
    }

    public int size()
    {
        return size;
    }

    /**
     * @return connection keys ({@link Connections}) in slots 0 to {@link #size()} - 1; do not modify.
     */
    long[] connections()
    {
        return connections;
    }

    boolean contains(final long connection)
    {
        return positions.get(connection) >= 0;
    }

    boolean add(final long connection)
    {
        if (positions.get(connection) >= 0)
        {
            return false;
        }
        if (size == connections.length)
        {
            connections = Arrays.copyOf(connections, size * 2);
        }
        connections[size] = connection;
        positions.put(connection, size);
        size++;
        return true;
    }

    boolean remove(final long connection)
    {
        final int position = (int)positions.remove(connection);
        if (position < 0)
        {
            return false;
        }
        final long last = connections[--size];
        if (position != size)
        {
            connections[position] = last;
            positions.put(last, position);
        }
        return true;
    }
}
