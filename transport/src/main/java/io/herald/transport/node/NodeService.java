package io.herald.transport.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.filter.FilterException;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.RegistryException;
import io.herald.engine.registry.Room;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Subscription;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.engine.registry.Users;
import io.herald.engine.counters.HeraldCounter;
import io.herald.transport.Counters;
import io.herald.transport.ErrorLog;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FilterEngineContext filterContext;
    private final String readChannel;
    private volatile ReadServer reads;
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
    private SubscriptionRegistry registry;
    private long malformedMessages;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    /** Connection → room id → the volatile it subscribed or joined with; replicated like the registry. */
    private final Long2ObjectHashMap<Map<String, String>> volatiles = new Long2ObjectHashMap<>();
    static final int MAX_KEPT_VOLATILE_BYTES = 2 * 1024;
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
        this.registry = new SubscriptionRegistry(new FilterEngine(filterContext));
        if (null != snapshotImage)
        {
            snapshots.load(snapshotImage, registry, volatiles, edges, cluster.idleStrategy());
        }
        if (null != readChannel)
        {
            reads = new ReadServer(cluster.aeron(), readChannel, registry, cluster::memberId, cluster::logPosition,
                () -> role.code(), cluster::time);
            reads.counters(counters);
        }
        if (null != memberReadChannels)
        {
            peers = new PeerPositions(cluster.aeron(), memberId, memberReadChannels, cluster::logPosition);
        }
    }

    /**
     * Reads (publishes) are served here, on the service thread, between log messages: they see every write applied
     * so far and change nothing.
     */
    public int doBackgroundWork(final long nowNs)
    {
        return (null == reads ? 0 : reads.doWork(nowNs)) + (null == peers ? 0 : peers.doWork(nowNs));
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
        return registry;
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
                onSubscribe(session);
                break;
            case JoinRequestDecoder.TEMPLATE_ID:
                join.wrapAndApplyHeader(buffer, offset, header);
                onJoin(session);
                break;
            case UnsubscribeRequestDecoder.TEMPLATE_ID:
                unsubscribe.wrapAndApplyHeader(buffer, offset, header);
                onUnsubscribe(session);
                break;
            case ConnectionClosedDecoder.TEMPLATE_ID:
                connectionClosed.wrapAndApplyHeader(buffer, offset, header);
                closeConnection(Connections.key(connectionClosed.edgeId(), connectionClosed.connectionId()));
                break;
            case EdgeResetDecoder.TEMPLATE_ID:
                edgeReset.wrapAndApplyHeader(buffer, offset, header);
                final int resetEdge = edgeReset.edgeId();
                dropEdge(resetEdge);
                edges.attach(cluster, resetEdge, session.id());
                break;
            case EdgeResumeDecoder.TEMPLATE_ID:
                edgeResume.wrapAndApplyHeader(buffer, offset, header);
                final int resumedEdge = edgeResume.edgeId();
                final boolean kept = edges.attach(cluster, resumedEdge, session.id());
                replies.edgeResumed(session, cluster, edgeResume.correlationId(), resumedEdge, !kept);
                break;
            default:
                malformed(null, "unknown template " + header.templateId());
                break;
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

    private void onSubscribe(final ClientSession session)
    {
        final long correlationId = subscribe.correlationId();
        final long connection = Connections.key(subscribe.edgeId(), subscribe.connectionId());
        final Scope scope = scopeOf(subscribe.scope());
        final Users users = usersOf(subscribe.users());
        final String index = subscribe.index();
        final String collection = subscribe.collection();
        final String filterText = subscribe.filter();
        final String volatileJson = subscribe.volatileJson();
        if (null == scope || null == users)
        {
            replies.error(session, cluster, correlationId, KuzzleError.INVALID_ARGUMENT,
                KuzzleError.INVALID_ARGUMENT.message(null == scope ? "scope" : "users", "unknown value"));
            return;
        }
        try
        {
            final JsonNode filter = filterText.isEmpty() ? null : JSON.readTree(filterText);
            final Subscription result = registry.subscribe(connection, index, collection, filter, scope, users);
            remember(connection, result.roomId(), volatileJson);
            replies.subscribed(session, cluster, correlationId, result);
            if (result.joined())
            {
                userNotifier.notify(cluster, registry, registry.room(result.roomId()), true, volatileJson);
            }
        }
        catch (final JsonProcessingException ex)
        {
            replies.error(session, cluster, correlationId, KuzzleError.INVALID_ARGUMENT,
                KuzzleError.INVALID_ARGUMENT.message("body", "the filter is not valid JSON"));
        }
        catch (final FilterException ex)
        {
            replies.error(session, cluster, correlationId, KuzzleError.KONCORDE_DSL_ERROR, ex.getMessage());
        }
    }

    private void onJoin(final ClientSession session)
    {
        final long correlationId = join.correlationId();
        final long connection = Connections.key(join.edgeId(), join.connectionId());
        final Scope scope = scopeOf(join.scope());
        final Users users = usersOf(join.users());
        final String roomId = join.roomId();
        final String volatileJson = join.volatileJson();
        if (null == scope || null == users)
        {
            replies.error(session, cluster, correlationId, KuzzleError.INVALID_ARGUMENT,
                KuzzleError.INVALID_ARGUMENT.message(null == scope ? "scope" : "users", "unknown value"));
            return;
        }
        try
        {
            final Subscription result = registry.join(connection, roomId, scope, users);
            remember(connection, roomId, volatileJson);
            replies.subscribed(session, cluster, correlationId, result);
            if (result.joined())
            {
                userNotifier.notify(cluster, registry, registry.room(roomId), true, volatileJson);
            }
        }
        catch (final RegistryException ex)
        {
            replies.error(session, cluster, correlationId, ex);
        }
    }

    private void onUnsubscribe(final ClientSession session)
    {
        final long correlationId = unsubscribe.correlationId();
        final long connection = Connections.key(unsubscribe.edgeId(), unsubscribe.connectionId());
        final String roomId = unsubscribe.roomId();
        final String volatileJson = unsubscribe.volatileJson();
        try
        {
            final int left = registry.unsubscribe(connection, roomId);
            final Map<String, String> kept = volatiles.get(connection);
            if (null != kept)
            {
                kept.remove(roomId);
                if (kept.isEmpty())
                {
                    volatiles.remove(connection);
                }
            }
            replies.subscribed(session, cluster, correlationId, new Subscription(roomId, "", left, false));
            userNotifier.notify(cluster, registry, registry.room(roomId), false, volatileJson);
        }
        catch (final RegistryException ex)
        {
            replies.error(session, cluster, correlationId, ex);
        }
    }

    /**
     * A subscriber's volatile data, kept for the "user out" notification its disconnection causes (Kuzzle sends the
     * volatile the user subscribed with). Sizes above {@link #MAX_KEPT_VOLATILE_BYTES} are not kept.
     */
    private void remember(final long connection, final String roomId, final String volatileJson)
    {
        if (volatileJson.length() <= MAX_KEPT_VOLATILE_BYTES)
        {
            volatiles.computeIfAbsent(connection, (k) -> new HashMap<>()).put(roomId, volatileJson);
        }
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
            dropEdge(edgeId);
        }
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        if (edges.timerFired(correlationId))
        {
            dropEdge((int)correlationId);
        }
    }

    /**
     * A connection went: its subscriptions are dropped and the rooms asking for user notifications told.
     */
    private void closeConnection(final long connection)
    {
        final Map<String, String> leftWith = volatiles.remove(connection);
        for (final Room room : registry.connectionClosed(connection))
        {
            final String volatileJson = null == leftWith ? null : leftWith.get(room.id());
            userNotifier.notify(cluster, registry, registry.room(room.id()), false,
                null == volatileJson ? "null" : volatileJson);
        }
    }

    /**
     * Every connection of an edge went (it restarted, closed its session, or expired), in connection order.
     */
    private void dropEdge(final int edgeId)
    {
        final LongArrayList held = registry.connectionsOf(edgeId);
        for (int i = 0; i < held.size(); i++)
        {
            closeConnection(held.getLong(i));
        }
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        snapshots.write(snapshotPublication, registry, volatiles, edges, cluster.idleStrategy());
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
}
