package io.herald.tools.config;

import io.herald.transport.node.ClusterMembers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting a Herald process reads from its config file, one section per agent (thread role) plus the edge's
 * sockets and ring, Aeron and the cluster, and the filter engine. Each maps to one setting of the component's
 * {@code Context}. The shipped profiles are {@code config/shared-host.properties} (the default: small machines,
 * shared threads, backoff idling) and {@code config/low-latency.properties} (dedicated threads, spinning).
 */
public final class HeraldSettings
{
    /** Idle strategies, as Aeron names them. */
    public static final List<String> IDLE_STRATEGIES = List.of("backoff", "busy-spin", "yielding", "sleeping", "noop");

    public static final Setting<String> EDGE_HOST = Setting.text("edge.host", "address the edge listens on",
        "0.0.0.0");
    public static final Setting<Integer> EDGE_PORT = Setting.integer("edge.port",
        "port of the WebSocket and HTTP listener", 7512, 1, 65_535);
    public static final Setting<Boolean> EDGE_MQTT_ENABLED = Setting.flag("edge.mqtt.enabled",
        "serve Kuzzle's MQTT protocol (MQTT 3.1.1 and 3.1) on edge.mqtt.port", true);
    public static final Setting<Integer> EDGE_MQTT_PORT = Setting.integer("edge.mqtt.port",
        "port of the MQTT listener (0 for any free port)", 1883, 0, 65_535);
    public static final Setting<Boolean> EDGE_MQTT_ALLOW_PUBSUB = Setting.flag("edge.mqtt.allow.pubsub",
        "let MQTT clients publish to and subscribe on topics of their own, as a plain broker (Kuzzle's allowPubSub)",
        false);
    public static final Setting<String> EDGE_TRANSPORT = Setting.choice("edge.transport",
        "how the edge's I/O threads drive client sockets: auto (Linux's epoll through Netty's native transport where " +
        "it loads, else NIO), epoll, io_uring or nio", "auto", List.of("auto", "epoll", "io_uring", "nio"));
    public static final Setting<Integer> EDGE_IO_THREADS = Setting.integer("edge.io.threads",
        "Netty I/O threads", 1, 1, 64);
    public static final Setting<Integer> EDGE_MAX_FRAME_BYTES = Setting.integer("edge.max.frame.bytes",
        "largest request accepted, in bytes: a WebSocket frame, an HTTP body, and a request's data (document or " +
        "filter, volatile, index, collection) once encoded for the nodes; larger ones are answered 413. Nodes read " +
        "it too: Aeron terms are sized so that a request this large crosses every link (term >= 8 x (limit + 64 KiB))",
        1 << 20, 1_024, 8 << 20);
    public static final Setting<Integer> EDGE_MAX_PENDING_BYTES = Setting.integer("edge.max.pending.bytes",
        "answers and notifications a client may leave unread before the edge closes it as a slow consumer",
        16 << 20, 64 << 10, 1 << 30);
    public static final Setting<Integer> EDGE_MAX_CONNECTIONS = Setting.integer("edge.max.connections",
        "client connections an edge holds at most", 100_000, 1, 10_000_000);
    public static final Setting<Integer> EDGE_RING_SIZE = Setting.powerOfTwo("edge.ring.size",
        "slots of the Disruptor ring between I/O threads and the router", 16_384, 64, 1 << 22);

    public static final Setting<Integer> EDGE_ID = Setting.integer("edge.id",
        "this edge's id, unique among the edges of a cluster (connection keys carry it)", 1, 0, 32_767);
    public static final Setting<String> EDGE_AERON_HOST = Setting.text("edge.aeron.host",
        "address nodes reach this edge at (cluster egress and read answers)", "localhost");
    public static final Setting<Integer> EDGE_ANSWER_PORT = Setting.integer("edge.answer.port",
        "UDP port this edge takes nodes' read answers on", 20_030, 1, 65_535);
    public static final Setting<Long> EDGE_REQUEST_TIMEOUT = Setting.duration("edge.request.timeout",
        "a request no node answered in this time is answered 503", "5s", 10_000_000L, 600_000_000_000L);

