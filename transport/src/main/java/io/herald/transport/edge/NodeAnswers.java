package io.herald.transport.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.codecs.BooleanType;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.RemoteNotificationDecoder;
import io.herald.codecs.UserNotificationListDecoder;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.edge.FirstSenders;
import io.herald.engine.edge.NodeRequests;
import io.herald.engine.edge.NodeStatuses;
import io.herald.engine.edge.PendingRequest;
import io.herald.engine.errors.DistinctErrors;
import io.herald.engine.kuzzle.DocumentNotification;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.engine.kuzzle.ServerNotification;
import io.herald.engine.kuzzle.UserNotification;
import io.herald.engine.registry.Connections;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.User;
import io.herald.transport.Counters;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochClock;

/**
 * What the nodes send an edge, handled on the router's thread: answers to writes (from the cluster's egress) and to
 * reads (on the edge's answer channel) go to the requests' connections; notification lists become notifications,
 * serialized once and written to this edge's connections in batches; user notifications and other edges' publishes
 * likewise; the cluster giving this edge up closes its connections for their clients to come back.
 */
final class NodeAnswers implements ClusterLink.Answers, ReadLink.Lists, ConnectionUsers.Expiries
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EdgeConnections connections;
    private final NodeRequests requests;
    private final ReadLink reads;
    private final EpochClock clock;
    private final DistinctErrors errors;
    private final ResponseWriter responses = new ResponseWriter();
    private final LongArrayList targets = new LongArrayList();
    private final EdgeConnections.Deliveries deliveries;
    private final FirstSenders firstSenders = new FirstSenders();
    private final NodeStatuses statuses;
    private final ChannelTargets foreign;
    private ConnectionTable table;
    private Counters counters;
    private long edgeExpiries;
    private long openedBeforeSessionLoss = Long.MAX_VALUE;

    NodeAnswers(
        final EdgeConnections connections, final NodeRequests requests, final ReadLink reads,
        final NodeStatuses statuses, final EpochClock clock, final DistinctErrors errors)
    {
        this.connections = connections;
        this.requests = requests;
        this.reads = reads;
        this.clock = clock;
        this.errors = errors;
        this.deliveries = connections.newDeliveries();
        this.statuses = statuses;
        this.foreign = null == reads ? null : new ChannelTargets(reads.edgeId());
    }

    NodeAnswers counters(final Counters counters)
    {
        this.counters = counters;
        responses.countInto(counters.get(HeraldCounter.ANSWERS_OK), counters.get(HeraldCounter.ANSWERS_CLIENT_ERROR),
            counters.get(HeraldCounter.ANSWERS_SERVER_ERROR));
        return this;
    }

    NodeAnswers connectionTable(final ConnectionTable table)
    {
        this.table = table;
        return this;
    }

    /**
     * Hands this duty cycle's notifications to the event loops: one write per connection.
     */
    void sendDeliveries()
    {
        deliveries.send();
    }

    public void onSubscribed(
        final long correlationId, final String roomId, final String channel, final int count, final long logPosition)
    {
        requests.acknowledgedAt(logPosition);
        final PendingRequest request = requests.answered(correlationId);
        if (null != request)
        {
            requests.subscriptionsChanged(request.connectionId(), 1);
            if (null != table)
            {
                table.subscriptions(request.connectionId(), 1);
            }
            connections.sendText(request.connectionId(), responses.success(request.request(),
                NODES.objectNode().put("roomId", roomId).put("channel", channel)));
        }
    }

    public void onUnsubscribed(final long correlationId, final String roomId, final int count, final long logPosition)
    {
        requests.acknowledgedAt(logPosition);
        final PendingRequest request = requests.answered(correlationId);
        if (null != request)
        {
            requests.subscriptionsChanged(request.connectionId(), -1);
            if (null != table)
            {
                table.subscriptions(request.connectionId(), -1);
            }
            connections.sendText(request.connectionId(), responses.success(request.request(),
                NODES.objectNode().put("roomId", roomId)));
        }
    }

    public void onStatus(
        final int nodeId, final int role, final long logPosition, final long pid, final int rooms,
        final long clusterTimeMs)
    {
        if (null != statuses)
        {
            statuses.onStatus(nodeId, role, logPosition, pid, rooms, clock.time());
        }
    }

    /**
     * A publish made on another edge: the notification is serialized here once per chunk and written to this edge's
     * connections, unless another node sent that publish first ({@link FirstSenders}).
     */
    public void onRemoteNotification(final RemoteNotificationDecoder remote)
    {
        final int origin = remote.originEdgeId();
        final long key = ((long)origin << 48) | (remote.publishId() & Connections.MAX_CONNECTION_ID);
        final int nodeId = remote.nodeId();
        final long createdAt = remote.createdAt();
        if (!firstSenders.accept(key, nodeId))
        {
            counters.get(HeraldCounter.REMOTE_DUPLICATES).increment();
            return;
        }
        for (final RemoteNotificationDecoder.ChannelsDecoder channel : remote.channels())
        {
            foreign.beginChannel();
            for (final RemoteNotificationDecoder.ChannelsDecoder.ConnectionsDecoder connection : channel.connections())
            {
                foreign.add(connection.connection());
            }
            foreign.endChannel(channel.channel());
        }
        final String index = remote.index();
        final String collection = remote.collection();
        final String document = remote.document();
        final String kuzzleId = remote.kuzzleId();
        final String requestId = remote.requestId();
        final String volatileJson = remote.volatileJson();
        final String protocol = remote.protocol();
        // written as is: a node forwards only documents it read and matched, which the asking edge serialized
        final DocumentNotification notification = DocumentNotification.of(index, collection,
            protocol.isEmpty() ? null : protocol, requestId.isEmpty() ? null : requestId, createdAt, "node",
            volatileJson.isEmpty() ? null : volatileJson, kuzzleId.isEmpty() ? null : kuzzleId, document);
        foreign.deliver(notification::frame, deliveries, table);
    }

    /**
     * @return remote notifications dropped because another node had already sent that publish.
     */
    public long remoteDuplicates()
    {
        return firstSenders.duplicates();
    }

    public void onCount(final long correlationId, final int count)
    {
        final PendingRequest request = requests.answered(correlationId);
        if (null != request)
        {
            connections.sendText(request.connectionId(),
                responses.success(request.request(), NODES.objectNode().put("count", count)));
        }
    }

    public void onList(final long correlationId, final String json)
    {
        final PendingRequest request = requests.answered(correlationId);
        if (null != request)
        {
            try
            {
                connections.sendText(request.connectionId(), responses.success(request.request(), JSON.readTree(json)));
            }
            catch (final JsonProcessingException ex)
            {
                connections.sendText(request.connectionId(), responses.error(null, request.request(),
                    new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "unreadable list from the node")));
            }
        }
    }

    public void onSessionLost()
    {
        openedBeforeSessionLoss = connections.nextId();
    }

    /**
     * Writes the old leader left unanswered go to the new one (the cluster applies each write once).
     */
    public void onNewLeader(final int leaderMemberId)
    {
        counters.get(HeraldCounter.LEADER_CHANGES).increment();
        requests.resendWrites();
    }

    public void onNewSession()
    {
        requests.resendWrites();
    }

    public void onApplied(final long correlationId, final long logPosition)
    {
        requests.acknowledgedAt(logPosition);
        requests.applied(correlationId);
    }

    public void onEdgeExpired()
    {
        edgeExpiries++;
        counters.get(HeraldCounter.EDGE_EXPIRIES).increment();
        final int closed = connections.closeForReconnect(openedBeforeSessionLoss);
        System.err.println("herald edge: the cluster gave this edge up while its session was lost; closed " + closed +
            " connection(s) so their clients reconnect and subscribe again");
    }

    /**
     * @return how many times the cluster gave this edge up (it had lost its session longer than the edge expiry).
     */
    public long edgeExpiries()
    {
        return edgeExpiries;
    }

    public void onUserNotification(final UserNotificationListDecoder list)
    {
        if (null == reads)
        {
            return;
        }
        final boolean joined = list.joined() == BooleanType.TRUE;
        final int count = list.count();
        final long timestamp = list.timestamp();
        for (final UserNotificationListDecoder.ChannelsDecoder channel : list.channels())
        {
            foreign.beginChannel();
            for (final UserNotificationListDecoder.ChannelsDecoder.ConnectionsDecoder connection :
                channel.connections())
            {
                foreign.add(connection.connection());
            }
            foreign.endChannel(channel.channel());
        }
        final String index = list.index();
        final String collection = list.collection();
        JsonNode volatileData;
        try
        {
            volatileData = JSON.readTree(list.volatileJson());
        }
        catch (final JsonProcessingException ex)
        {
            volatileData = null;
        }
        final UserNotification notification = UserNotification.of(joined, index, collection, timestamp,
            volatileData, count);
        foreign.deliver(notification::frame, deliveries, table);
    }

    public void onError(final long correlationId, final int status, final String errorId, final String message)
    {
        final PendingRequest request = requests.failed(correlationId);
        if (null != request)
        {
            connections.sendText(request.connectionId(), responses.error(request.request(), errorId, status, message));
        }
    }

    /**
     * A node's answer to a publish, in one or more chunks: the notification, serialized once, goes to every
     * connection of this edge on every matching channel; after the last chunk the publisher gets its answer.
     */
    public void onNotificationList(final long correlationId, final NotificationListDecoder list)
    {
        final boolean last = list.last() == BooleanType.TRUE;
        final PendingRequest publish = requests.publishAnswer(correlationId, last);
        if (null == publish)
        {
            return;
        }
        final int edgeId = reads.edgeId();
        for (final NotificationListDecoder.ChannelsDecoder channel : list.channels())
        {
            // SBE puts the channel name after its connections: collect this edge's first, reusing one list
            targets.clear();
            for (final NotificationListDecoder.ChannelsDecoder.ConnectionsDecoder connection : channel.connections())
            {
                final long key = connection.connection();
                if (Connections.edgeId(key) == edgeId)
                {
                    targets.addLong(Connections.connectionId(key));
                }
            }
            final byte[] frame = publish.notification().frame(channel.channel());
            for (int i = 0, n = targets.size(); i < n; i++)
            {
                final long target = targets.getLong(i);
                deliveries.add(target, frame);
                if (null != table)
                {
                    table.notified(target);
                }
            }
        }
        if (last)
        {
            // in the batch with the notifications, not a task and a flush of its own: under load the duty cycle's
            // acknowledgements and notifications reach each event loop in one hand-off and leave in one write per
            // connection (a sendText here also sent the batch, one batch per publish)
            deliveries.addResponse(publish.connectionId(),
                responses.success(publish.request(), NODES.objectNode().put("published", true)));
        }
    }

    /**
     * A node's message that could not be handled: logged once per distinct error, the router goes on.
     */
    public void onFailure(final Throwable error)
    {
        errors.record(error, "handling a node's answer", clock.time());
    }

    /**
     * A connection's token expired: the client is told (Kuzzle's {@code TokenExpired}) and its subscriptions go.
     */
    public void tokenExpired(final long connectionId, final User user)
    {
        connections.sendText(connectionId, ServerNotification.tokenExpired(clock.time()));
        if (requests.links().hasCluster())
        {
            requests.closed(connectionId);
        }
    }
}
