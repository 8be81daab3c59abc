package io.herald.transport.edge;

import io.herald.engine.counters.HeraldCounter;
import io.herald.transport.Counters;
import io.herald.transport.edge.plugin.ConnectionWriter;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.status.AtomicCounter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client sockets an edge holds, by connection id: ids are handed out by the I/O threads when a socket opens,
 * and responses and notifications are written by connection id from any thread (Netty runs the write on the
 * socket's event loop).
 */
public final class EdgeConnections
{
    private static final class Client
    {
        private final long id;
        private final Channel channel;
        private final String protocol;
        private final ConnectionWriter writer;
        private final boolean oneShot;
        /** Its protocol's encoder ({@link ConnectionWriter#framedContext}); on the event loop only. */
        private ChannelHandlerContext framed;
        /** Below the encoder: where shared frames wait for the flush; on the event loop only. */
        private FrameGatherer gatherer;
        /** Out of the table: a router that kept this client (see {@link Deliveries}) looks it up again. */
        private volatile boolean gone;

        Client(final long id, final Channel channel, final String protocol, final ConnectionWriter writer,
            final boolean oneShot)
        {
            this.id = id;
            this.channel = channel;
            this.protocol = protocol;
            this.writer = writer;
            this.oneShot = oneShot;
        }

        long id()
        {
            return id;
        }

        Channel channel()
        {
            return channel;
        }

        String protocol()
        {
            return protocol;
        }

        ConnectionWriter writer()
        {
            return writer;
        }

        boolean oneShot()
        {
            return oneShot;
        }

        boolean isGone()
        {
            return gone;
        }

        /**
         * Writes a frame shared by several connections (the caller keeps its reference): gathered with the
         * connection's other frames until the next flush ({@link FrameGatherer}, placed below the protocol's encoder)
         * when the protocol says where its encoder is, else a retained duplicate through the whole pipeline. Called
         * on the channel's event loop.
         *
         * @return false when frames written since the connection's last flush wait in its gatherer already (it was
         * marked for the flush then).
         */
        boolean writeShared(final ByteBuf frame)
        {
            ChannelHandlerContext context = framed;
            if (null == context || context.isRemoved())
            {
                context = writer.framedContext(channel);
                framed = context;
                gatherer = null == context ? null : gathererBelow(context);
            }
            if (null == gatherer)
            {
                channel.write(frame.retainedDuplicate(), channel.voidPromise());
                return true;
            }
            return gatherer.gather(frame);
        }

        private FrameGatherer gathererBelow(final ChannelHandlerContext encoder)
        {
            final ChannelPipeline pipeline = channel.pipeline();
            FrameGatherer gatherer = (FrameGatherer)pipeline.get(FrameGatherer.NAME);
            if (null == gatherer)
            {
                gatherer = new FrameGatherer();
                pipeline.addBefore(encoder.name(), FrameGatherer.NAME, gatherer);
            }
            return gatherer;
        }
    }

    /** What a client may leave unread before it is closed as a slow consumer, unless configured. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 16L << 20;
    /** How long a client may stay over the limit before it is a slow consumer. */
    private static final long SLOW_CONSUMER_GRACE_NS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How many times a loop's flush waits for tasks queued after it (more batches): a bound, so that a loop kept
     * busy still flushes.
     */
    private static final int MAX_FLUSH_DEFERRALS = 4;
    /** A slow consumer that does not read its close frame either is cut off after this. */
    private static final long SLOW_CLOSE_GRACE_MS = 5_000;

    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventLoop, LoopFlusher> flushers = new ConcurrentHashMap<>();
    /** Written batches, handed back by the loops for the router to fill again. */
    private final ManyToOneConcurrentArrayQueue<LoopBatch> spareBatches = new ManyToOneConcurrentArrayQueue<>(64);
    /** The router's batch of deliveries, sent before anything else that thread writes. */
    private volatile Deliveries deliveries;
    private volatile long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
    private AtomicCounter slowConsumers;
    private AtomicCounter notifications;

    public EdgeConnections()
    {
        counters(Counters.inMemory());
    }

    /**
     * @param bytes what a client may leave unread (answers and notifications the edge could not write to its
     *              socket yet) before the edge closes its connection as a slow consumer: one stalled client must
     *              not hold the edge's memory.
     * @return this.
     */
    public EdgeConnections maxPendingBytes(final long bytes)
    {
        this.maxPendingBytes = bytes;
        return this;
    }

    /**
     * @return connections closed because their client left more than the limit unread.
     */
    public long slowConsumers()
    {
        return slowConsumers.get();
    }

    /**
     * @param counters where slow consumers are counted.
     * @return this.
     */
    public EdgeConnections counters(final Counters counters)
    {
        this.slowConsumers = counters.get(HeraldCounter.SLOW_CONSUMERS);
        this.notifications = counters.get(HeraldCounter.NOTIFICATIONS);
        return this;
    }

    /**
     * Registers a connection that stays open (WebSocket and the like).
     *
     * @return its id.
     */
    public long open(final Channel channel, final String protocol, final ConnectionWriter writer)
    {
        final long id = nextId.getAndIncrement();
        clients.put(id, new Client(id, channel, protocol, writer, false));
        return id;
    }

    /**
     * Registers one request of a request/response protocol: its first answer is the last, and closes the id.
     *
     * @return its id.
     */
    public long openOneShot(final Channel channel, final ConnectionWriter writer)
    {
        final long id = nextId.getAndIncrement();
        clients.put(id, new Client(id, channel, null, writer, true));
        return id;
    }

    /**
     * @return the protocol of the connection, or null when it was not open (or was a one-shot id).
     */
    public String closed(final long id)
    {
        final Client client = clients.remove(id);
        if (null == client)
        {
            return null;
        }
        client.gone = true;
        return client.protocol();
    }

    /**
     * @return the id the next connection will get: every connection open now has a lower one.
     */
    public long nextId()
    {
        return nextId.get();
    }

    /**
     * Closes, for their clients to reconnect, the connections that stay open (one-shot requests finish on their own)
     * with an id below a bound; each socket's close then reaches the router like any other disconnection.
     *
     * @return connections closed.
     */
    public int closeForReconnect(final long idsBelow)
    {
        int closed = 0;
        for (final Map.Entry<Long, Client> entry : clients.entrySet())
        {
            final Client client = entry.getValue();
            if (!client.oneShot() && entry.getKey() < idsBelow)
            {
                client.writer().closeForReconnect(client.channel());
                closed++;
            }
        }
        return closed;
    }

    /**
     * Writes a response or notification to a connection, in its protocol's framing.
     *
     * @return false when the connection is gone.
     */
    public boolean sendText(final long connectionId, final byte[] frame)
    {
        final Deliveries pending = deliveries;
        if (null != pending && pending.frames > 0 && pending.owner == Thread.currentThread())
        {
            // the sender's batched frames go first: a connection's frames keep the order they were sent in
            pending.send();
        }
        final Client client = clients.get(connectionId);
        if (null == client)
        {
            return false;
        }
        if (client.oneShot())
        {
            clients.remove(connectionId);
            client.gone = true;
        }
        final Channel channel = client.channel();
        if (!channel.isActive())
        {
            return false;
        }
        channel.eventLoop().execute(() ->
        {
            if (channel.isActive())
            {
                client.writer().write(channel, frame);
                channel.flush();
                flusher(channel.eventLoop()).checkPending(client);
            }
        });
        return true;
    }

    private LoopFlusher flusher(final EventLoop loop)
    {
        // looked up first: LoopFlusher::new captures this, so computeIfAbsent alone allocates on every call
        final LoopFlusher known = flushers.get(loop);
        return null != known ? known : flushers.computeIfAbsent(loop, LoopFlusher::new);
    }

    /**
     * @return a batch of deliveries for one thread (the router) to fill and send.
     */
    public Deliveries newDeliveries()
    {
        deliveries = new Deliveries();
        return deliveries;
    }

    /**
     * Many frames to many connections, handed to each event loop as one task that writes them all: one cross-thread
     * hand-off per loop per batch instead of one per frame. The loop's {@link LoopFlusher} then flushes each connection
     * once for every batch queued before it, and the router sends its batch once per duty cycle, so the notifications
     * of many publishes to one connection leave in one socket write. Frames to the same connection keep their order: a
     * {@link #sendText} from the thread filling the batch sends the batch first, and a batch sent after a
     * {@link #sendText} comes after it (one task queue per loop). Not thread-safe: one per sending thread (the
     * router's).
     */
    public final class Deliveries
    {
        private final ArrayList<LoopBatch> batches = new ArrayList<>();
        private int frames;
        /** Of the frames, how many are responses (not counted as notifications). */
        private int responses;
        private Thread owner;
        /**
         * The clients this thread delivered to, by id: looked up here without boxing the id, as the table would;
         * an entry whose client left the table is looked up there again, and such entries are swept now and then.
         */
        private final Long2ObjectHashMap<Client> known = new Long2ObjectHashMap<>();
        private int sends;

        /**
         * Adds a notification.
         *
         * @return false when the connection is gone.
         */
        public boolean add(final long connectionId, final byte[] frame)
        {
            return add(connectionId, frame, false);
        }

        /**
         * Adds a response, written as its protocol writes answers ({@link ConnectionWriter#write}), in order with the
         * notifications around it: sent with the batch instead of a task and a flush of its own.
         *
         * @return false when the connection is gone.
         */
        public boolean addResponse(final long connectionId, final byte[] frame)
        {
            return add(connectionId, frame, true);
        }

        private boolean add(final long connectionId, final byte[] frame, final boolean response)
        {
            Client client = known.get(connectionId);
            if (null == client || client.gone)
            {
                client = clients.get(connectionId);
                if (null == client || client.oneShot())
                {
                    known.remove(connectionId);
                    return null != client && sendText(connectionId, frame);
                }
                known.put(connectionId, client);
            }
            final EventLoop loop = client.channel().eventLoop();
            LoopBatch batch = null;
            for (int i = 0, n = batches.size(); i < n && null == batch; i++)
            {
                if (batches.get(i).loop == loop)
                {
                    batch = batches.get(i);
                }
            }
            if (null == batch)
            {
                batch = spareBatches.poll();
                batch = (null == batch ? new LoopBatch() : batch).of(loop, flusher(loop));
                batches.add(batch);
            }
            batch.clients.add(client);
            batch.frames.add(frame);
            batch.responses.add(response);
            frames++;
            if (response)
            {
                responses++;
            }
            owner = Thread.currentThread();
            return true;
        }

        /**
         * Hands the batch to the event loops.
         *
         * @return frames handed over.
         */
        public int send()
        {
            final int sent = frames;
            if (sent > responses)
            {
                notifications.getAndAddRelease(sent - responses); // one thread fills a batch: a release store, no lock
            }
            responses = 0;
            for (int i = 0, n = batches.size(); i < n; i++)
            {
                final LoopBatch batch = batches.get(i);
                batch.loop.execute(batch);
            }
            batches.clear();
            frames = 0;
            if ((++sends & 0xFFF) == 0)
            {
                known.values().removeIf(Client::isGone);
            }
            return sent;
        }
    }

    /**
     * Reused: a loop hands a batch back once it wrote it, and the router fills it again, lists grown to size.
     */
    private final class LoopBatch implements Runnable
    {
        private EventLoop loop;
        private LoopFlusher flusher;
        private final ArrayList<Client> clients = new ArrayList<>();
        private final ArrayList<byte[]> frames = new ArrayList<>();
        /** Whether each frame is a response rather than a notification. */
        private final ArrayList<Boolean> responses = new ArrayList<>();
        /** The framed buffer of the run of connections receiving the same JSON, during {@link #run}. */
        private ByteBuf shared;
        private byte[] sharedJson;
        private ConnectionWriter sharedWriter;

        LoopBatch of(final EventLoop loop, final LoopFlusher flusher)
        {
            this.loop = loop;
            this.flusher = flusher;
            return this;
        }

        /**
         * Writes every frame; a run of connections receiving the same JSON (the router adds a channel's connections
         * one after the other) shares one framed buffer when their protocol allows
         * ({@link ConnectionWriter#frameOnce}).
         */
        public void run()
        {
            try
            {
                for (int i = 0, n = clients.size(); i < n; i++)
                {
                    final Client client = clients.get(i);
                    final Channel channel = client.channel();
                    if (!channel.isActive())
                    {
                        continue;
                    }
                    try
                    {
                        write(client, channel, frames.get(i), responses.get(i));
                    }
                    catch (final RuntimeException | OutOfMemoryError ex)
                    {
                        // this connection misses a frame (no direct memory left, a writer's bug): it ends, logged once
                        // per distinct error, and its client reconnects, rather than going on without it; the batch
                        // goes on for the others
                        channel.pipeline().fireExceptionCaught(ex);
                    }
                }
            }
            finally
            {
                releaseShared();
                sharedJson = null;
                sharedWriter = null;
                clients.clear();
                frames.clear();
                responses.clear();
                spareBatches.offer(this); // a full pool drops it: the garbage collector takes it
            }
        }

        private void write(final Client client, final Channel channel, final byte[] json, final boolean response)
        {
            if (response)
            {
                client.writer().write(channel, json); // what the gatherer holds goes first
                flusher.mark(client);
                return;
            }
            if (json != sharedJson || client.writer() != sharedWriter)
            {
                releaseShared();
                sharedJson = json;
                sharedWriter = client.writer();
                shared = sharedWriter.frameOnce(channel, json);
            }
            if (null != shared)
            {
                if (client.writer().takes(channel, json) && client.writeShared(shared))
                {
                    flusher.mark(client);
                }
            }
            else
            {
                client.writer().writeNotification(channel, json);
                flusher.mark(client);
            }
        }

        private void releaseShared()
        {
            if (null != shared)
            {
                shared.release();
                shared = null;
            }
        }
    }

    /**
     * Flushes the connections an event loop's batches wrote to, in a task queued behind those batches: when batches
     * queue up (the loop is behind), the notifications of all of them leave in one socket write per connection
     * instead of one each. On a loop keeping up, the flush follows its batch at once. Used by its loop's thread only.
     */
    private final class LoopFlusher implements Runnable
    {
        private final EventLoop loop;
        private final IdentityHashMap<Channel, Client> dirty = new IdentityHashMap<>();
        /** Connections found over the pending limit, since when (nanoseconds). */
        private final IdentityHashMap<Channel, Long> overLimitSince = new IdentityHashMap<>();
        private boolean scheduled;
        private int deferrals;

        LoopFlusher(final EventLoop loop)
        {
            this.loop = loop;
        }

        void mark(final Client client)
        {
            dirty.put(client.channel(), client);
            if (!scheduled)
            {
                scheduled = true;
                loop.execute(this);
            }
        }

        public void run()
        {
            if (deferrals < MAX_FLUSH_DEFERRALS && loop instanceof SingleThreadEventExecutor tasks &&
                tasks.pendingTasks() > 0)
            {
                // batches queued since: written first, so that each connection's frames leave in one socket write
                deferrals++;
                loop.execute(this);
                return;
            }
            deferrals = 0;
            scheduled = false;
            for (final Client client : dirty.values())
            {
                client.channel().flush();
                checkPending(client);
            }
            dirty.clear();
        }

        /**
         * After a connection was flushed: what its socket did not take is what its client has not read yet. A client
         * that stays more than {@link EdgeConnections#maxPendingBytes} behind for {@link #SLOW_CONSUMER_GRACE_NS} (a
         * burst a reading client drains does not count) stops receiving (it leaves the table at once) and is closed.
         * Called on the channel's event loop.
         */
        void checkPending(final Client client)
        {
            final Channel channel = client.channel();
            final ChannelOutboundBuffer unread = channel.unsafe().outboundBuffer();
            final long pending = null == unread ? 0 : unread.totalPendingWriteBytes();
            if (pending <= maxPendingBytes)
            {
                if (!overLimitSince.isEmpty())
                {
                    overLimitSince.remove(channel);
                }
                return;
            }
            final long now = System.nanoTime();
            final Long since = overLimitSince.putIfAbsent(channel, now);
            if (null == since)
            {
                // looked at again when the grace ends, whether or not more is written to it by then
                channel.closeFuture().addListener((future) -> overLimitSince.remove(channel));
                channel.eventLoop().schedule(() -> checkPending(client),
                    SLOW_CONSUMER_GRACE_NS + 1_000_000, TimeUnit.NANOSECONDS);
                return;
            }
            if (now - since < SLOW_CONSUMER_GRACE_NS || !clients.remove(client.id(), client))
            {
                return;
            }
            client.gone = true;
            overLimitSince.remove(channel);
            slowConsumers.increment();
            System.err.println("herald edge: connection " + client.id() + " (" + channel.remoteAddress() + ") left " +
                pending + " bytes unread for more than " + TimeUnit.NANOSECONDS.toMillis(SLOW_CONSUMER_GRACE_NS) +
                " ms, more than edge.max.pending.bytes=" + maxPendingBytes + ": closed as a slow consumer");
            client.writer().closeSlowConsumer(channel,
                "slow consumer: more than " + maxPendingBytes + " bytes unread");
            channel.eventLoop().schedule(() -> channel.close(), SLOW_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @return open connections and one-shot requests waiting for their answer.
     */
    public int size()
    {
        return clients.size();
    }
}