    public static final Setting<Long> EDGE_WARMUP = Setting.duration("edge.warmup",
        "before the port opens, the edge sends rounds of client traffic (connections, subscriptions, publishes, " +
        "fan-out, 2 KB documents) to a loopback listener of its own until the JIT compiler is quiet, at most this " +
        "long; 0 opens the port at once, cold (its first clients meet the compiler)", "20s", 0L, 600_000_000_000L);

    public static final Setting<Long> EDGE_HTTP_REQUEST_TIMEOUT = Setting.duration("edge.http.request.timeout",
        "an HTTP request (WebSocket handshakes included) must arrive whole within this of its first byte, or it is " +
        "answered 408 and its socket closed (slow senders cannot hold sockets)", "10s", 100_000_000L,
        3_600_000_000_000L);
    public static final Setting<Long> EDGE_HTTP_IDLE_TIMEOUT = Setting.duration("edge.http.idle.timeout",
        "an HTTP socket that sends nothing this long (before its first request or between two) is closed; " +
        "WebSocket connections are not concerned", "60s", 100_000_000L, 86_400_000_000_000L);

    public static final Setting<Long> EDGE_READ_FAILOVER = Setting.duration("edge.read.failover",
        "a read (publish, count, list) no node starts answering in this time goes to another node; the edge waits " +
        "less (4 x the p99 of recent answers, at least 50 ms) when nodes answer faster", "500ms",
        1_000_000L, 60_000_000_000L);

    public static final Setting<String> EDGE_TLS_CERTIFICATE = Setting.optionalText("edge.tls.certificate",
        "PEM file of the edge's certificate chain: with edge.tls.key, the edge's port speaks wss:// and https:// only");
    public static final Setting<String> EDGE_TLS_KEY = Setting.optionalText("edge.tls.key",
        "PEM file of the certificate's private key (PKCS#8: openssl pkcs8 -topk8 -nocrypt)");
    public static final Setting<Integer> EDGE_MQTT_TLS_PORT = Setting.integer("edge.mqtt.tls.port",
        "port of MQTT over TLS when the edge has a certificate (0 for any free port)", 8883, 0, 65_535);
    public static final Setting<Integer> EDGE_MAX_CONNECTIONS_PER_ADDRESS = Setting.integer(
        "edge.max.connections.per.address", "client connections one remote address may hold, 0 for no limit", 0, 0,
        10_000_000);
    public static final Setting<String> EDGE_ALLOWED_ORIGINS = Setting.optionalText("edge.allowed.origins",
        "browser origins allowed to open a WebSocket (comma-separated, e.g. https://app.example.com); empty for any");
    public static final Setting<Integer> EDGE_LIMIT_REQUESTS = Setting.integer("edge.limit.requests.per.second",
        "requests per second one connection may send (a burst of one second's worth), 0 for no limit; beyond, " +
            "api.process.too_many_requests (429)", 0, 0, 10_000_000);
    public static final Setting<Integer> EDGE_LIMIT_SUBSCRIPTIONS = Setting.integer(
        "edge.limit.subscriptions.per.connection", "subscriptions one connection may hold, 0 for no limit; beyond, " +
            "core.realtime.too_many_subscriptions (429)", 0, 0, 10_000_000);
    public static final Setting<String> AUTH_RIGHTS_FILE = Setting.optionalText("auth.rights.file",
        "Kuzzle roles and profiles, {\"roles\": {...}, \"profiles\": {...}} (reloaded when it changes); without " +
            "one, everything is allowed to everyone");
    public static final Setting<String> AUTH_JWT_HMAC_SECRET = Setting.optionalText("auth.jwt.hmac.secret",
        "shared secret of HS256/384/512 tokens");
    public static final Setting<String> AUTH_JWT_PUBLIC_KEY = Setting.optionalText("auth.jwt.public.key",
        "PEM file of the public key (or certificate) of RS*, PS* and ES* tokens");
    public static final Setting<String> AUTH_JWT_JWKS_URL = Setting.optionalText("auth.jwt.jwks.url",
        "URL of the key set (JWKS) of RS*, PS* and ES* tokens, cached and refreshed");
    public static final Setting<String> AUTH_JWT_ISSUER = Setting.optionalText("auth.jwt.issuer",
        "the iss tokens must carry");
    public static final Setting<String> AUTH_JWT_AUDIENCE = Setting.optionalText("auth.jwt.audience",
        "an aud tokens must name");
    public static final Setting<Long> AUTH_JWT_CLOCK_SKEW = Setting.duration("auth.jwt.clock.skew",
        "clock difference tolerated on a token's exp and nbf", "30s", 0, 3_600_000_000_000L);
    public static final Setting<String> CLUSTER_SECRET = Setting.optionalText("cluster.secret",
        "shared by edges and nodes: edges' cluster sessions present it and every read request carries its key, so " +
            "that only holders write to or read from the cluster (empty: no check; the network must be private)");
    public static final Setting<Integer> NODE_ID = Setting.integer("node.id",
        "this node's id: its position in cluster.members, from 0", 0, 0, 255);
    public static final Setting<ClusterMembers> CLUSTER_MEMBERS = new Setting<>("cluster.members",
        "every node's host:basePort in id order; a node takes 5 UDP ports from its base port",
        "localhost:20010", "host:port[,host:port...] with non-overlapping port ranges", HeraldSettings::members);

