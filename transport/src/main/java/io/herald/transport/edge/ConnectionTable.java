package io.herald.transport.edge;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.values.Values;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The edge's connection table: one {@link ConnectionRecord} per open WebSocket connection (id, protocol, remote
 * address, connected-at, requests in, notifications out, subscriptions, the edge's pid), off-heap in a Chronicle Map
 * persisted to {@code <edge dir>/connections-v1.dat}, so that {@code herald stat} reads it live from another process
 * and a restarted edge sees what its previous run left.
 * <p>
 * Written by one thread, the router. Request and notification counts accumulate on-heap per connection and reach
 * the file once a second; a write binds one reusable flyweight to the row ({@code getUsing}, key boxed once per
 * connection) and stores straight into the mapped file, no allocation. A flyweight stays valid only until the next
 * lookup (Chronicle reuses the binding), so none is kept per connection. Rows of closed connections are removed. Entry
 * checksums are off: in-place updates do not refresh them, and a recovery would then drop every row.
 */
public final class ConnectionTable implements AutoCloseable
{
    /** The file name carries the layout version of {@link ConnectionRecord}. */
    public static final String FILE_NAME = "connections-v1.dat";
    public static final byte PROTOCOL_WEBSOCKET = 1;
    public static final byte PROTOCOL_HTTP = 2;
    /** Any other protocol a plugin brings. */
    public static final byte PROTOCOL_OTHER = 0;
    /** MQTT (the MQTT plugin). */
    public static final byte PROTOCOL_MQTT = 3;

    /**
     * @return the table's code of a protocol name.
     */
    public static byte protocolCode(final String protocol)
    {
        return "websocket".equals(protocol) ? PROTOCOL_WEBSOCKET : "http".equals(protocol) ? PROTOCOL_HTTP :
            "mqtt".equals(protocol) ? PROTOCOL_MQTT : PROTOCOL_OTHER;
    }

    /**
     * @return the protocol name of a table's code ({@code other} for a plugin's own protocol).
     */
    public static String protocolName(final byte code)
    {
        switch (code)
        {
            case PROTOCOL_WEBSOCKET:
                return "websocket";
            case PROTOCOL_HTTP:
                return "http";
            case PROTOCOL_MQTT:
                return "mqtt";
            default:
                return "other";
        }
    }

    private final ChronicleMap<Long, ConnectionRecord> map;
    private final File file;
    /**
     * A connection's key (boxed once) and the counts not yet written to the file: per-event counts stay on-heap and
     * reach the table once a second ({@link #flush}), a hash lookup per event instead of a map query.
     */
    private static final class Row
    {
        final Long key;
        long requests;
        long notifications;
        boolean dirty;

        Row(final Long key)
        {
            this.key = key;
        }
    }

    /** How often counts reach the file. */
    static final long FLUSH_INTERVAL_MS = 1_000;

    private final Long2ObjectHashMap<Row> rows = new Long2ObjectHashMap<>();
    private final ArrayList<Row> dirty = new ArrayList<>();
    private long lastFlushMs;
    private final ConnectionRecord using = Values.newNativeReference(ConnectionRecord.class);
    private final long pid = ProcessHandle.current().pid();
    private final int leftByPreviousRun;
    private long untracked;

    private ConnectionTable(
        final ChronicleMap<Long, ConnectionRecord> map, final File file, final int leftByPreviousRun)
    {
        this.map = map;
        this.file = file;
        this.leftByPreviousRun = leftByPreviousRun;
    }

    private static ChronicleMapBuilder<Long, ConnectionRecord> builder(final int capacity)
    {
        return ChronicleMapBuilder.of(Long.class, ConnectionRecord.class)
            .name("herald-connections")
            .entries(capacity)
            .putReturnsNull(true)
            .removeReturnsNull(true)
            .checksumEntries(false);
    }

    /**
     * Opens the table for an edge that is starting: rows a previous run left (it died with its connections open)
     * are counted, then the file starts empty.
     *
     * @param capacity the most connections the edge holds ({@code edge.max.connections}).
     */
    public static ConnectionTable create(final File directory, final int capacity)
    {
        final File file = new File(directory, FILE_NAME);
        try
        {
            Files.createDirectories(directory.toPath());
            int left = 0;
            if (file.exists())
            {
                try (ChronicleMap<Long, ConnectionRecord> previous = builder(capacity).createPersistedTo(file))
                {
                    left = previous.size();
                }
                Files.delete(file.toPath());
            }
            return new ConnectionTable(builder(capacity).createPersistedTo(file), file, left);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the connection table " + file, ex);
        }
    }

