package io.herald.engine.counters;

/**
 * Herald's counters: fixed ids, Prometheus names and labels, and what they count. They live in the Aeron media
 * driver's counters file of the process (type id {@link #TYPE_ID_BASE} + id), so they can be read from outside the
 * process ({@code herald stat}, AeronStat) and are served as Prometheus text by the edge ({@code GET /metrics}).
 * Ids never change meaning; new counters take new ids.
 */
public enum HeraldCounter
{
    CONNECTIONS_OPENED(1, Role.EDGE, "herald_connections_opened_total", "protocol=\"websocket\"",
        "client connections opened, by protocol (those that stay open: HTTP requests are not connections)"),
    CONNECTIONS_CLOSED(2, Role.EDGE, "herald_connections_closed_total", "protocol=\"websocket\"",
        "client connections closed, by protocol"),
    MQTT_CONNECTIONS_OPENED(17, Role.EDGE, "herald_connections_opened_total", "protocol=\"mqtt\"",
        "client connections opened, by protocol (those that stay open: HTTP requests are not connections)"),
    MQTT_CONNECTIONS_CLOSED(18, Role.EDGE, "herald_connections_closed_total", "protocol=\"mqtt\"",
        "client connections closed, by protocol"),
    OTHER_CONNECTIONS_OPENED(27, Role.EDGE, "herald_connections_opened_total", "protocol=\"other\"",
        "client connections opened, by protocol (those that stay open: HTTP requests are not connections)"),
    OTHER_CONNECTIONS_CLOSED(28, Role.EDGE, "herald_connections_closed_total", "protocol=\"other\"",
        "client connections closed, by protocol"),
    REQUESTS(3, Role.EDGE, "herald_requests_total", "", "requests the router took"),
    ANSWERS_OK(4, Role.EDGE, "herald_answers_total", "status=\"2xx\"", "answers the router sent, by status class"),
    ANSWERS_CLIENT_ERROR(5, Role.EDGE, "herald_answers_total", "status=\"4xx\"",
        "answers the router sent, by status class"),
    ANSWERS_SERVER_ERROR(6, Role.EDGE, "herald_answers_total", "status=\"5xx\"",
        "answers the router sent, by status class"),
    NOTIFICATIONS(7, Role.EDGE, "herald_notifications_total", "", "notifications handed to client connections"),
    RING_FULL(8, Role.EDGE, "herald_ring_full_total", "",
        "requests the edge's ring could not take at once (the plugin waits or answers 503)"),
    READ_FAILOVERS(9, Role.EDGE, "herald_read_failovers_total", "",
        "reads sent again to another node because the first did not answer in time"),
    SLOW_CONSUMERS(10, Role.EDGE, "herald_slow_consumers_closed_total", "",
        "connections closed because their client left more than edge.max.pending.bytes unread"),
    EDGE_ERRORS(11, Role.EDGE, "herald_errors_total", "agent=\"edge\"",
        "errors an agent survived (each distinct one logged once)"),
    CLIENT_SOCKET_ERRORS(12, Role.EDGE, "herald_client_socket_errors_total", "",
        "connections ended by their client's socket error (reset, broken pipe, a frame refused)"),
    EDGE_EXPIRIES(13, Role.EDGE, "herald_edge_expiries_total", "",
        "times the cluster gave this edge up while its session was lost"),
    REMOTE_DUPLICATES(14, Role.EDGE, "herald_remote_notifications_duplicate_total", "",
        "notifications of other edges' publishes dropped because another node had sent them first"),
    LEADER_CHANGES(15, Role.EDGE, "herald_leader_changes_total", "",
        "new cluster leaders this edge's cluster session was told of (elections, reconnections)"),
    PLUGIN_ANSWERS(16, Role.EDGE, "herald_plugin_answers_total", "",
        "answers a protocol plugin gave itself without the router (unreadable requests, refused handshakes)"),
    REFUSED_UNAUTHORIZED(19, Role.EDGE, "herald_requests_refused_total", "reason=\"unauthorized\"",
        "requests refused by the edge's security, by reason (a token invalid or expired, or needed: 401; not " +
            "allowed by the user's rights: 403; over a rate limit: 429)"),
    REFUSED_FORBIDDEN(29, Role.EDGE, "herald_requests_refused_total", "reason=\"forbidden\"",
        "requests refused by the edge's security, by reason (a token invalid or expired, or needed: 401; not " +
            "allowed by the user's rights: 403; over a rate limit: 429)"),
    REFUSED_RATE_LIMIT(30, Role.EDGE, "herald_requests_refused_total", "reason=\"rate_limit\"",
        "requests refused by the edge's security, by reason (a token invalid or expired, or needed: 401; not " +
            "allowed by the user's rights: 403; over a rate limit: 429)"),
    CONNECTIONS_REFUSED(31, Role.EDGE, "herald_connections_refused_total", "",
        "client connections refused: the edge's or a remote address's limit was reached"),
    WRITES_RESENT(32, Role.EDGE, "herald_writes_resent_total", "",
        "writes sent again to a new leader or on a new cluster session (the cluster applies each once)"),

