package io.herald.engine.edge;

import io.herald.engine.counters.RoundTrips;
import io.herald.engine.kuzzle.DocumentNotification;
import org.agrona.concurrent.status.AtomicCounter;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.ResponseWriter;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The requests an edge's router sends to the nodes, from the moment it takes them until they are answered: writes
 * queue for the cluster, reads (publishes, counts, lists) for a node's read side (both behind {@link NodeLinks});
 * both go out in the order taken and wait in their queue under back pressure. Each request is
 * timed ({@code edge.request.timeout}: its client is answered 503), and a read a node does not start answering in
 * time goes to another node ({@link ReadDeadline}). Times come from injected clocks. Not thread-safe: it belongs to
 * the router.
 * <p>
 * Writes survive leader changes: every write stays here until the cluster answers it, and when the cluster has a new
 * leader or the edge a new session ({@link #resendWrites()}), the writes sent and left unanswered go again, in their
 * order, ahead of those not sent yet. The cluster applies each write once and answers a copy with the first answer
 * (each write says which is the oldest still waiting, so the cluster knows which answers to keep). A write no leader
 * answered within the request timeout is answered 503: "not applied" when it never left the edge, "may have been
 * applied" when it went to a leader that was lost before answering (it is still sent again, so that the cluster
 * settles it).
 */
public final class NodeRequests
{
    /** A request a node has not answered after this long is answered 503 (setting {@code edge.request.timeout}). */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
    /** A read without a first answer after this goes to another node (setting {@code edge.read.failover}); less
     * when the nodes answer faster ({@link ReadDeadline}). */
    public static final long DEFAULT_READ_FAILOVER_NS = 500_000_000L;
    static final long FAILOVER_CHECK_NS = 20_000_000L;
    /** How long a node that left a read unanswered stays out of the rotation. */
    static final long SUSPECT_NS = 1_000_000_000L;
    /** Requests waiting for a node beyond this, per queue, are refused 503 (closes are always taken). */
    static final int MAX_QUEUED = 65_536;

    private final NodeLinks links;
    private final Replies replies;
    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final ResponseWriter responses = new ResponseWriter();
    private final Long2ObjectHashMap<PendingRequest> pending = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<PendingRequest> publishes = new Long2ObjectHashMap<>();
    private final ArrayDeque<NodeRequest> writeQueue = new ArrayDeque<>();
    private final ArrayDeque<NodeRequest> readQueue = new ArrayDeque<>();
    private final LongArrayQueue timeoutIds = new LongArrayQueue(Long.MIN_VALUE);
    private final LongArrayQueue timeoutDeadlines = new LongArrayQueue(Long.MIN_VALUE);
    private final LongArrayList resend = new LongArrayList();
    private final UnansweredWrites writes = new UnansweredWrites();
    private long writesResent;
    private LongSupplier readFloor = () -> 0;
    private AtomicCounter writesResentCounter;
    /** Subscriptions each connection holds: subscribe and join answered, minus unsubscribes answered. */
    private final Long2LongHashMap held = new Long2LongHashMap(0);
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private ReadDeadline readDeadline = new ReadDeadline(DEFAULT_READ_FAILOVER_NS);
    private long lastFailoverCheckNs;
    private long failedOver;
    private long lastLogPosition;
    private long nextCorrelationId = 1;
    private AtomicCounter failovers;
    private RoundTrips roundTrips;

    /**
     * @param clock     times requests out ({@code edge.request.timeout}).
     * @param nanoClock times reads for their failover.
     */
    public NodeRequests(
        final NodeLinks links, final Replies replies, final EpochClock clock, final NanoClock nanoClock)
    {
        this.links = links;
        this.replies = replies;
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    /**
     * @return the links the requests go out on.
     */
    public NodeLinks links()
    {
        return links;
    }

    /**
     * @param timeoutMs how long a request waits for a node's answer before its client is answered 503.
     * @return this.
     */
    public NodeRequests requestTimeoutMs(final long timeoutMs)
    {
        this.requestTimeoutMs = timeoutMs;
        return this;
    }

    /**
     * @param roundTrips where each request's time from being taken to its (first) answer is recorded.
     * @return this.
     */
    public NodeRequests roundTrips(final RoundTrips roundTrips)
    {
        this.roundTrips = roundTrips;
        return this;
    }

    /**
     * Counts read failovers, and the answers it writes itself (errors, timeouts) by status class.
     *
     * @return this.
     */
    public NodeRequests countInto(
        final AtomicCounter failovers, final AtomicCounter ok, final AtomicCounter clientErrors,
        final AtomicCounter serverErrors)
    {
        this.failovers = failovers;
        responses.countInto(ok, clientErrors, serverErrors);
        return this;
    }

    /**
     * Reads also ask a node to have applied the log as far as this says (besides this edge's own writes): with the
     * highest position any node reported, a node that restarted and is replaying the log holds reads until it has
     * caught up with the others (or they go to another node), instead of answering from an older registry.
     *
     * @return this.
     */
    public NodeRequests readFloor(final LongSupplier floor)
    {
        this.readFloor = floor;
        return this;
    }

    /**
     * @param resent counts the writes sent again after a leader change or a new session.
     * @return this.
     */
    public NodeRequests countResentInto(final AtomicCounter resent)
    {
        this.writesResentCounter = resent;
        return this;
    }

    /**
     * @return a correlation id no request of this edge has had.
     */
    public long nextId()
    {
        return nextCorrelationId++;
    }

    /**
     * The cluster acknowledged a write at this log position: reads sent from now on ask a node to have applied it
     * (read-your-writes).
     */
    public void acknowledgedAt(final long logPosition)
    {
        lastLogPosition = Math.max(lastLogPosition, logPosition);
    }

    /**
     * @return requests waiting for a node's answer.
     */
    public int inFlight()
    {
        return pending.size() + publishes.size();
    }

    /**
     * Queues a write for the cluster and sends what the queue lets go.
     *
     * @throws KuzzleException 503 when the write queue is full.
     */
    public void write(final long connectionId, final KuzzleRequest request, final NodeRequest write)
    {
        enqueue(writeQueue, write);
        pending.put(write.correlationId(), taken(new PendingRequest(connectionId, request, null, null)));
        writes.add(write);
        timeRequest(write.correlationId());
        send(writeQueue);
    }

    /**
     * A write with no answer of its own (a close) was applied.
     */
    public void applied(final long correlationId)
    {
        writes.remove(correlationId);
    }

    /**
     * @return the oldest write the cluster has not answered (the cluster may forget the answers of earlier ones), or
     *         the next id when none waits.
     */
    public long oldestPendingWrite()
    {
        return writes.oldest(nextCorrelationId);
    }

    /**
     * @return writes (closes included) the cluster has not answered yet.
     */
    public int unansweredWrites()
    {
        return writes.size();
    }

    /**
     * The cluster has a new leader, or the edge a new session: every write not answered yet is queued again in its
     * order (those sent to the old leader first, then those not sent yet), and goes out now if it can.
     *
     * @return writes sent before and queued again.
     */
    public int resendWrites()
    {
        final int queuedBefore = writeQueue.size();
        writes.requeue(writeQueue);
        final int resent = writeQueue.size() - queuedBefore;
        writesResent += resent;
        if (null != writesResentCounter)
        {
            writesResentCounter.getAndAdd(resent);
        }
        if (links.hasCluster())
        {
            send(writeQueue);
        }
        return resent;
    }

    /**
     * @return writes sent again after a leader change or a new session, since the start.
     */
    public long writesResent()
    {
        return writesResent;
    }

    /**
     * A closed connection's subscriptions must go: never refused (a close that is not sent leaks them), not timed
     * (nobody waits for its answer).
     */
    public void closed(final long connectionId)
    {
        held.remove(connectionId);
        final NodeRequest close = new NodeRequest(NodeRequest.CLOSE, nextCorrelationId++, connectionId, null, null,
            null, null, 0, 0, null);
        writeQueue.add(close);
        writes.add(close);
    }

    /**
     * A subscribe or join was answered (+1), or an unsubscribe (-1).
     */
    public void subscriptionsChanged(final long connectionId, final int delta)
    {
        final long now = held.get(connectionId) + delta;
        if (now <= 0)
        {
            held.remove(connectionId);
        }
        else
        {
            held.put(connectionId, now);
        }
    }

    /**
     * @return the subscriptions a connection holds (answered subscribes and joins, minus unsubscribes).
     */
    public long subscriptionsHeld(final long connectionId)
    {
        return held.get(connectionId);
    }

    /**
     * Queues a count or a list for a node.
     *
     * @throws KuzzleException 503 when no node serves reads or the read queue is full.
     */
    public void read(final long connectionId, final KuzzleRequest request, final NodeRequest read)
    {
        requireReads();
        enqueue(readQueue, read);
        pending.put(read.correlationId(), taken(new PendingRequest(connectionId, request, read, null)));
        timeRequest(read.correlationId());
        send(readQueue);
    }

    /**
     * Queues a publish for a node; its answer comes in chunks ({@link #publishAnswer}).
     *
     * @throws KuzzleException 503 when no node serves reads or the read queue is full.
     */
    public void publish(
        final long connectionId, final KuzzleRequest request, final NodeRequest read,
        final DocumentNotification notification)
    {
        enqueue(readQueue, read);
        publishes.put(read.correlationId(), taken(new PendingRequest(connectionId, request, read, notification)));
        timeRequest(read.correlationId());
        send(readQueue);
    }

    /**
     * @throws KuzzleException 503 when no node serves reads.
     */
    public void requireReads()
    {
        if (!links.hasReads())
        {
            throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "no node serves reads");
        }
    }

    /**
     * @return the request a node answered (it is no longer waiting), or null when it was answered, timed out or sent
     *         again under another id already.
     */
    public PendingRequest answered(final long correlationId)
    {
        writes.remove(correlationId);
        return record(pending.remove(correlationId));
    }

    /**
     * @return the request (a publish included) a node answered with an error, or null when it is no longer waiting.
     */
    public PendingRequest failed(final long correlationId)
    {
        writes.remove(correlationId);
        final PendingRequest request = pending.remove(correlationId);
        return record(null != request ? request : publishes.remove(correlationId));
    }

    /**
     * A chunk of a publish's answer: the first one times the node's answer ({@link ReadDeadline}); the last one
     * ends the wait.
     *
     * @return the publish, or null when it is no longer waiting.
     */
    public PendingRequest publishAnswer(final long correlationId, final boolean last)
    {
        final PendingRequest publish = last ? publishes.remove(correlationId) : publishes.get(correlationId);
        if (null != publish && !publish.answered)
        {
            if (publish.sentAtNs != 0)
            {
                readDeadline.answered(nanoClock.nanoTime() - publish.sentAtNs);
            }
            record(publish);
        }
        if (null != publish)
        {
            publish.answered = true;
        }
        return publish;
    }

    /**
     * Sends what the queues let go (they wait under back pressure, retried every duty cycle).
     *
     * @return requests sent.
     */
    public int send()
    {
        return (links.hasCluster() ? send(writeQueue) : 0) + (links.hasReads() ? send(readQueue) : 0);
    }

    /**
     * Requests are timed in the order they were taken, with one timeout: only the oldest need checking. A request
     * answered meanwhile is simply skipped. A write that never left the edge (no leader took it) is dropped and its
     * client told it was not applied; a write a lost leader took may have been applied, and its client is told so.
     */
    public int expire(final long nowMs)
    {
        int expired = 0;
        while (!timeoutIds.isEmpty() && timeoutDeadlines.peekLong() <= nowMs)
        {
            final long correlationId = timeoutIds.pollLong();
            timeoutDeadlines.pollLong();
            final PendingRequest request = pending.remove(correlationId);
            final PendingRequest publish = null == request ? publishes.remove(correlationId) : null;
            final long connectionId = null != request ? request.connectionId() :
                null != publish ? publish.connectionId() : -1;
            if (connectionId >= 0)
            {
                final boolean neverSent = null != request && null == request.read && !request.sent;
                if (neverSent)
                {
                    // its client is told it was not applied: it must never go
                    writeQueue.removeFirstOccurrence(writes.remove(correlationId));
                }
                replies.send(connectionId, responses.error(null,
                    null != request ? request.request() : publish.request(),
                    new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, timeoutReason(request, neverSent))));
                expired++;
            }
        }
        return expired;
    }

    private String timeoutReason(final PendingRequest request, final boolean neverSent)
    {
        if (null == request || null != request.read)
        {
            return "no node answered within " + requestTimeoutMs + " ms";
        }
        if (neverSent)
        {
            return "the cluster had no leader for " + requestTimeoutMs + " ms; this request was not applied";
        }
        return "the cluster lost its leader and had none for " + requestTimeoutMs + " ms; this request reached " +
            "the lost leader and may have been applied";
    }

    private PendingRequest taken(final PendingRequest request)
    {
        request.takenAtNs = nanoClock.nanoTime();
        return request;
    }

    private PendingRequest record(final PendingRequest request)
    {
        if (null != request && null != roundTrips)
        {
            roundTrips.record(nanoClock.nanoTime() - request.takenAtNs);
        }
        return request;
    }

    private void timeRequest(final long correlationId)
    {
        timeoutIds.addLong(correlationId);
        timeoutDeadlines.addLong(clock.time() + requestTimeoutMs);
    }

    private void sentToNode(final long correlationId)
    {
        PendingRequest entry = publishes.get(correlationId);
        if (null == entry)
        {
            entry = pending.get(correlationId);
        }
        if (null != entry)
        {
            entry.node = links.lastReadNode();
            entry.sentAtNs = nanoClock.nanoTime();
        }
    }

    /**
     * A read a node has not started answering within the read deadline goes to another node under a new
     * correlation id (a late answer to the old id is ignored, so nothing is notified twice), and that node leaves the
     * rotation for a while. Publishes whose answer had begun (chunked lists) are not re-sent: their client gets the
     * request timeout instead of duplicates.
     */
    public int failOver(final long nowNs)
    {
        if (!links.hasReads() || links.readNodes() < 2 || nowNs - lastFailoverCheckNs < FAILOVER_CHECK_NS)
        {
            return 0;
        }
        lastFailoverCheckNs = nowNs;
        resend.clear();
        final long deadlineNs = readDeadline.update();
        collectLate(publishes, nowNs, deadlineNs);
        collectLate(pending, nowNs, deadlineNs);
        for (int i = 0, n = resend.size(); i < n; i++)
        {
            final long oldId = resend.getLong(i);
            PendingRequest entry = publishes.remove(oldId);
            final boolean publish = null != entry;
            if (!publish)
            {
                entry = pending.remove(oldId);
            }
            links.suspect(entry.node, SUSPECT_NS);
            final long newId = nextCorrelationId++;
            entry.read = entry.read.withCorrelationId(newId);
            entry.node = -1;
            (publish ? publishes : pending).put(newId, entry);
            readQueue.addFirst(entry.read);
            timeRequest(newId);
            failedOver++;
            if (null != failovers)
            {
                failovers.increment();
            }
        }
        return resend.size() + send(readQueue);
    }

    private void collectLate(
        final Long2ObjectHashMap<PendingRequest> entries, final long nowNs, final long deadlineNs)
    {
        for (final Long2ObjectHashMap<PendingRequest>.EntryIterator it = entries.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final PendingRequest entry = it.getValue();
            if (null != entry.read && entry.node >= 0 && !entry.answered && nowNs - entry.sentAtNs > deadlineNs)
            {
                resend.addLong(it.getLongKey());
            }
        }
    }

    /**
     * @return reads sent again to another node because the first did not answer in time.
     */
    public long failedOver()
    {
        return failedOver;
    }

    /**
     * @param timeoutNs how long a read may wait for a node's first answer before going to another node, at most:
     *                  the router goes by the answer times it sees ({@link ReadDeadline}).
     * @return this.
     */
    public NodeRequests readFailoverNs(final long timeoutNs)
    {
        this.readDeadline = new ReadDeadline(timeoutNs);
        return this;
    }

    /**
     * @return how long a read now waits for a first answer before it goes to another node.
     */
    public long readDeadlineNs()
    {
        return readDeadline.deadlineNs();
    }

    private static void enqueue(final ArrayDeque<NodeRequest> queue, final NodeRequest write)
    {
        if (queue.size() >= MAX_QUEUED)
        {
            throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "the nodes are not keeping up (" +
                MAX_QUEUED + " requests waiting)");
        }
        queue.add(write);
    }

    /**
     * Requests go to the nodes in the order the edge took them (a close never overtakes its connection's
     * subscribe); under back pressure they wait in their queue, retried every duty cycle.
     */
    private int send(final ArrayDeque<NodeRequest> queue)
    {
        int sent = 0;
        for (NodeRequest write = queue.peek(); null != write; write = queue.peek())
        {
            try
            {
                if (!offer(write))
                {
                    break;
                }
                if (!write.isWrite())
                {
                    sentToNode(write.correlationId());
                }
                else
                {
                    final PendingRequest request = pending.get(write.correlationId());
                    if (null != request)
                    {
                        request.sent = true;
                    }
                }
            }
            catch (final KuzzleException ex)
            {
                // too large for the link: this request alone fails, and is not applied
                final PendingRequest request = failed(write.correlationId());
                if (null != request)
                {
                    replies.send(request.connectionId(), responses.error(null, request.request(), ex));
                }
            }
            queue.poll();
            sent++;
        }
        return sent;
    }

    private boolean offer(final NodeRequest request)
    {
        return request.isWrite() ? links.offer(request, 0, oldestPendingWrite()) :
            links.offer(request, Math.max(lastLogPosition, readFloor.getAsLong()), 0);
    }
}