    public static final Setting<String> ROUTER_IDLE = Setting.choice("agent.router.idle",
        "idle strategy of the edge's router agent (drains the ring, talks to nodes, writes answers and " +
        "notifications)", "backoff", IDLE_STRATEGIES);
    public static final Setting<String> ROUTER_THREAD = Setting.choice("agent.router.thread",
        "herald up (edge and node in one process): where the edge's router runs; service: in the node service's duty " +
        "cycle (then agent.service.idle idles both), so that a read reaches the node and its answer comes back " +
        "without waking another thread; own: a thread of its own, for machines with cores to spare for spinning " +
        "agents (BENCHMARKS.md)", "service", List.of("service", "own"));
    public static final Setting<String> SERVICE_IDLE = Setting.choice("agent.service.idle",
        "idle strategy of a node's consensus module, archive and service container", "backoff", IDLE_STRATEGIES);
    public static final Setting<Long> AGENT_IDLE_MAX_PARK = Setting.duration("agent.idle.max.park",
        "longest park of an idle agent with the backoff strategy (router, node service, Aeron driver): each idle " +
        "agent a request crosses may add up to this to its latency; shorter costs idle CPU", "1ms", 1_000L,
        100_000_000L);
    public static final Setting<Long> AGENT_IDLE_BUSY_WINDOW = Setting.duration("agent.idle.busy.window",
        "herald up (edge and node in one process), backoff strategy: how long the router and the node service keep " +
        "yielding after their last work before they may park, so that an answer coming back finds them awake; " +
        "costs up to this much CPU after each burst of work, nothing when idle", "0ms", 0L, 10_000_000L);
    public static final Setting<String> DRIVER_THREADING = Setting.choice("agent.driver.threading",
        "Aeron media driver threading mode", "shared", List.of("shared", "shared-network", "dedicated"));
    public static final Setting<String> DRIVER_IDLE = Setting.choice("agent.driver.idle",
        "Aeron media driver idle strategy", "backoff", IDLE_STRATEGIES);

    public static final Setting<Integer> AERON_TERM_LENGTH = Setting.powerOfTwo("aeron.term.length",
        "term buffer length of Herald's publications, at least: raised to hold the largest request " +
        "(edge.max.frame.bytes; 16 MiB for the default 1 MiB)", 256 << 10, 64 << 10, 1 << 30);
    public static final Setting<Long> CLUSTER_HEARTBEAT_TIMEOUT = Setting.duration("cluster.heartbeat.timeout",
        "leader heartbeat timeout (failover detection)", "500ms", 100_000_000L, 60_000_000_000L);
    public static final Setting<Long> CLUSTER_HEARTBEAT_INTERVAL = Setting.duration("cluster.heartbeat.interval",
        "leader heartbeat interval", "50ms", 10_000_000L, 10_000_000_000L);
    public static final Setting<Long> CLUSTER_ELECTION_TIMEOUT = Setting.duration("cluster.election.timeout",
        "election timeout", "250ms", 50_000_000L, 60_000_000_000L);

