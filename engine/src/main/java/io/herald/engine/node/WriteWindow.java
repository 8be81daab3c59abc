package io.herald.engine.node;

import io.herald.engine.registry.Connections;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayQueue;

import java.util.function.IntFunction;

/**
 * What makes an edge's writes apply exactly once: an edge sends its unanswered writes again to a new leader (the old
 * one may have appended them and died before answering), and Aeron Cluster does not deduplicate across leaders or
 * sessions. An edge numbers its writes in the order it sends them (correlation ids, increasing, per edge run), so a
 * write whose id is not above the edge's last applied one is a copy: it is answered with the answer it had, kept
 * here, and changes nothing. The answers kept are those the edge may still ask again for: each write says which is
 * the edge's oldest unanswered one ({@code oldestPending}) and the answers before it are forgotten; at most
 * {@link #MAX_KEPT_PER_EDGE} per edge are kept in any case. Part of the replicated state (in the snapshot).
 */
public final class WriteWindow
{
    /** Answers kept per edge at most (an edge queues at most 65,536 requests). */
    public static final int MAX_KEPT_PER_EDGE = 65_536;

    /** A kept answer's kind. */
    public static final byte SUBSCRIBED = 0;
    public static final byte UNSUBSCRIBED = 1;
    public static final byte FAILED = 2;
    public static final byte APPLIED = 3;

    /**
     * The answer a write had. {@code number} is the room's count (subscribed, unsubscribed) or the error's status;
     * {@code first} the room id or the error id; {@code second} the channel or the error message.
     */
    public record Answer(long correlationId, byte kind, int number, String first, String second)
    {
    }

    private static final class EdgeWrites
    {
        long lastApplied;
        final Long2ObjectHashMap<Answer> answers = new Long2ObjectHashMap<>();
        final LongArrayQueue order = new LongArrayQueue(Long.MIN_VALUE);
    }

    private final Int2ObjectHashMap<EdgeWrites> edges = new Int2ObjectHashMap<>();
    private final IntFunction<EdgeWrites> newEdge = (edgeId) -> new EdgeWrites();
    private long duplicates;

    /**
     * @param connection the writing connection (its key holds the edge id).
     * @return true when this write was applied before: it must not apply again.
     */
    boolean isCopy(final long connection, final long correlationId)
    {
        if (correlationId <= 0)
        {
            return false;
        }
        final EdgeWrites writes = edges.get(Connections.edgeId(connection));
        return null != writes && correlationId <= writes.lastApplied;
    }

    /**
     * @return the answer the write had, or null when it is no longer kept.
     */
    Answer answerOf(final long connection, final long correlationId)
    {
        duplicates++;
        final EdgeWrites writes = edges.get(Connections.edgeId(connection));
        return null == writes ? null : writes.answers.get(correlationId);
    }

    /**
     * The edge no longer needs the answers of writes before {@code oldestPending} (null value: a write of an older
     * edge, which does not say).
     */
    void oldestPending(final int edgeId, final long oldestPending)
    {
        final EdgeWrites writes = edges.get(edgeId);
        if (null != writes && oldestPending > 0)
        {
            while (!writes.order.isEmpty() && writes.order.peekLong() < oldestPending)
            {
                writes.answers.remove(writes.order.pollLong());
            }
        }
    }

    /**
     * A write was applied (or failed): its answer is kept.
     */
    void applied(final long connection, final Answer answer)
    {
        if (answer.correlationId() <= 0)
        {
            return;
        }
        final EdgeWrites writes = edges.computeIfAbsent(Connections.edgeId(connection), newEdge);
        writes.lastApplied = Math.max(writes.lastApplied, answer.correlationId());
        writes.answers.put(answer.correlationId(), answer);
        writes.order.addLong(answer.correlationId());
        while (writes.order.size() > MAX_KEPT_PER_EDGE)
        {
            writes.answers.remove(writes.order.pollLong());
        }
    }

    /**
     * The edge started again: its correlation ids start again.
     */
    void forget(final int edgeId)
    {
        edges.remove(edgeId);
    }

    /**
     * @return writes answered as copies of earlier ones.
     */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * @return the last write applied for this edge, 0 when none is known.
     */
    public long lastApplied(final int edgeId)
    {
        final EdgeWrites writes = edges.get(edgeId);
        return null == writes ? 0 : writes.lastApplied;
    }

    /**
     * Visits every edge and its kept answers, in the order they were applied (snapshots).
     */
    public void forEach(final EdgeVisitor visitor)
    {
        edges.forEach((edgeId, writes) ->
        {
            visitor.edge(edgeId, writes.lastApplied);
            writes.order.forEachLong((id) -> visitor.answer(edgeId, writes.answers.get(id)));
        });
    }

    /**
     * From a snapshot: an edge's last applied write.
     */
    public void restoreEdge(final int edgeId, final long lastApplied)
    {
        edges.computeIfAbsent(edgeId, newEdge).lastApplied = lastApplied;
    }

    /**
     * From a snapshot, in the order written: a kept answer.
     */
    public void restoreAnswer(final int edgeId, final Answer answer)
    {
        final EdgeWrites writes = edges.computeIfAbsent(edgeId, newEdge);
        writes.answers.put(answer.correlationId(), answer);
        writes.order.addLong(answer.correlationId());
    }

    /**
     * What a snapshot writes.
     */
    public interface EdgeVisitor
    {
        void edge(int edgeId, long lastApplied);

        void answer(int edgeId, Answer answer);
    }
}
