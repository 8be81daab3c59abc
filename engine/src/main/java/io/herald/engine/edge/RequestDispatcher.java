package io.herald.engine.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterException;
import io.herald.engine.kuzzle.DocumentNotification;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Users;
import io.herald.engine.security.AuthActions;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.RequestRates;
import io.herald.engine.security.Rights;
import io.herald.engine.security.User;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Kuzzle controller/action dispatch of an edge: what the edge answers alone ({@code server:now}, {@code info},
 * {@code publicApi}, the {@code auth} controller, {@code cluster:status}, {@code realtime:validate},
 * unknown controllers and actions), and what goes to the nodes: writes ({@code realtime:subscribe}, {@code join},
 * {@code unsubscribe}) to the cluster, reads ({@code publish}, {@code count}, {@code list}) to a node's read side,
 * through {@link NodeRequests}, once checked against the request size limit. Every request is first checked: its
 * token, its rate, its rights ({@link ConnectionUsers}). Used on the router's thread.
 */
public final class RequestDispatcher
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> REALTIME_ACTIONS =
        Set.of("subscribe", "unsubscribe", "publish", "count", "list", "join", "validate");
    /** Room for what Herald adds to a request's data before it goes to the nodes. */
    public static final int HERALD_ADDITIONS_BYTES = 1024;

    private final NodeLinks links;
    private final NodeRequests requests;
    private final NodeStatuses statuses;
    private final EpochClock clock;
    private final String version;
    private final FilterEngine validator = new FilterEngine();
    private int maxRequestBytes = 1 << 20;
    private long maxSubscriptions;
    private ObjectNode publicApi = NODES.objectNode();
    private ConnectionUsers users;
    private AuthActions auth;
    private RequestRates rates;
    private AtomicCounter unauthorized;
    private AtomicCounter forbidden;
    private AtomicCounter rateLimited;

    /**
     * @param statuses what the nodes said about themselves, or null without read sides.
     * @param version  the version {@code server:info} reports.
     */
    public RequestDispatcher(
        final NodeRequests requests, final NodeStatuses statuses, final EpochClock clock, final String version)
    {
        this.links = requests.links();
        this.requests = requests;
        this.statuses = statuses;
        this.clock = clock;
        this.version = version;
        security(new ConnectionUsers(Rights.open(), null, clock), null, null);
    }

    /**
     * @param users who is behind each connection, and what they may do.
     * @param rates    the request rates allowed, or null for no limit.
     * @param counters where refusals are counted ({@code herald_requests_refused_total}), or null.
     */
    public void security(
        final ConnectionUsers users, final RequestRates rates, final Function<HeraldCounter, AtomicCounter> counters)
    {
        this.users = users;
        this.auth = new AuthActions(users);
        this.rates = rates;
        if (null != counters)
        {
            unauthorized = counters.apply(HeraldCounter.REFUSED_UNAUTHORIZED);
            forbidden = counters.apply(HeraldCounter.REFUSED_FORBIDDEN);
            rateLimited = counters.apply(HeraldCounter.REFUSED_RATE_LIMIT);
        }
    }

    /**
     * A connection is gone: its subscriptions go (a write to the cluster), its token and rates are forgotten.
     */
    public void closed(final long connectionId)
    {
        users.closed(connectionId);
        if (null != rates)
        {
            rates.closed(connectionId);
        }
        if (links.hasCluster())
        {
            requests.closed(connectionId);
        }
    }

    /**
     * Reports the connections whose token expired (router's duty cycle).
     */
    public int expireTokens(final ConnectionUsers.Expiries listener)
    {
        return users.expire(listener);
    }

    public void maxRequestBytes(final int bytes)
    {
        this.maxRequestBytes = bytes;
    }

    /**
     * @param subscriptions subscriptions one connection may hold ({@code edge.limit.subscriptions.per.connection}),
     *                      0 for no limit.
     */
    public void maxSubscriptions(final int subscriptions)
    {
        this.maxSubscriptions = subscriptions;
    }

    public void publicApi(final ObjectNode api)
    {
        this.publicApi = api;
    }

    /**
     * @return the result, or null when the answer will come from the cluster.
     */
    public ObjectNode answer(final long connectionId, final KuzzleRequest request)
    {
        final String controller = request.required("controller");
        final String action = request.required("action");
        final User user = checked(connectionId, request, controller, action);
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
                return auth.answer(action, user, request);
            case "cluster":
                if ("status".equals(action))
                {
                    final int leader = links.hasCluster() ? links.leaderMemberId() : -1;
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
                if (!links.hasCluster())
                {
                    throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "no node is reachable");
                }
                write(connectionId, request, action, user);
                return null;
            default:
                throw new KuzzleException(KuzzleError.CONTROLLER_NOT_FOUND, controller);
        }
    }

    /**
     * @return who sends the request, once its token, rate and rights are checked.
     * @throws KuzzleException 401, 403 or 429, counted.
     */
    private User checked(
        final long connectionId, final KuzzleRequest request, final String controller, final String action)
    {
        try
        {
            final User user = users.userOf(connectionId, request.jwt());
            if (null != rates && !rates.tryAcquire(connectionId, user))
            {
                throw new KuzzleException(KuzzleError.TOO_MANY_REQUESTS);
            }
            users.check(user, controller, action, request.index(), request.collection());
            return user;
        }
        catch (final KuzzleException ex)
        {
            final int status = ex.error().status();
            final AtomicCounter counter = status == 429 ? rateLimited : status == 403 ? forbidden :
                status == 401 ? unauthorized : null;
            if (null != counter)
            {
                counter.increment();
            }
            throw ex;
        }
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

    private void write(final long connectionId, final KuzzleRequest request, final String action, final User user)
    {
        final long correlationId = requests.nextId();
        final NodeRequest write;
        switch (action)
        {
            case "subscribe":
                checkSubscriptions(connectionId);
                write = new NodeRequest(NodeRequest.SUBSCRIBE, correlationId, connectionId, request.required("index"),
                    request.required("collection"), json(request.body(), "{}"), null, scope(request), users(request),
                    json(request.volatileData(), "{}"));
                checkSize((long)utf8Bytes(write.index()) + utf8Bytes(write.collection()) +
                    utf8Bytes(write.filterJson()) + utf8Bytes(write.volatileJson()));
                break;
            case "join":
                checkSubscriptions(connectionId);
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
                publish(correlationId, connectionId, request, user);
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

    /**
     * @throws KuzzleException 429 when the connection holds as many subscriptions as it may (subscribes still in
     *                         flight are not counted: the request rates bound them).
     */
    private void checkSubscriptions(final long connectionId)
    {
        if (0 != maxSubscriptions && requests.subscriptionsHeld(connectionId) >= maxSubscriptions)
        {
            if (null != rateLimited)
            {
                rateLimited.increment();
            }
            throw new KuzzleException(KuzzleError.TOO_MANY_SUBSCRIPTIONS, maxSubscriptions);
        }
    }

    /**
     * Kuzzle adds {@code _kuzzle_info} to the source before matching; the document matched also holds {@code _id}.
     */
    private void publish(
        final long correlationId, final long connectionId, final KuzzleRequest request, final User user)
    {
        requests.requireReads();
        final String index = request.required("index");
        final String collection = request.required("collection");
        final long now = clock.time();
        // the body as the client sent it, when known and without its own _kuzzle_info: no tree built or written
        final String source = null != request.bodyText() && !request.bodyKuzzleInfo() ?
            DocumentNotification.source(request.bodyText(), user.kuid(), now) :
            DocumentNotification.source(request.objectBody(), user.kuid(), now);
        final String volatileJson = json(request.volatileData(), "");
        final NodeRequest read = new NodeRequest(NodeRequest.PUBLISH, correlationId, connectionId, index, collection,
            source, null, 0, 0, volatileJson, correlationId, now, request.id(), request.requestId(),
            request.protocol());
        checkSize((long)utf8Bytes(index) + utf8Bytes(collection) + utf8Bytes(read.filterJson()) +
            utf8Bytes(read.volatileJson()) + utf8Bytes(request.id()) + utf8Bytes(request.requestId()));
        requests.publish(connectionId, request, read, DocumentNotification.of(index, collection,
            request.protocol(), request.requestId(), now, "node", volatileJson, request.id(), source));
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
        if (null == text)
        {
            return 0;
        }
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3; // at most 3 for a lone surrogate too (encoders write 1 to 3)
            }
        }
        return bytes;
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
            return RequestJson.write(value);
        }
        catch (final UncheckedIOException ex)
        {
            throw new KuzzleException(KuzzleError.INVALID_ARGUMENT, "body", RequestJson.describe(ex.getCause()));
        }
    }
}
