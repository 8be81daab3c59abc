package io.herald.transport.node;

import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.Cluster;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The edges the cluster knows, and the cluster session each one talks on. Part of the replicated state: changed only
 * by log events (session messages, session close, timers), snapshotted with the registry.
 * <p>
 * An edge names itself on every session it opens: {@code EdgeReset} when it starts (it holds no connection yet),
 * {@code EdgeResume} when it lost its session but lives on with its connections open. When an edge's session closes
 * because it went silent (the edge died, or sits behind a partition), its subscriptions are kept for a grace period
 * measured on a cluster timer; an {@code EdgeResume} within it keeps everything, otherwise the edge expires: the node
 * drops its connections as if each had disconnected. A session the edge closed itself expires at once.
 */
final class EdgeSessions
{
    /** The edge's session closed; its expiry timer runs. */
    static final long NO_SESSION = -1;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Long2LongHashMap sessionByEdge = new Long2LongHashMap(UNKNOWN);
    private final Int2ObjectHashMap<String> channelByEdge = new Int2ObjectHashMap<>();
    /** The resume each edge was last answered "expired" to: a copy of it (the answer was lost) is answered so again. */
    private final Long2LongHashMap expiredResumeByEdge = new Long2LongHashMap(0);
    private final long graceMs;

    EdgeSessions(final long graceMs)
    {
        this.graceMs = graceMs;
    }

    /**
     * An edge's {@code EdgeResume}: it talks on this session from now on.
     *
     * @param resumeId the resume's correlation id (an edge sends a resume again until it is answered).
     * @return true when the cluster still held the edge's state, false when it had given the edge up (also for a
     *         copy of a resume answered so, which must not be taken for a second resume the cluster kept).
     */
    boolean resume(final Cluster cluster, final int edgeId, final long sessionId, final long resumeId)
    {
        if (resumeId != 0 && expiredResumeByEdge.get(edgeId) == resumeId)
        {
            attach(cluster, edgeId, sessionId);
            return false;
        }
        final boolean kept = attach(cluster, edgeId, sessionId);
        if (!kept)
        {
            expiredResumeByEdge.put(edgeId, resumeId);
        }
        return kept;
    }

    /**
     * An edge's {@code EdgeReset}: it (re)started, numbering its resumes from the start again.
     */
    void reset(final Cluster cluster, final int edgeId, final long sessionId)
    {
        expiredResumeByEdge.remove(edgeId);
        attach(cluster, edgeId, sessionId);
    }

    /**
     * @return the resume answered "expired" last for this edge, 0 when none.
     */
    long expiredResume(final int edgeId)
    {
        return expiredResumeByEdge.get(edgeId);
    }

    /**
     * From a snapshot.
     */
    void restoreExpiredResume(final int edgeId, final long resumeId)
    {
        if (0 != resumeId)
        {
            expiredResumeByEdge.put(edgeId, resumeId);
        }
    }

    /**
     * The edge talks on this session from now on; a running expiry timer is cancelled.
     *
     * @return true when the cluster still held the edge's state, false when it never knew the edge or expired it.
     */
    boolean attach(final Cluster cluster, final int edgeId, final long sessionId)
    {
        final long previous = sessionByEdge.put(edgeId, sessionId);
        if (NO_SESSION == previous)
        {
            cluster.cancelTimer(edgeId);
        }
        return UNKNOWN != previous;
    }

    /**
     * A client session closed. If it was an edge's current session, the edge expires now (it closed the session
     * itself) or when its grace period ends without a new session.
     *
     * @param timestamp cluster time of the close.
     * @return the edge to expire now, or -1.
     */
    int sessionClosed(final Cluster cluster, final long sessionId, final CloseReason reason, final long timestamp)
    {
        final int edgeId = edgeOf(sessionId);
        if (edgeId < 0)
        {
            return -1;
        }
        if (CloseReason.CLIENT_ACTION == reason)
        {
            sessionByEdge.remove(edgeId);
            return edgeId;
        }
        sessionByEdge.put(edgeId, NO_SESSION);
        final long deadline = timestamp + cluster.timeUnit().convert(graceMs, TimeUnit.MILLISECONDS);
        while (!cluster.scheduleTimer(edgeId, deadline))
        {
            cluster.idleStrategy().idle();
        }
        return -1;
    }

    /**
     * An expiry timer fired (timer correlation ids are edge ids).
     *
     * @return true when the edge expires: it has had no session for its whole grace period.
     */
    boolean timerFired(final long correlationId)
    {
        if (NO_SESSION == sessionByEdge.get(correlationId))
        {
            sessionByEdge.remove(correlationId);
            return true;
        }
        return false;
    }

    /**
     * @return the edge whose current session this is, or -1.
     */
    private int edgeOf(final long sessionId)
    {
        final Long2LongHashMap.EntryIterator entries = sessionByEdge.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            if (entries.getLongValue() == sessionId)
            {
                return (int)entries.getLongKey();
            }
        }
        return -1;
    }

    /**
     * The edge reads on this channel (its reset or resume said so).
     */
    void channel(final int edgeId, final String channel)
    {
        channelByEdge.put(edgeId, channel);
    }

    /**
     * @return where the edge reads, or null when not known.
     */
    String channelOf(final int edgeId)
    {
        return channelByEdge.get(edgeId);
    }

    /**
     * Visits every edge whose channel is known.
     */
    void forEachChannel(final BiConsumer<Integer, String> visitor)
    {
        channelByEdge.forEach(visitor);
    }

    /**
     * @return every edge with a channel or an expired resume known, for snapshots.
     */
    IntHashSet knownEdges()
    {
        final IntHashSet known = new IntHashSet();
        channelByEdge.keySet().forEach((edgeId) -> known.add(edgeId));
        expiredResumeByEdge.keySet().forEach((edgeId) -> known.add((int)(long)edgeId));
        return known;
    }

    /**
     * Visits every edge for a snapshot.
     */
    void forEach(final LongLongConsumer visitor)
    {
        sessionByEdge.forEachLong(visitor);
    }

    /**
     * From a snapshot: the edge's expiry timer, if it had one, is restored by the cluster itself.
     */
    void restore(final int edgeId, final long sessionId)
    {
        sessionByEdge.put(edgeId, sessionId);
    }
}
