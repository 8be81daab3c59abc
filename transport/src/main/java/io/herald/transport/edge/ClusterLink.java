package io.herald.transport.edge;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.exceptions.TimeoutException;
import io.aeron.logbuffer.Header;
import io.herald.codecs.BooleanType;
import io.herald.codecs.ConnectionClosedEncoder;
import io.herald.codecs.EdgeResetEncoder;
import io.herald.codecs.EdgeResumeEncoder;
import io.herald.codecs.EdgeResumedDecoder;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.JoinRequestEncoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
import io.herald.codecs.UnsubscribeRequestEncoder;
import io.herald.codecs.UnsubscribeResponseDecoder;
import io.herald.codecs.UserNotificationListDecoder;
import io.herald.codecs.WriteAppliedDecoder;
import io.herald.codecs.Users;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The edge's link to the cluster for writes: encodes subscribe, join, unsubscribe and connection-closed straight into
 * a buffer and offers them on the cluster ingress; decodes the answers from the egress. Not thread-safe: it belongs to
 * the router agent, which also polls it.
 */
public final class ClusterLink implements AutoCloseable
{
    /**
     * Answers from the cluster, by correlation id.
     */
    public interface Answers
    {
        void onSubscribed(long correlationId, String roomId, String channel, int count, long logPosition);

        void onUnsubscribed(long correlationId, String roomId, int count, long logPosition);

        void onError(long correlationId, int status, String errorId, String message);

        /**
         * A write with no answer of its own (a connection closed) was applied.
         */
        void onApplied(long correlationId, long logPosition);

        /**
         * Someone joined or left a room: the channels asking for user notifications, with their connections (all
         * edges': keep this edge's).
         */
        void onUserNotification(UserNotificationListDecoder list);

        /**
         * The cluster gave this edge up while its session was lost (longer than the edge expiry) and dropped every
         * subscription it held: its connections must go, so that clients reconnect and subscribe again.
         */
        void onEdgeExpired();

        /**
         * The cluster closed this edge's session; a new one is being opened.
         */
        void onSessionLost();

        /**
         * The cluster told this edge's session of a new leader (after an election): writes the old leader left
         * unanswered go again, to the new one.
         */
        default void onNewLeader(int leaderMemberId)
        {
        }

        /**
         * The edge talks to the cluster on a new session (after {@link #onSessionLost()}), its resume sent first:
         * writes left unanswered go again.
         */
        default void onNewSession()
        {
        }

        /**
         * Handling a message from the cluster threw: it was dropped.
         */
        default void onFailure(Throwable error)
        {
        }
    }

    private final AeronCluster.Context template;
    private AeronCluster cluster;
    private AeronCluster.AsyncConnect reconnecting;
    private long nextReconnectNs;
    private long reconnects;
    private final int edgeId;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer resumeBuffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder resumeHeader = new MessageHeaderEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SubscribeRequestEncoder subscribe = new SubscribeRequestEncoder();
    private final JoinRequestEncoder join = new JoinRequestEncoder();
    private final UnsubscribeRequestEncoder unsubscribe = new UnsubscribeRequestEncoder();
    private final ConnectionClosedEncoder closed = new ConnectionClosedEncoder();
    private final EdgeResumeEncoder resume = new EdgeResumeEncoder();
    private final String answerChannel;
    /** A resume is sent until the cluster answers it: a resume lost with a leader must not leave the edge unaware
     * that the cluster gave it up. */
    private boolean resumeUnanswered;
    private boolean resumePending;
    private long resumeSentNs;
    private boolean sessionLost;
    private final Egress egress = new Egress();
    private long lastSentNs = System.nanoTime();

    /**
     * The cluster closes sessions silent for its session timeout (10 s by default): a link with nothing to send says
     * it is alive every second.
     */
    private static final long KEEP_ALIVE_INTERVAL_NS = 1_000_000_000L;
    private static final long RESET_TIMEOUT_NS = 10_000_000_000L;
    private static final long CONNECT_TIMEOUT_NS = 60_000_000_000L;
    private static final long RECONNECT_BACKOFF_NS = 500_000_000L;
    private static final long RESUME_RETRY_NS = 1_000_000_000L;

    /**
     * Connects (blocks until the cluster has a leader that accepted the session), for an edge without a read side.
     *
     * @param context the client settings; its egress listener is set here.
     */
    public ClusterLink(final AeronCluster.Context context, final int edgeId)
    {
        this(context, edgeId, "");
    }

    /**
     * Connects (blocks until the cluster has a leader that accepted the session).
     *
     * @param context       the client settings; its egress listener is set here.
     * @param answerChannel the Aeron channel this edge reads nodes' answers on (its {@link ReadLink}'s), told to the
     *                      cluster so that every node can send it other edges' publishes from the start; empty for
     *                      none.
     */
    public ClusterLink(final AeronCluster.Context context, final int edgeId, final String answerChannel)
    {
        context.egressListener(egress);
        this.template = context.clone();
        this.cluster = connectWithin(context, CONNECT_TIMEOUT_NS);
        this.edgeId = edgeId;
        this.answerChannel = answerChannel;
        resetEdge();
    }