    /**
     * Reads a running (or dead) edge's table, for {@code herald stat}.
     *
     * @return false when there is no table in the directory.
     */
    public static boolean read(final File directory, final Consumer<ConnectionRecord> row) throws IOException
    {
        final File file = new File(directory, FILE_NAME);
        if (!file.isFile())
        {
            return false;
        }
        try (ChronicleMap<Long, ConnectionRecord> map = builder(1).createPersistedTo(file))
        {
            final ConnectionRecord using = Values.newHeapInstance(ConnectionRecord.class);
            map.forEachEntry((entry) -> row.accept(entry.value().getUsing(using)));
        }
        return true;
    }

    /**
     * @return rows the previous run of this edge left behind (connections that died with it).
     */
    public int leftByPreviousRun()
    {
        return leftByPreviousRun;
    }

    /**
     * @return connections not in the table because it was full.
     */
    public long untracked()
    {
        return untracked;
    }

    void opened(final long connectionId, final byte protocol, final String remoteAddress, final long nowMs)
    {
        final Long key = connectionId;
        try
        {
            final ConnectionRecord row = map.acquireUsing(key, using);
            row.setConnectionId(connectionId);
            row.setProtocol(protocol);
            row.setRemoteAddress(remoteAddress.length() > 64 ? remoteAddress.substring(0, 64) : remoteAddress);
            row.setConnectedAtMs(nowMs);
            row.setEdgePid(pid);
            rows.put(connectionId, new Row(key));
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            untracked++;
        }
    }

    void request(final long connectionId)
    {
        final Row row = rows.get(connectionId);
        if (null != row)
        {
            row.requests++;
            markDirty(row);
        }
    }

    void notified(final long connectionId)
    {
        final Row row = rows.get(connectionId);
        if (null != row)
        {
            row.notifications++;
            markDirty(row);
        }
    }

    void subscriptions(final long connectionId, final int delta)
    {
        final Row row = rows.get(connectionId);
        final ConnectionRecord record = null == row ? null : map.getUsing(row.key, using);
        if (null != record)
        {
            record.setSubscriptionCount(Math.max(0, record.getSubscriptionCount() + delta));
        }
    }

    void closed(final long connectionId)
    {
        final Row row = rows.remove(connectionId);
        if (null != row)
        {
            row.dirty = false;
            map.remove(row.key);
        }
    }

    /**
     * Writes the counts gathered since the last flush, at most once per {@link #FLUSH_INTERVAL_MS} unless forced.
     *
     * @return rows written.
     */
    int flush(final long nowMs, final boolean force)
    {
        if (dirty.isEmpty() || (!force && nowMs - lastFlushMs < FLUSH_INTERVAL_MS))
        {
            return 0;
        }
        lastFlushMs = nowMs;
        int written = 0;
        for (int i = 0, n = dirty.size(); i < n; i++)
        {
            final Row row = dirty.get(i);
            if (row.dirty)
            {
                row.dirty = false;
                final ConnectionRecord record = map.getUsing(row.key, using);
                if (null != record)
                {
                    record.addRequestsIn(row.requests);
                    record.addNotificationsOut(row.notifications);
                    written++;
                }
                row.requests = 0;
                row.notifications = 0;
            }
        }
        dirty.clear();
        return written;
    }

    private void markDirty(final Row row)
    {
        if (!row.dirty)
        {
            row.dirty = true;
            dirty.add(row);
        }
    }

    /**
     * @return connections in the table.
     */
    public int size()
    {
        return rows.size();
    }

    /**
     * Unmaps the table and leaves its file as a process that died would (for tests: one JVM cannot reopen a file it
     * still maps as a new map).
     */
    void abandon()
    {
        rows.clear();
        map.close();
    }

    /**
     * An orderly stop: the edge's connections are closed, so is the table, and its file goes (a file found at the next
     * start means the edge died).
     */
    public void close()
    {
        rows.clear();
        map.close();
        if (!file.delete() && file.exists())
        {
            throw new IllegalStateException("cannot delete " + file);
        }
    }
}
