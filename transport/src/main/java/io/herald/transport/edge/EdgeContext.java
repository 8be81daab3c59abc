package io.herald.transport.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.edge.NodeRequests;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.Rights;
import io.herald.engine.security.TokenVerifier;
import io.herald.transport.Counters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * What an edge's router is made of and how it behaves, set one to one from the config file by the command line and
 * from code by tests, Aeron-style: fluent setters, then {@link #conclude()} fills the defaults and checks what is
 * required. The router owns the links given here (it closes them).
 */
public final class EdgeContext
{
    /** Requests taken from the ring per duty cycle, at most. */
    public static final int DEFAULT_POLL_LIMIT = 256;
    /** Largest request accepted by default (setting {@code edge.max.frame.bytes}). */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

    private boolean concluded;
    private RequestRing ring;
    private EdgeConnections connections;
    private EpochClock epochClock;
    private NanoClock nanoClock;
    private String version = "dev";
    private int pollLimit = DEFAULT_POLL_LIMIT;
    private Runnable readsSent;
    private ClusterLink clusterLink;
    private ReadLink readLink;
    private long requestTimeoutMs = NodeRequests.DEFAULT_REQUEST_TIMEOUT_MS;
    private long readFailoverNs = NodeRequests.DEFAULT_READ_FAILOVER_NS;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private ObjectNode publicApi;
    private Counters counters;
    private ConnectionTable connectionTable;
    private ErrorHandler errorLog;
    private Rights rights;
    private TokenVerifier tokenVerifier;
    private int requestsPerSecond;
    private int subscriptionsPerConnection;
    private ConnectionUsers users;

    /**
     * Fills what was not set: system clocks, in-memory counters, an empty {@code server:publicApi}.
     *
     * @return this.
     * @throws IllegalStateException when the ring or the connections are missing, or a value is out of range.
     */
    public EdgeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("the edge context is already concluded");
        }
        concluded = true;
        if (null == ring || null == connections)
        {
            throw new IllegalStateException("an edge needs its request ring and its connections");
        }
        if (pollLimit < 1 || requestTimeoutMs < 1 || readFailoverNs < 1 || maxRequestBytes < 1)
        {
            throw new IllegalStateException("pollLimit, requestTimeoutMs, readFailoverNs and maxRequestBytes must " +
                "be positive: " + pollLimit + ", " + requestTimeoutMs + ", " + readFailoverNs + ", " +
                maxRequestBytes);
        }
        epochClock = null == epochClock ? SystemEpochClock.INSTANCE : epochClock;
        nanoClock = null == nanoClock ? SystemNanoClock.INSTANCE : nanoClock;
        counters = null == counters ? Counters.inMemory() : counters;
        publicApi = null == publicApi ? JsonNodeFactory.instance.objectNode() : publicApi;
        if (requestsPerSecond < 0)
        {
            throw new IllegalStateException("requestsPerSecond must be 0 (no limit) or positive: " + requestsPerSecond);
        }
        users = new ConnectionUsers(null == rights ? Rights.open() : rights, tokenVerifier, epochClock);
        return this;
    }

    public EdgeContext ring(final RequestRing ring)
    {
        this.ring = ring;
        return this;
    }

    public RequestRing ring()
    {
        return ring;
    }

    /**
     * @param connections the edge's connections, where answers and notifications are written.
     * @return this.
     */
    public EdgeContext connections(final EdgeConnections connections)
    {
        this.connections = connections;
        return this;
    }

    public EdgeConnections connections()
    {
        return connections;
    }

    public EdgeContext epochClock(final EpochClock clock)
    {
        this.epochClock = clock;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    public EdgeContext nanoClock(final NanoClock clock)
    {
        this.nanoClock = clock;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param version what {@code server:info} reports.
     * @return this.
     */
    public EdgeContext version(final String version)
    {
        this.version = version;
        return this;
    }

    public String version()
    {
        return version;
    }

    public EdgeContext pollLimit(final int events)
    {
        this.pollLimit = events;
        return this;
    }

    public int pollLimit()
    {
        return pollLimit;
    }

    /**
     * @param wake run once per duty cycle in which reads went to the nodes: wakes a node's service agent that shares
     *             this process ({@code herald up}), or null.
     * @return this.
     */
    public EdgeContext readsSent(final Runnable wake)
    {
        this.readsSent = wake;
        return this;
    }

    public Runnable readsSent()
    {
        return readsSent;
    }

    /**
     * @param link the cluster (writes), or null when the edge runs without nodes.
     * @return this.
     */
    public EdgeContext clusterLink(final ClusterLink link)
    {
        this.clusterLink = link;
        return this;
    }

    public ClusterLink clusterLink()
    {
        return clusterLink;
    }

    /**
     * @param link the nodes' read sides (publishes, counts, lists), or null.
     * @return this.
     */
    public EdgeContext readLink(final ReadLink link)
    {
        this.readLink = link;
        return this;
    }

    public ReadLink readLink()
    {
        return readLink;
    }

    /**
     * @param timeoutMs how long a request waits for a node's answer before its client is answered 503 (setting
     *                  {@code edge.request.timeout}).
     * @return this.
     */
    public EdgeContext requestTimeoutMs(final long timeoutMs)
    {
        this.requestTimeoutMs = timeoutMs;
        return this;
    }

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    /**
     * @param timeoutNs how long a read may wait for a node's first answer before going to another node, at most
     *                  (setting {@code edge.read.failover}).
     * @return this.
     */
    public EdgeContext readFailoverNs(final long timeoutNs)
    {
        this.readFailoverNs = timeoutNs;
        return this;
    }

    public long readFailoverNs()
    {
        return readFailoverNs;
    }

    /**
     * @param bytes the largest request accepted, once encoded for the nodes (setting {@code edge.max.frame.bytes}).
     * @return this.
     */
    public EdgeContext maxRequestBytes(final int bytes)
    {
        this.maxRequestBytes = bytes;
        return this;
    }

    public int maxRequestBytes()
    {
        return maxRequestBytes;
    }

    /**
     * @param api Kuzzle's {@code server:publicApi} answer ({@link EdgeServer#publicApi()}).
     * @return this.
     */
    public EdgeContext publicApi(final ObjectNode api)
    {
        this.publicApi = api;
        return this;
    }

    public ObjectNode publicApi()
    {
        return publicApi;
    }

    /**
     * @param counters where the router counts (the edge's counters file).
     * @return this.
     */
    public EdgeContext counters(final Counters counters)
    {
        this.counters = counters;
        return this;
    }

    public Counters counters()
    {
        return counters;
    }

    /**
     * @param table where this edge's connections are listed for {@code herald stat}, or null.
     * @return this.
     */
    public EdgeContext connectionTable(final ConnectionTable table)
    {
        this.connectionTable = table;
        return this;
    }

    public ConnectionTable connectionTable()
    {
        return connectionTable;
    }

    /**
     * @param log the process's error log ({@code io.herald.transport.ErrorLog}), or null to print errors.
     * @return this.
     */
    public EdgeContext errorLog(final ErrorHandler log)
    {
        this.errorLog = log;
        return this;
    }

    public ErrorHandler errorLog()
    {
        return errorLog;
    }

    /**
     * @param rights the roles and profiles ({@code auth.rights.file}); everything allowed to everyone when not set.
     * @return this.
     */
    public EdgeContext rights(final Rights rights)
    {
        this.rights = rights;
        return this;
    }

    /**
     * @param verifier how tokens are verified; without one, tokens are ignored and every request is anonymous.
     * @return this.
     */
    public EdgeContext tokenVerifier(final TokenVerifier verifier)
    {
        this.tokenVerifier = verifier;
        return this;
    }

    /**
     * @param requests requests per second one connection may send ({@code edge.limit.requests.per.second}), 0 for
     *                 no limit.
     * @return this.
     */
    public EdgeContext requestsPerSecond(final int requests)
    {
        this.requestsPerSecond = requests;
        return this;
    }

    public int requestsPerSecond()
    {
        return requestsPerSecond;
    }

    /**
     * @param subscriptions subscriptions one connection may hold ({@code edge.limit.subscriptions.per.connection}),
     *                      0 for no limit.
     * @return this.
     */
    public EdgeContext subscriptionsPerConnection(final int subscriptions)
    {
        this.subscriptionsPerConnection = subscriptions;
        return this;
    }

    public int subscriptionsPerConnection()
    {
        return subscriptionsPerConnection;
    }

    /**
     * @return who is behind each connection (made by {@link #conclude()}); its rights can be replaced while the
     *         edge runs (the rights file changed).
     */
    public ConnectionUsers users()
    {
        return users;
    }
}