    /**
     * An edge may start before the cluster has elected a leader (all processes started together): connection attempts
     * that time out are repeated until the deadline.
     */
    private static AeronCluster connectWithin(final AeronCluster.Context context, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            try
            {
                return AeronCluster.connect(context.clone());
            }
            catch (final TimeoutException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * @return false under back pressure: nothing was sent.
     */
    public boolean subscribe(
        final long correlationId, final long oldestPending, final long connectionId, final String index,
        final String collection, final String filterJson, final int scope, final int users, final String volatileJson)
    {
        subscribe.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId)
            .scope(Scope.get((short)scope)).users(Users.get((short)users)).oldestPending(oldestPending)
            .index(index).collection(collection).filter(filterJson).volatileJson(volatileJson);
        return offer(subscribe.encodedLength());
    }

    public boolean join(
        final long correlationId, final long oldestPending, final long connectionId, final String roomId,
        final int scope, final int users, final String volatileJson)
    {
        join.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId)
            .scope(Scope.get((short)scope)).users(Users.get((short)users)).oldestPending(oldestPending)
            .roomId(roomId).volatileJson(volatileJson);
        return offer(join.encodedLength());
    }

    public boolean unsubscribe(
        final long correlationId, final long oldestPending, final long connectionId, final String roomId,
        final String volatileJson)
    {
        unsubscribe.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId).oldestPending(oldestPending)
            .roomId(roomId).volatileJson(volatileJson);
        return offer(unsubscribe.encodedLength());
    }

    public boolean connectionClosed(final long correlationId, final long oldestPending, final long connectionId)
    {
        closed.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId).oldestPending(oldestPending);
        return offer(closed.encodedLength());
    }

    /**
     * A starting edge holds no connection yet: whatever the cluster still holds for this edge id (an earlier run
     * that died) is dropped before the first request, so new connection ids never meet stale subscriptions.
     */
    private void resetEdge()
    {
        final EdgeResetEncoder reset = new EdgeResetEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(0).edgeId(edgeId).responseChannel(answerChannel);
        final long deadline = System.nanoTime() + RESET_TIMEOUT_NS;
        while (!offer(reset.encodedLength()))
        {
            if (System.nanoTime() > deadline)
            {
                cluster.close();
                throw new IllegalStateException("the cluster did not take this edge's reset in 10 s");
            }
            cluster.pollEgress();
            Thread.onSpinWait();
        }
    }

    /**
     * Polls the egress and keeps the session alive.
     *
     * @return fragments read.
     */
    public int poll(final Answers answers)
    {
        egress.answers = answers;
        final long now = System.nanoTime();
        if (cluster.isClosed())
        {
            if (!sessionLost)
            {
                sessionLost = true;
                answers.onSessionLost();
            }
            return reconnect(now);
        }
        if (resumeUnanswered && !resumePending && now - resumeSentNs > RESUME_RETRY_NS)
        {
            resumePending = true;
        }
        sendResume();
        if (now - lastSentNs > KEEP_ALIVE_INTERVAL_NS && cluster.sendKeepAlive())
        {
            lastSentNs = now;
        }
        return cluster.pollEgress();
    }

    /**
     * @return the leader's member id as this edge's cluster client knows it, or -1 while it has no session.
     */
    public int leaderMemberId()
    {
        return cluster.isClosed() ? -1 : cluster.leaderMemberId();
    }

    /**
     * @return how many times the session was lost and opened again.
     */
    public long reconnects()
    {
        return reconnects;
    }

    /**
     * The cluster closed this edge's session (a one-node cluster restarted, or the session timed out): a new one is
     * opened without blocking the router, and its first message says this edge lives on ({@code EdgeResume}): the
     * cluster keeps its subscriptions (the edge's connections are still open), or answers that it already gave the
     * edge up ({@link Answers#onEdgeExpired()}); the resume is sent again until it is answered. Writes wait in the
     * router's queue meanwhile, and writes in flight when the session went are sent again on the new session
     * ({@link Answers#onNewSession()}; the cluster answers a copy of a write it applied with its first answer).
     */
    private int reconnect(final long nowNs)
    {
        try
        {
            if (null == reconnecting)
            {
                if (nowNs < nextReconnectNs)
                {
                    return 0;
                }
                reconnecting = AeronCluster.asyncConnect(template.clone());
            }
            final AeronCluster connected = reconnecting.poll();
            if (null != connected)
            {
                reconnecting = null;
                cluster.close();
                cluster = connected;
                sessionLost = false;
                lastSentNs = nowNs;
                reconnects++;
                resumePending = true;
                resumeUnanswered = true;
                sendResume();
                egress.answers.onNewSession();
                return 1;
            }
            return 0;
        }
        catch (final RuntimeException ex)
        {
            // no leader yet (timeout) or the cluster refused: try again in a while
            if (null != reconnecting)
            {
                reconnecting.close();
            }
            reconnecting = null;
            nextReconnectNs = nowNs + RECONNECT_BACKOFF_NS;
            return 0;
        }
    }

    public void close()
    {
        if (null != reconnecting)
        {
            reconnecting.close();
        }
        cluster.close();
    }

    /**
     * Sends the pending {@code EdgeResume}, first on a new session, before any write.
     *
     * @return false while it could not be sent (back pressure).
     */
    private boolean sendResume()
    {
        if (!resumePending)
        {
            return true;
        }
        resume.wrapAndApplyHeader(resumeBuffer, 0, resumeHeader).correlationId(reconnects).edgeId(edgeId)
            .responseChannel(answerChannel);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + resume.encodedLength();
        if (!cluster.isClosed() && cluster.offer(resumeBuffer, 0, length) > 0)
        {
            resumePending = false;
            lastSentNs = System.nanoTime();
            resumeSentNs = lastSentNs;
        }
        return !resumePending;
    }

    /**
     * @throws KuzzleException 413 when the message is longer than the cluster ingress takes (a term length / 8).
     */
    private boolean offer(final int bodyLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        final int max = cluster.ingressPublication().maxMessageLength() - AeronCluster.SESSION_HEADER_LENGTH;
        if (length > max)
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, length, max);
        }
        if (sendResume() && !cluster.isClosed() && cluster.offer(buffer, 0, length) > 0)
        {
            lastSentNs = System.nanoTime();
            return true;
        }
        return false;
    }

    private final class Egress implements EgressListener
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
        private final UnsubscribeResponseDecoder unsubscribed = new UnsubscribeResponseDecoder();
        private final ErrorResponseDecoder error = new ErrorResponseDecoder();
        private final UserNotificationListDecoder users = new UserNotificationListDecoder();
        private final EdgeResumedDecoder resumed = new EdgeResumedDecoder();
        private final WriteAppliedDecoder applied = new WriteAppliedDecoder();
        Answers answers;

        public void onMessage(
            final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset,
            final int length, final Header egressHeader)
        {
            try
            {
                dispatch(buffer, offset);
            }
            catch (final RuntimeException ex)
            {
                answers.onFailure(ex);
            }
        }

        public void onNewLeader(
            final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
            final String ingressEndpoints)
        {
            if (resumeUnanswered)
            {
                resumePending = true;
                sendResume();
            }
            answers.onNewLeader(leaderMemberId);
        }

        private void dispatch(final DirectBuffer buffer, final int offset)
        {
            header.wrap(buffer, offset);
            if (header.templateId() == SubscribeResponseDecoder.TEMPLATE_ID)
            {
                subscribed.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = subscribed.correlationId();
                final long logPosition = subscribed.logPosition();
                final int count = subscribed.count();
                answers.onSubscribed(correlationId, subscribed.roomId(), subscribed.channel(), count, logPosition);
            }
            else if (header.templateId() == UnsubscribeResponseDecoder.TEMPLATE_ID)
            {
                unsubscribed.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = unsubscribed.correlationId();
                final long logPosition = unsubscribed.logPosition();
                final int count = unsubscribed.count();
                answers.onUnsubscribed(correlationId, unsubscribed.roomId(), count, logPosition);
            }
            else if (header.templateId() == UserNotificationListDecoder.TEMPLATE_ID)
            {
                users.wrapAndApplyHeader(buffer, offset, header);
                answers.onUserNotification(users);
            }
            else if (header.templateId() == EdgeResumedDecoder.TEMPLATE_ID)
            {
                resumed.wrapAndApplyHeader(buffer, offset, header);
                if (resumed.correlationId() != reconnects || !resumeUnanswered)
                {
                    return; // an answer to an earlier resume, or a second answer to this one
                }
                resumeUnanswered = false;
                resumePending = false;
                if (resumed.expired() == BooleanType.TRUE)
                {
                    answers.onEdgeExpired();
                }
            }
            else if (header.templateId() == WriteAppliedDecoder.TEMPLATE_ID)
            {
                applied.wrapAndApplyHeader(buffer, offset, header);
                answers.onApplied(applied.correlationId(), applied.logPosition());
            }
            else if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                error.wrapAndApplyHeader(buffer, offset, header);
                final long correlationId = error.correlationId();
                final int status = error.status();
                answers.onError(correlationId, status, error.errorId(), error.message());
            }
        }
    }
}
