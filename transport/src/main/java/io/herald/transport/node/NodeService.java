package io.herald.transport.node;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.herald.codecs.ConnectionClosedDecoder;
import io.herald.codecs.EdgeResetDecoder;
import io.herald.codecs.EdgeResumeDecoder;
import io.herald.codecs.JoinRequestDecoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.SubscribeRequestDecoder;
import io.herald.codecs.UnsubscribeRequestDecoder;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.node.NodeState;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.Room;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Subscription;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.engine.registry.Users;
import io.herald.transport.Counters;
import io.herald.transport.ErrorLog;
import io.herald.transport.GuestAgent;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The node's replicated state machine: the subscription registry, changed only by messages of the cluster log
 * (subscribe, join, unsubscribe, connection closed, edge reset), in log order, on every node. Answers go back on the
 * requesting session's egress, which only the leader's service really sends.
 * <p>
 * Deterministic by construction: no clock but the cluster's, no randomness, and the registry iterates in insertion
 * or sorted order. Snapshots hold every subscription and the volatiles kept for user-out notifications
 * ({@link RegistrySnapshot}); a node starting from one subscribes them again, then replays the log after it.
 */
public final class NodeService implements ClusteredService
{
    private final FilterEngineContext filterContext;
    private final String readChannel;
    private volatile ReadServer reads;
    private long readKey;
    private Runnable readsAnswered;
    private volatile GuestAgent guest;
    private Counters counters;
    private ErrorLog errorLog;
    private int memberId = -1;
    private List<String> memberReadChannels;
    private PeerPositions peers;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SubscribeRequestDecoder subscribe = new SubscribeRequestDecoder();
    private final JoinRequestDecoder join = new JoinRequestDecoder();
    private final UnsubscribeRequestDecoder unsubscribe = new UnsubscribeRequestDecoder();
    private final ConnectionClosedDecoder connectionClosed = new ConnectionClosedDecoder();
    private final EdgeResetDecoder edgeReset = new EdgeResetDecoder();
    private final EdgeResumeDecoder edgeResume = new EdgeResumeDecoder();
    private final ReplyPublisher replies = new ReplyPublisher();
    private final UserNotifier userNotifier = new UserNotifier();
    private final RegistrySnapshot snapshots = new RegistrySnapshot();
    private final EdgeSessions edges;
    private Cluster cluster;
    private NodeState state;
    private final StateEffects effects = new StateEffects();
    private long malformedMessages;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    /** How long an edge whose session timed out keeps its subscriptions, by default. */
    public static final long DEFAULT_EDGE_EXPIRY_MS = 10_000;

    /**
     * @param readChannel Aeron channel publishes arrive on (e.g. {@code aeron:udp?endpoint=localhost:20100}), or
     *                    null for a node that serves writes only.
     */
    public NodeService(final FilterEngineContext filterContext, final String readChannel)
    {
        this(filterContext, readChannel, DEFAULT_EDGE_EXPIRY_MS);
    }

    /**
     * @param edgeExpiryMs how long the subscriptions of an edge whose cluster session timed out are kept for it to
     *                     come back (see {@link EdgeSessions}).
     */
    public NodeService(final FilterEngineContext filterContext, final String readChannel, final long edgeExpiryMs)
    {
        this.filterContext = filterContext;
        this.readChannel = readChannel;
        this.edges = new EdgeSessions(edgeExpiryMs);
    }

    /**
     * Lets this node learn how far every member applied the log ({@link #purgeablePosition()}).
     *
     * @param memberId     this node's member id.
     * @param readChannels every member's read channel, by member id.
     * @return this.
     */
    public NodeService members(final int memberId, final List<String> readChannels)
    {
        this.memberId = memberId;
        this.memberReadChannels = List.copyOf(readChannels);
        return this;
    }

    /**
     * @return the log position every member of the cluster has applied, as this node last heard (any thread); -1
     *         when unknown (a member never heard, or no member list given).
     */
    public long purgeablePosition()
    {
        final PeerPositions positions = peers;
        return null == positions ? -1 : positions.minAppliedPosition();
    }

    /**
     * @param log the node process's error log: it counts in {@code herald_errors_total} once the counters exist.
     * @return this.
     */
    /**
     * @param secret {@code cluster.secret}: read requests must carry its key ({@link LinkStreams#readKey}), and so do
     *               this node's own status requests to its peers; null for none.
     * @return this.
     */
    public NodeService clusterSecret(final byte[] secret)
    {
        this.readKey = LinkStreams.readKey(secret);
        return this;
    }