    public static final Setting<Long> CLUSTER_SESSION_TIMEOUT = Setting.duration("cluster.session.timeout",
        "the cluster closes the session of an edge silent this long (edges say they are alive every second)", "10s",
        2_000_000_000L, 3_600_000_000_000L);
    public static final Setting<Long> CLUSTER_EDGE_EXPIRY = Setting.duration("cluster.edge.expiry",
        "after an edge's session timed out, how long its subscriptions wait for it to come back before they are " +
        "dropped (its clients told 'user out')", "10s", 0L, 86_400_000_000_000L);
    public static final Setting<Long> CLUSTER_SNAPSHOT_INTERVAL = Setting.duration("cluster.snapshot.interval",
        "how often a node asks for a snapshot of the subscriptions (bounds the log replayed at restart); 0s: never",
        "600s", 0L, 86_400_000_000_000L);

    public static final Setting<Integer> FILTER_MAX_CONDITIONS = Setting.integer("filter.max.conditions",
        "leaf conditions a filter may hold (0: no limit)", 50, 0, 100_000);
    public static final Setting<Integer> FILTER_MAX_CONJUNCTIONS = Setting.integer("filter.max.conjunctions",
        "AND terms the normal form of a filter may have", 4_096, 1, 65_536);

    private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

    static
    {
        for (final Setting<?> setting : List.of(EDGE_HOST, EDGE_PORT, EDGE_TRANSPORT, EDGE_IO_THREADS,
            EDGE_MAX_FRAME_BYTES, EDGE_MAX_PENDING_BYTES, EDGE_MAX_CONNECTIONS, EDGE_RING_SIZE, EDGE_ID, EDGE_AERON_HOST, EDGE_ANSWER_PORT,
            EDGE_REQUEST_TIMEOUT, EDGE_WARMUP, EDGE_HTTP_REQUEST_TIMEOUT, EDGE_HTTP_IDLE_TIMEOUT, EDGE_READ_FAILOVER,
            EDGE_MQTT_ENABLED, EDGE_MQTT_PORT, EDGE_MQTT_ALLOW_PUBSUB, EDGE_TLS_CERTIFICATE, EDGE_TLS_KEY,
            EDGE_MQTT_TLS_PORT, EDGE_MAX_CONNECTIONS_PER_ADDRESS,
            EDGE_ALLOWED_ORIGINS, EDGE_LIMIT_REQUESTS, EDGE_LIMIT_SUBSCRIPTIONS,
            AUTH_RIGHTS_FILE,
            AUTH_JWT_HMAC_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWT_JWKS_URL, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE,
            AUTH_JWT_CLOCK_SKEW, CLUSTER_SECRET,
            NODE_ID, CLUSTER_MEMBERS, ROUTER_IDLE, ROUTER_THREAD, SERVICE_IDLE, AGENT_IDLE_MAX_PARK, AGENT_IDLE_BUSY_WINDOW,
            DRIVER_THREADING, DRIVER_IDLE,
            AERON_TERM_LENGTH,
            CLUSTER_HEARTBEAT_TIMEOUT, CLUSTER_HEARTBEAT_INTERVAL, CLUSTER_ELECTION_TIMEOUT,
            CLUSTER_SESSION_TIMEOUT, CLUSTER_EDGE_EXPIRY, CLUSTER_SNAPSHOT_INTERVAL, FILTER_MAX_CONDITIONS,
            FILTER_MAX_CONJUNCTIONS))
        {
            ALL.put(setting.key(), setting);
        }
    }

    private HeraldSettings()
    {
    }

    private static ClusterMembers members(final String text)
    {
        try
        {
            return ClusterMembers.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * @return every setting by key, in documentation order.
     */
    public static Map<String, Setting<?>> all()
    {
        return ALL;
    }
}
