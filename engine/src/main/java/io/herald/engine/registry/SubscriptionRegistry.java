package io.herald.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.engine.filter.Document;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.Matches;
import io.herald.engine.filter.NormalizedFilter;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every subscription of the cluster: rooms (one per index, collection and normalized filter), their channels, and
 * the connections in them; and the filter engine that tells which rooms a document matches.
 * <p>
 * Writes (subscribe, join, unsubscribe, connection closed, edge reset) are applied by every node in log order, so the
 * registry is deterministic: no clock, no randomness, and every iteration that decides state follows insertion order
 * or sorted order. Reads (match, count, list) change nothing.
 * <p>
 * Not thread-safe: it belongs to a node's service thread.
 */
public final class SubscriptionRegistry
{
    private final FilterEngine filters;
    private final Matches matches = new Matches();
    private final Document treeDocument = new Document();
    private final Map<String, Room> rooms = new HashMap<>();
    private final TreeMap<String, TreeMap<String, CollectionRooms>> roomsByIndex = new TreeMap<>();
    private final Long2ObjectHashMap<LinkedHashMap<String, Room>> roomsByConnection = new Long2ObjectHashMap<>();

    public SubscriptionRegistry(final FilterEngine filters)
    {
        this.filters = filters;
    }

    /**
     * The filter-engine index of a collection. Kuzzle index and collection names cannot hold a slash.
     */
    public static String indexOf(final String index, final String collection)
    {
        return index + '/' + collection;
    }

    /**
     * Subscribes a connection to the room of a filter, creating the room on first use.
     *
     * @throws io.herald.engine.filter.FilterException when the filter is not valid.
     */
    public Subscription subscribe(
        final long connection, final String index, final String collection, final JsonNode filter,
        final Scope scope, final Users users)
    {
        final String filterIndex = indexOf(index, collection);
        final NormalizedFilter normalized = filters.normalize(filterIndex, filter);
        Room room = rooms.get(normalized.id());
        if (null == room)
        {
            filters.store(normalized);
            room = new Room(normalized.id(), index, collection, null == filter ? "" : filter.toString());
            rooms.put(room.id(), room);
            roomsByIndex.computeIfAbsent(index, (k) -> new TreeMap<>())
                .computeIfAbsent(collection, (k) -> new CollectionRooms(filterIndex)).byId.put(room.id(), room);
        }
        return add(room, connection, scope, users);
    }

    /**
     * Subscribes a connection to an existing room.
     *
     * @throws RegistryException {@code core.realtime.room_not_found} when no such room exists.
     */
    public Subscription join(final long connection, final String roomId, final Scope scope, final Users users)
    {
        final Room room = rooms.get(roomId);
        if (null == room)
        {
            throw RegistryException.roomNotFound(roomId);
        }
        return add(room, connection, scope, users);
    }

    /**
     * Removes a connection from a room (all its channels in it); the room goes with its last connection.
     *
     * @return connections left in the room.
     * @throws RegistryException {@code core.realtime.not_subscribed} when the connection is not in the room.
     */
    public int unsubscribe(final long connection, final String roomId)
    {
        final Room room = rooms.get(roomId);
        if (null == room || !room.hasMember(connection))
        {
            throw RegistryException.notSubscribed(roomId);
        }
        leave(room, connection);
        final Map<String, Room> joined = roomsByConnection.get(connection);
        joined.remove(roomId);
        if (joined.isEmpty())
        {
            roomsByConnection.remove(connection);
        }
        return room.count();
    }

    /**
     * A connection closed: removes it from every room it was in.
     *
     * @return the rooms it left, in the order it joined them (for user notifications).
     */
    public List<Room> connectionClosed(final long connection)
    {
        final LinkedHashMap<String, Room> joined = roomsByConnection.remove(connection);
        if (null == joined)
        {
            return List.of();
        }
        final List<Room> left = new ArrayList<>(joined.values());
        for (final Room room : left)
        {
            leave(room, connection);
        }
        return left;
    }

    /**
     * @return the connections of an edge that hold subscriptions, in ascending order (the same on every node).
     */
    public LongArrayList connectionsOf(final int edgeId)
    {
        final LongArrayList held = new LongArrayList();
        final Long2ObjectHashMap<LinkedHashMap<String, Room>>.KeyIterator keys = roomsByConnection.keySet().iterator();
        while (keys.hasNext())
        {
            final long connection = keys.nextLong();
            if (Connections.edgeId(connection) == edgeId)
            {
                held.addLong(connection);
            }
        }
        held.sort(null);
        return held;
    }

    /**
     * Calls the sink once per channel that must receive a document published on an index/collection.
     *
     * @return how many channels were notified.
     */
    public int match(final String index, final String collection, final JsonNode document, final NotificationSink sink)
    {
        treeDocument.parse(document);
        return match(index, collection, treeDocument, sink);
    }

