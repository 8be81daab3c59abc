package io.herald.transport.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lmax.disruptor.EventPoller;
import io.herald.codecs.BooleanType;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.RemoteNotificationDecoder;
import io.herald.codecs.UserNotificationListDecoder;
import io.herald.engine.errors.DistinctErrors;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterException;
import io.herald.engine.protocol.DocumentNotification;
import io.herald.engine.protocol.KuzzleError;
import io.herald.engine.protocol.KuzzleException;
import io.herald.engine.protocol.KuzzleRequest;
import io.herald.engine.protocol.ResponseWriter;
import io.herald.engine.protocol.UserNotification;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Users;
import io.netty.buffer.ByteBufUtil;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The edge's router: drains the request ring (at most {@code pollLimit} events per duty cycle) and answers what the
 * edge can answer alone ({@code server:now}, {@code server:info}, {@code auth:checkToken} for anonymous users,
 * unknown controllers and actions, {@code realtime:validate}). Writes ({@code realtime:subscribe}, {@code join},
 * {@code unsubscribe}, and closed connections) go to the cluster through its {@link ClusterLink}, reads
 * ({@code publish}, {@code count}, {@code list}) to a node's read side; {@link NodeRequests} keeps them until they
 * are answered. With no link, realtime actions are answered {@code 503 core.fatal.service_unavailable}, never left
 * waiting.
 */