    HELD_READS_DROPPED(20, Role.NODE, "herald_node_held_reads_dropped_total", "",
        "reads dropped because this node's log did not reach their position in time"),
    REMOTE_UNKNOWN_EDGE(21, Role.NODE, "herald_node_remote_notifications_dropped_total", "reason=\"unknown_edge\"",
        "notifications for another edge dropped, by reason"),
    REMOTE_TOO_LARGE(22, Role.NODE, "herald_node_remote_notifications_dropped_total", "reason=\"too_large\"",
        "notifications for another edge dropped, by reason"),
    MALFORMED_READS(23, Role.NODE, "herald_node_malformed_reads_total", "",
        "read requests dropped because they could not be read or handled"),
    REPLIES_DROPPED(24, Role.NODE, "herald_node_replies_dropped_total", "",
        "answers to writes the leader could not offer to an edge's session"),
    NODE_ERRORS(25, Role.NODE, "herald_errors_total", "agent=\"node\"",
        "errors an agent survived (each distinct one logged once)"),
    NODE_ROLE_CHANGES(26, Role.NODE, "herald_node_role_changes_total", "",
        "times this node's cluster role changed (follower, candidate, leader)"),
    READS_REFUSED(40, Role.NODE, "herald_node_reads_refused_total", "",
        "read requests dropped because they did not carry the key of cluster.secret"),
    WRITE_COPIES(41, Role.NODE, "herald_node_write_copies_total", "",
        "writes that reached the log again (an edge sent them again after a leader change) and were answered " +
            "with their first answer instead of applying twice");

    /** Which process keeps a counter. */
    public enum Role
    {
        EDGE, NODE
    }

    /** Aeron counter type ids of Herald's counters start here. */
    public static final int TYPE_ID_BASE = 7_512_000;

    private final int id;
    private final Role role;
    private final String metric;
    private final String labels;
    private final String help;

    HeraldCounter(final int id, final Role role, final String metric, final String labels, final String help)
    {
        this.id = id;
        this.role = role;
        this.metric = metric;
        this.labels = labels;
        this.help = help;
    }

    public int typeId()
    {
        return TYPE_ID_BASE + id;
    }

    public Role role()
    {
        return role;
    }

    /**
     * @return the Prometheus metric name (counters end in {@code _total}).
     */
    public String metric()
    {
        return metric;
    }

    public String help()
    {
        return help;
    }

    /**
     * @param scope the process's own labels (e.g. {@code edge="1"}).
     * @return the counter's label: the Prometheus series, {@code name{labels}}.
     */
    public String label(final String scope)
    {
        final String all = labels.isEmpty() ? scope : scope.isEmpty() ? labels : labels + "," + scope;
        return all.isEmpty() ? metric : metric + "{" + all + "}";
    }

    /**
     * @return the counter of an Aeron counter type id, or null when it is not Herald's.
     */
    public static HeraldCounter ofTypeId(final int typeId)
    {
        for (final HeraldCounter counter : values())
        {
            if (counter.typeId() == typeId)
            {
                return counter;
            }
        }
        return null;
    }
}