    public NodeService errorLog(final ErrorLog log)
    {
        this.errorLog = log;
        return this;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.counters = Counters.allocate(cluster.aeron(), HeraldCounter.Role.NODE,
            "node=\"" + (memberId >= 0 ? memberId : cluster.memberId()) + "\"");
        replies.countDroppedInto(counters.get(HeraldCounter.REPLIES_DROPPED));
        if (null != errorLog)
        {
            errorLog.countInto(counters.get(HeraldCounter.NODE_ERRORS));
        }
        this.state = new NodeState(filterContext);
        final SubscriptionRegistry registry = state.registry();
        if (null != snapshotImage)
        {
            snapshots.load(snapshotImage, registry, state.volatiles(), state.writes(), edges, cluster.idleStrategy());
        }
        if (null != readChannel)
        {
            reads = new ReadServer(cluster.aeron(), readChannel, registry, cluster::memberId, cluster::logPosition,
                () -> role.code(), cluster::time);
            reads.counters(counters);
            reads.readKey(readKey);
            edges.forEachChannel(reads::learnEdge);
        }
        if (null != memberReadChannels)
        {
            peers = new PeerPositions(cluster.aeron(), memberId, memberReadChannels, cluster::logPosition);
            peers.readKey(readKey);
        }
    }

    /**
     * Reads (publishes) are served here, on the service thread, between log messages: they see every write applied
     * so far and change nothing.
     */
    public int doBackgroundWork(final long nowNs)
    {
        final GuestAgent guest = this.guest;
        int work = null == guest ? 0 : guest.doWork();
        final int read = null == reads ? 0 : reads.doWork(nowNs);
        if (read > 0)
        {
            if (null != readsAnswered)
            {
                readsAnswered.run();
            }
            if (null != guest)
            {
                work += guest.doWork(); // the answers just written, taken in the same duty cycle
            }
        }
        return work + read + (null == peers ? 0 : peers.doWork(nowNs));
    }

    /**
     * @param guest an agent to run in this service's duty cycle, before and after the reads (the router of an edge
     *              that shares this process, {@code agent.router.thread=service}), or null to stop running one.
     * @return this.
     */
    public NodeService guest(final GuestAgent guest)
    {
        this.guest = guest;
        return this;
    }

    /**
     * @param wake run once per duty cycle in which this node read (and answered) requests: wakes the router of an
     *             edge that shares this process ({@code herald up}), or null.
     * @return this.
     */
    public NodeService readsAnswered(final Runnable wake)
    {
        this.readsAnswered = wake;
        return this;
    }

    /**
     * @return read requests this node dropped because it could not read or handle them (any thread).
     */
    public long malformedReads()
    {
        final ReadServer server = reads;
        return null == server ? 0 : server.malformed();
    }

    /**
     * @return the registry (for reads on the service thread, e.g. in background work).
     */
    public SubscriptionRegistry registry()
    {
        return null == state ? null : state.registry();
    }

    public void onSessionMessage(
        final ClientSession session, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length, final Header logHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            malformed(null, "message of " + length + " bytes is shorter than a header");
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            malformed(null, "message of schema " + header.schemaId() + ", expected " + MessageHeaderDecoder.SCHEMA_ID);
            return;
        }
        try
        {
            dispatch(session, buffer, offset);
            if (null != counters)
            {
                counters.get(HeraldCounter.WRITE_COPIES).setOrdered(state.writes().duplicates());
            }
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
        {
            // Every node fails the same message the same way: the registry is left as the message found it (checks
            // come before changes) and the log stays replayable.
            malformed(ex, "message of template " + header.templateId() + " from session " + session.id());
        }
    }

    private void dispatch(final ClientSession session, final DirectBuffer buffer, final int offset)
    {
        switch (header.templateId())
        {
            case SubscribeRequestDecoder.TEMPLATE_ID:
                subscribe.wrapAndApplyHeader(buffer, offset, header);
                state.oldestPending(subscribe.edgeId(), subscribe.oldestPending());
                state.subscribe(subscribe.correlationId(), Connections.key(subscribe.edgeId(),
                    subscribe.connectionId()), subscribe.index(), subscribe.collection(), subscribe.filter(),
                    scopeOf(subscribe.scope()), usersOf(subscribe.users()), subscribe.volatileJson(),
                    effects.to(session));
                break;
            case JoinRequestDecoder.TEMPLATE_ID:
                join.wrapAndApplyHeader(buffer, offset, header);
                // every field read before any change: a malformed message changes nothing
                final long joinId = join.correlationId();
                state.oldestPending(join.edgeId(), join.oldestPending());
                final long joining = Connections.key(join.edgeId(), join.connectionId());
                final Scope joinScope = scopeOf(join.scope());
                final Users joinUsers = usersOf(join.users());
                state.join(joinId, joining, join.roomId(), joinScope, joinUsers, join.volatileJson(),
                    effects.to(session));
                break;
            case UnsubscribeRequestDecoder.TEMPLATE_ID:
                unsubscribe.wrapAndApplyHeader(buffer, offset, header);
                final long unsubscribeId = unsubscribe.correlationId();
                state.oldestPending(unsubscribe.edgeId(), unsubscribe.oldestPending());
                final long leaving = Connections.key(unsubscribe.edgeId(), unsubscribe.connectionId());
                state.unsubscribe(unsubscribeId, leaving, unsubscribe.roomId(), unsubscribe.volatileJson(),
                    effects.to(session));
                break;
            case ConnectionClosedDecoder.TEMPLATE_ID:
                connectionClosed.wrapAndApplyHeader(buffer, offset, header);
                final long closedId = connectionClosed.correlationId();
                state.oldestPending(connectionClosed.edgeId(), connectionClosed.oldestPending());
                state.closeConnection(closedId, Connections.key(connectionClosed.edgeId(),
                    connectionClosed.connectionId()), effects.to(session));
                break;
            case EdgeResetDecoder.TEMPLATE_ID:
                edgeReset.wrapAndApplyHeader(buffer, offset, header);
                final int resetEdge = edgeReset.edgeId();
                final String resetChannel = edgeReset.responseChannel();
                state.resetEdge(resetEdge, effects.to(session));
                edges.reset(cluster, resetEdge, session.id());
                learnChannel(resetEdge, resetChannel);
                break;
            case EdgeResumeDecoder.TEMPLATE_ID:
                edgeResume.wrapAndApplyHeader(buffer, offset, header);
                final int resumedEdge = edgeResume.edgeId();
                final long resumeId = edgeResume.correlationId();
                final String resumeChannel = edgeResume.responseChannel();
                final boolean kept = edges.resume(cluster, resumedEdge, session.id(), resumeId);
                learnChannel(resumedEdge, resumeChannel);
                replies.edgeResumed(session, cluster, resumeId, resumedEdge, !kept);
                break;
            default:
                malformed(null, "unknown template " + header.templateId());
                break;
        }
    }