    /**
     * Calls the sink once per channel that must receive a document published on an index/collection: the path of
     * every publish, which allocates nothing.
     *
     * @return how many channels were notified.
     */
    public int match(final String index, final String collection, final Document document, final NotificationSink sink)
    {
        // the filter engine's name of the collection, kept with its rooms: looked up, not built, per publish
        final TreeMap<String, CollectionRooms> collections = roomsByIndex.get(index);
        final CollectionRooms held = null == collections ? null : collections.get(collection);
        if (null == held)
        {
            return 0;
        }
        filters.match(held.filterIndex, document, matches);
        int notified = 0;
        for (int i = 0, n = matches.size(); i < n; i++)
        {
            final Room room = rooms.get(matches.filterId(i));
            final Channel[] channels = room.channels();
            for (int c = 0; c < channels.length; c++)
            {
                final Channel channel = channels[c];
                if (channel.scope().receivesPublish())
                {
                    sink.onChannel(channel.id(), channel.connections(), channel.size());
                    notified++;
                }
            }
        }
        return notified;
    }

    /**
     * Calls the sink once per channel of a room that receives user notifications of this kind.
     *
     * @param joining true for someone joining ("in"), false for someone leaving ("out").
     */
    public void userChannels(final Room room, final boolean joining, final NotificationSink sink)
    {
        for (final Channel channel : room.channels())
        {
            if (channel.users().receives(joining))
            {
                sink.onChannel(channel.id(), channel.connections(), channel.size());
            }
        }
    }

    public Room room(final String roomId)
    {
        return rooms.get(roomId);
    }

    /**
     * @return connections in a room, 0 when it does not exist.
     */
    public int count(final String roomId)
    {
        final Room room = rooms.get(roomId);
        return null == room ? 0 : room.count();
    }

    /**
     * @return index → collection → room id → connections, as {@code realtime:list} answers (sorted indexes and
     * collections, rooms in creation order).
     */
    public Map<String, Map<String, Map<String, Integer>>> list()
    {
        final Map<String, Map<String, Map<String, Integer>>> list = new LinkedHashMap<>();
        roomsByIndex.forEach((index, collections) ->
        {
            final Map<String, Map<String, Integer>> byCollection = new LinkedHashMap<>();
            collections.forEach((collection, held) ->
            {
                final Map<String, Integer> counts = new LinkedHashMap<>();
                held.byId.forEach((id, room) -> counts.put(id, room.count()));
                byCollection.put(collection, counts);
            });
            list.put(index, byCollection);
        });
        return list;
    }

    /**
     * @return rooms in the registry.
     */
    /**
     * Visits every subscription (a connection on a channel of a room), rooms by index, collection and creation
     * order: what a snapshot holds.
     */
    public void forEachSubscription(final SubscriptionVisitor visitor)
    {
        for (final TreeMap<String, CollectionRooms> collections : roomsByIndex.values())
        {
            for (final CollectionRooms held : collections.values())
            {
                for (final Room room : held.byId.values())
                {
                    for (final Channel channel : room.channels())
                    {
                        final long[] connections = channel.connections();
                        for (int i = 0, n = channel.size(); i < n; i++)
                        {
                            visitor.visit(room, connections[i], channel.scope(), channel.users());
                        }
                    }
                }
            }
        }
    }

    /**
     * Receives subscriptions from {@link #forEachSubscription}.
     */
    @FunctionalInterface
    public interface SubscriptionVisitor
    {
        void visit(Room room, long connection, Scope scope, Users users);
    }

    public int roomCount()
    {
        return rooms.size();
    }

    private Subscription add(final Room room, final long connection, final Scope scope, final Users users)
    {
        final Channel existing = room.find(scope, users);
        final boolean already = null != existing && existing.contains(connection);
        final Channel channel = room.add(connection, scope, users);
        roomsByConnection.computeIfAbsent(connection, (k) -> new LinkedHashMap<>()).put(room.id(), room);
        return new Subscription(room.id(), channel.id(), room.count(), !already);
    }

    private void leave(final Room room, final long connection)
    {
        room.remove(connection);
        if (room.count() == 0)
        {
            rooms.remove(room.id());
            final TreeMap<String, CollectionRooms> collections = roomsByIndex.get(room.index());
            final CollectionRooms held = collections.get(room.collection());
            held.byId.remove(room.id());
            if (held.byId.isEmpty())
            {
                collections.remove(room.collection());
                if (collections.isEmpty())
                {
                    roomsByIndex.remove(room.index());
                }
            }
            filters.remove(room.id());
        }
    }

    /**
     * The rooms of one collection, in creation order, with the filter engine's name of the collection.
     */
    private static final class CollectionRooms
    {
        private final String filterIndex;
        private final LinkedHashMap<String, Room> byId = new LinkedHashMap<>();

        CollectionRooms(final String filterIndex)
        {
            this.filterIndex = filterIndex;
        }
    }
}