public final class RouterAgent implements Agent, ClusterLink.Answers, ReadLink.Lists
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> REALTIME_ACTIONS =
        Set.of("subscribe", "unsubscribe", "publish", "count", "list", "join", "validate");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Room for what Herald adds to a request's data before it goes to the nodes. */
    static final int HERALD_ADDITIONS_BYTES = 1024;

    private final RequestRing ring;
    private final EventPoller<RequestEvent> poller;
    private final EdgeConnections connections;
    private long edgeExpiries;
    private long openedBeforeSessionLoss = Long.MAX_VALUE;
    private final EpochClock clock;
    private final String version;
    private final int pollLimit;
    private final ResponseWriter responses = new ResponseWriter();
    private final EventPoller.Handler<RequestEvent> handler = this::onEvent;
    private final ClusterLink link;
    private final ReadLink reads;
    private final FilterEngine validator = new FilterEngine();
    private final NodeRequests requests;
    private final LongArrayList targets = new LongArrayList();
    private final EdgeConnections.Deliveries deliveries;
    private final FirstSenders firstSenders = new FirstSenders();
    private final NodeStatuses statuses;
    private final ChannelTargets foreign;
    private ConnectionTable table;
    private int polled;
    private int maxRequestBytes = 1 << 20;
    private ObjectNode publicApi = NODES.objectNode();
    private final DistinctErrors errors = new DistinctErrors("herald-router");

    /**
     * @param link  the cluster, or null when the edge runs without nodes.
     * @param reads a node's read side, or null.
     */
    public RouterAgent(
        final RequestRing ring, final EdgeConnections connections, final EpochClock clock, final String version,
        final int pollLimit, final ClusterLink link, final ReadLink reads)
    {
        this.link = link;
        this.reads = reads;
        this.statuses = null == reads ? null : new NodeStatuses(reads);
        this.foreign = null == reads ? null : new ChannelTargets(reads.edgeId());
        this.ring = ring;
        this.poller = ring.newPoller();
        this.connections = connections;
        this.deliveries = connections.newDeliveries();
        this.clock = clock;
        this.version = version;
        this.pollLimit = pollLimit;
        this.requests = new NodeRequests(link, reads, connections, clock);
    }

    /**
     * @param timeoutMs how long a request waits for a node's answer before its client is answered 503.
     * @return this.
     */
    public RouterAgent requestTimeoutMs(final long timeoutMs)
    {
        requests.requestTimeoutMs(timeoutMs);
        return this;
    }

    /**
     * @param timeoutNs how long a read may wait for a node's first answer before going to another node, at most:
     *                  the router goes by the answer times it sees ({@link ReadDeadline}).
     * @return this.
     */
    public RouterAgent readFailoverNs(final long timeoutNs)
    {
        requests.readFailoverNs(timeoutNs);
        return this;
    }

    /**
     * @return how long a read now waits for a first answer before it goes to another node.
     */
    public long readDeadlineNs()
    {
        return requests.readDeadlineNs();
    }

    /**
     * @return reads sent again to another node because the first did not answer in time.
     */
    public long failedOver()
    {
        return requests.failedOver();
    }

    /**
     * @param bytes the largest request accepted: a request whose data (document or filter, volatile, index,
     *              collection, ids), once encoded for the nodes, is larger is answered 413.
     * @return this.
     */
    public RouterAgent maxRequestBytes(final int bytes)
    {
        this.maxRequestBytes = bytes;
        return this;
    }

    /**
     * @param api Kuzzle's {@code server:publicApi} answer ({@link EdgeServer#publicApi()}).
     * @return this.
     */
    public RouterAgent publicApi(final ObjectNode api)
    {
        this.publicApi = api;
        return this;
    }

    /**
     * @return requests that threw while being handled (each was answered 500 and the router went on).
     */
    public long unexpectedErrors()
    {
        return errors.total();
    }

    /**
     * @param table where this edge's connections are listed for {@code herald stat}, or null.
     * @return this.
     */
    public RouterAgent connectionTable(final ConnectionTable table)
    {
        this.table = table;
        return this;
    }

    /**
     * @return requests waiting for a node's answer.
     */
    public int inFlight()
    {
        return requests.inFlight();
    }

    public String roleName()
    {
        return "herald-router";
    }

    /**
     * The router owns its cluster link (an Aeron client is used from one thread): it closes it.
     */
    public void onClose()
    {
        if (null != link)
        {
            link.close();
        }
        if (null != reads)
        {
            reads.close();
        }
    }

    public int doWork() throws Exception
    {
        polled = 0;
        if (poller.poll(handler) == EventPoller.PollState.IDLE)
        {
            // the ring is drained: opens and closes that overflowed come after every request sent before them
            for (RequestEvent event = ring.pollOverflow(); null != event && polled < pollLimit;
                event = ring.pollOverflow())
            {
                onEvent(event, -1, false);
            }
        }
        int work = polled + requests.send();
        if (null != link)
        {
            work += link.poll(this);
        }
        if (null != reads)
        {
            work += reads.poll(this);
        }
        final long nowMs = clock.time();
        final long nowNs = System.nanoTime();
        if (null != statuses)
        {
            statuses.poll(nowNs, nowMs, requests.nextId());
        }
        // the notifications of every list this cycle, one write per connection
        deliveries.send();
        return work + requests.expire(nowMs) + requests.failOver(nowNs) +
            (null == table ? 0 : table.flush(nowMs, false));
    }



    public void onSubscribed(
        final long correlationId, final String roomId, final String channel, final int count, final long logPosition)
    {
        requests.acknowledgedAt(logPosition);
        final PendingRequest request = requests.answered(correlationId);
        if (null != request)
        {
            if (null != table)
            {
                table.subscriptions(request.connectionId(), "unsubscribe".equals(request.request().action()) ? -1 : 1);
            }
            final ObjectNode result = NODES.objectNode().put("roomId", roomId);
            if (!"unsubscribe".equals(request.request().action()))
            {
                result.put("channel", channel);
            }
            connections.sendText(request.connectionId(), responses.success(request.request(), result));
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
        final DocumentNotification notification;
        try
        {
            notification = DocumentNotification.of(index, collection, protocol.isEmpty() ? null : protocol,
                requestId.isEmpty() ? null : requestId, createdAt, "node",
                volatileJson.isEmpty() ? null : JSON.readTree(volatileJson), kuzzleId.isEmpty() ? null : kuzzleId,
                JSON.readTree(document));
        }
        catch (final JsonProcessingException ex)
        {
            foreign.clear();
            return;
        }
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

    public void onEdgeExpired()
    {
        edgeExpiries++;
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

    /**
     * {@code realtime:validate} needs no node: the edge checks the filter with its own engine.
     */
    private ObjectNode validate(final KuzzleRequest request)
    {
        final ObjectNode result = NODES.objectNode();
        try
        {
            validator.validate(request.body());
            result.put("valid", true);
        }
        catch (final FilterException ex)
        {
            result.put("valid", false);
            result.putArray("errorMessages").add(ex.getMessage());
        }
        return result;
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
            this.connections.sendText(publish.connectionId(),
                responses.success(publish.request(), NODES.objectNode().put("published", true)));
        }
    }


    /**
     * Never throws: an event that cannot be handled is logged (once per distinct error) and the ring moves on, so
     * that one poison request cannot stop every later one.
     */
    private boolean onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            if (event.type == RequestEvent.Type.REQUEST)
            {
                if (null != table)
                {
                    table.request(event.connectionId);
                }
                route(event.connectionId, event.request);
            }
            else if (event.type == RequestEvent.Type.OPEN && null != table)
            {
                table.opened(event.connectionId, ConnectionTable.PROTOCOL_WEBSOCKET,
                    null == event.remoteAddress ? "" : event.remoteAddress, clock.time());
            }
            else if (event.type == RequestEvent.Type.CLOSE && null != table)
            {
                table.closed(event.connectionId);
            }
            if (event.type == RequestEvent.Type.CLOSE && null != link)
            {
                requests.closed(event.connectionId);
            }
        }
        catch (final RuntimeException ex)
        {
            errors.record(ex, "handling a " + event.type + " event", clock.time());
        }
        event.clear();
        return ++polled < pollLimit;
    }

    /**
     * A node's message that could not be handled: logged once per distinct error, the router goes on.
     */
    public void onFailure(final Throwable error)
    {
        errors.record(error, "handling a node's answer", clock.time());
    }

    /**
     * Every request is answered: with its result, with the Kuzzle error it earned, or, when handling it threw
     * anything else, with a 500 (logged once per distinct error) while the router goes on with the next event.
     */
    private void route(final long connectionId, final KuzzleRequest request)
    {
        byte[] response;
        try
        {
            final ObjectNode result = answer(connectionId, request);
            if (null == result)
            {
                return;
            }
            response = responses.success(request, result);
        }
        catch (final KuzzleException ex)
        {
            response = responses.error(null, request, ex);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            errors.record(ex, "handling " + request.controller() + ":" + request.action(), clock.time());
            response = responses.error(null, request, new KuzzleException(KuzzleError.UNEXPECTED_ERROR,
                ex.getClass().getSimpleName()));
        }
        connections.sendText(connectionId, response);
    }

    /**
     * Checks the data a request sends to the nodes, as encoded: its frame was within the limit, but JSON written again
     * may be longer than the client's (e.g. {@code 1e2} becomes {@code 100.0}). What Herald adds itself (a publish's
     * {@code _kuzzle_info}, an HTTP request's id) is not counted against the client: {@link #HERALD_ADDITIONS_BYTES}.
     *
     * @throws KuzzleException 413 when it is over the limit.
     */
    private void checkSize(final long bytes)
    {
        if (bytes > maxRequestBytes + HERALD_ADDITIONS_BYTES)
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, bytes, maxRequestBytes);
        }
    }

    private static int utf8Bytes(final String text)
    {
        return null == text ? 0 : ByteBufUtil.utf8Bytes(text);
    }

    /**
     * @return the result, or null when the answer will come from the cluster.
     */
    private ObjectNode answer(final long connectionId, final KuzzleRequest request)
    {
        final String controller = request.required("controller");
        final String action = request.required("action");
        switch (controller)
        {
            case "server":
                if ("now".equals(action))
                {
                    return NODES.objectNode().put("now", clock.time());
                }
                if ("publicApi".equals(action))
                {
                    return publicApi;
                }
                if ("info".equals(action))
                {
                    final ObjectNode info = NODES.objectNode();
                    info.putObject("serverInfo").putObject("kuzzle").put("version", version)
                        .put("implementation", "herald");
                    return info;
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            case "auth":
                if ("checkToken".equals(action))
                {
                    return NODES.objectNode().put("valid", true).put("kuid", "-1").put("expiresAt", -1);
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            case "cluster":
                if ("status".equals(action))
                {
                    final int leader = null == link ? -1 : link.leaderMemberId();
                    if (null == statuses)
                    {
                        final ObjectNode none = NODES.objectNode().put("leader", leader);
                        none.putArray("nodes");
                        return none.put("edgeFailovers", requests.failedOver());
                    }
                    return statuses.toJson(leader, clock.time(), requests.failedOver())
                        .put("readDeadlineMs", TimeUnit.NANOSECONDS.toMillis(requests.readDeadlineNs()));
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            case "realtime":
                if (!REALTIME_ACTIONS.contains(action))
                {
                    throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
                }
                if ("validate".equals(action))
                {
                    return validate(request);
                }
                if (null == link)
                {
                    throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "no node is reachable");
                }
                write(connectionId, request, action);
                return null;
            default:
                throw new KuzzleException(KuzzleError.CONTROLLER_NOT_FOUND, controller);
        }
    }

    private void write(final long connectionId, final KuzzleRequest request, final String action)
    {
        final long correlationId = requests.nextId();
        final NodeRequest write;
        switch (action)
        {
            case "subscribe":
                write = new NodeRequest(NodeRequest.SUBSCRIBE, correlationId, connectionId, request.required("index"),
                    request.required("collection"), json(request.body(), "{}"), null, scope(request), users(request),
                    json(request.volatileData(), "{}"));
                checkSize((long)utf8Bytes(write.index()) + utf8Bytes(write.collection()) +
                    utf8Bytes(write.filterJson()) + utf8Bytes(write.volatileJson()));
                break;
            case "join":
                write = new NodeRequest(NodeRequest.JOIN, correlationId, connectionId, null, null, null,
                    request.requiredInBody("roomId"), scope(request), users(request),
                    json(request.volatileData(), "{}"));
                checkSize((long)utf8Bytes(write.roomId()) + utf8Bytes(write.volatileJson()));
                break;
            case "unsubscribe":
                write = new NodeRequest(NodeRequest.UNSUBSCRIBE, correlationId, connectionId, null, null, null,
                    request.requiredInBody("roomId"), 0, 0, json(request.volatileData(), "{}"));
                checkSize((long)utf8Bytes(write.roomId()) + utf8Bytes(write.volatileJson()));
                break;
            case "publish":
                publish(correlationId, connectionId, request);
                return;
            case "count":
                requests.read(connectionId, request, new NodeRequest(NodeRequest.COUNT, correlationId, connectionId,
                    null, null, null, request.requiredInBody("roomId"), 0, 0, null));
                return;
            case "list":
                requests.read(connectionId, request, new NodeRequest(NodeRequest.LIST, correlationId, connectionId,
                    null, null, null, null, 0, 0, null));
                return;
            default:
                throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE,
                    "realtime:" + action + " is not served by this version yet");
        }
        requests.write(connectionId, request, write);
    }











    private static int scope(final KuzzleRequest request)
    {
        try
        {
            return Scope.of(request.scope()).ordinal();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new KuzzleException(KuzzleError.INVALID_ARGUMENT, "scope", ex.getMessage());
        }
    }

    private static int users(final KuzzleRequest request)
    {
        try
        {
            return Users.of(request.users()).ordinal();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new KuzzleException(KuzzleError.INVALID_ARGUMENT, "users", ex.getMessage());
        }
    }

    private static String json(final JsonNode value, final String absent)
    {
        if (null == value)
        {
            return absent;
        }
        try
        {
            return JSON.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new KuzzleException(KuzzleError.INVALID_ARGUMENT, "body", ex.getOriginalMessage());
        }
    }

    /**
     * Kuzzle adds {@code _kuzzle_info} to the source before matching; the document matched also holds {@code _id}.
     */
    private void publish(final long correlationId, final long connectionId, final KuzzleRequest request)
    {
        requests.requireReads();
        final String index = request.required("index");
        final String collection = request.required("collection");
        final ObjectNode source = request.objectBody().deepCopy();
        final long now = clock.time();
        source.putObject("_kuzzle_info").put("author", "-1").put("createdAt", now);
        final NodeRequest read = new NodeRequest(NodeRequest.PUBLISH, correlationId, connectionId, index, collection,
            json(source, "{}"), null, 0, 0, json(request.volatileData(), ""), correlationId, now, request.id(),
            request.requestId(), request.protocol());
        checkSize((long)utf8Bytes(index) + utf8Bytes(collection) + utf8Bytes(read.filterJson()) +
            utf8Bytes(read.volatileJson()) + utf8Bytes(request.id()) + utf8Bytes(request.requestId()));
        requests.publish(connectionId, request, read, DocumentNotification.of(index, collection,
            request.protocol(), request.requestId(), now, "node", request.volatileData(), request.id(),
            source));
    }
}