    /**
     * Where an edge reads, as its reset or resume said (part of the replicated state): every node can send it the
     * notifications of other edges' publishes from the moment the edge is known, before it asked anything itself.
     */
    private void learnChannel(final int edgeId, final String channel)
    {
        if (!channel.isEmpty())
        {
            edges.channel(edgeId, channel);
            if (null != reads)
            {
                reads.learnEdge(edgeId, channel);
            }
        }
    }

    /**
     * A message no edge of this version sends: counted and reported, never thrown on the service thread.
     */
    private void malformed(final Exception cause, final String what)
    {
        malformedMessages++;
        final IllegalStateException report = new IllegalStateException("node ignored a malformed message: " + what,
            cause);
        cluster.context().errorHandler().onError(report);
    }

    /**
     * @return messages of the log this node could not decode (malformed or from an unknown schema).
     */
    public long malformedMessages()
    {
        return malformedMessages;
    }

    /**
     * The wire enums list the registry's values in the same order (checked by SubscriptionRegistryTest).
     *
     * @return the registry's value, or null for a wire value this version does not know.
     */
    private static Scope scopeOf(final io.herald.codecs.Scope scope)
    {
        return io.herald.codecs.Scope.NULL_VAL == scope ? null : Scope.values()[scope.value()];
    }

    private static Users usersOf(final io.herald.codecs.Users users)
    {
        return io.herald.codecs.Users.NULL_VAL == users ? null : Users.values()[users.value()];
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    /**
     * An edge's session closed: the edge expires now if it closed the session itself, else after its grace period
     * unless it opens a new session.
     */
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        final int edgeId = edges.sessionClosed(cluster, session.id(), closeReason, timestamp);
        if (edgeId >= 0)
        {
            state.dropEdge(edgeId, effects.to(null));
        }
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        if (edges.timerFired(correlationId))
        {
            state.dropEdge((int)correlationId, effects.to(null));
        }
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        snapshots.write(snapshotPublication, state.registry(), state.volatiles(), state.writes(), edges,
            cluster.idleStrategy());
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
        if (null != counters)
        {
            counters.get(HeraldCounter.NODE_ROLE_CHANGES).increment();
        }
    }

    /**
     * @return this node's role as its service last heard it.
     */
    public Cluster.Role role()
    {
        return role;
    }

    /**
     * The read side's subscription and publications go with the service (they belong to the cluster's Aeron client,
     * which may outlive it in an embedded deployment).
     */
    public void onTerminate(final Cluster cluster)
    {
        CloseHelper.closeAll(reads, peers, counters);
        reads = null;
        peers = null;
    }

    /**
     * The state machine's effects as messages: answers on the requesting session's egress (only the leader's really
     * go out), user notifications to the edges. Writes without a requester (an edge's session expired) answer nobody.
     */
    private final class StateEffects implements NodeState.Effects
    {
        private ClientSession session;

        StateEffects to(final ClientSession session)
        {
            this.session = session;
            return this;
        }

        public void subscribed(final long correlationId, final Subscription result)
        {
            if (null != session)
            {
                replies.subscribed(session, cluster, correlationId, result);
            }
        }

        public void unsubscribed(final long correlationId, final String roomId, final int count)
        {
            if (null != session)
            {
                replies.unsubscribed(session, cluster, correlationId, roomId, count);
            }
        }

        public void failed(final long correlationId, final int status, final String errorId, final String message)
        {
            if (null != session)
            {
                replies.error(session, cluster, correlationId, status, errorId, message);
            }
        }

        public void applied(final long correlationId)
        {
            if (null != session)
            {
                replies.applied(session, cluster, correlationId);
            }
        }

        public void usersChanged(final Room room, final boolean joined, final String volatileJson)
        {
            userNotifier.notify(cluster, state.registry(), room, joined, volatileJson);
        }
    }
}
