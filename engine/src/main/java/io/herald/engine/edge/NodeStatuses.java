package io.herald.engine.edge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What each node last said about itself (answers to the status request the edge sends every node each second on
 * the read channel), for {@code cluster:status} and to keep silent nodes out of the read rotation. Router thread only.
 */
public final class NodeStatuses
{
    /** How often the edge asks. */
    static final long INTERVAL_NS = 1_000_000_000L;
    /** A node that has not answered for this long is "down" and takes no reads. */
    static final long STALE_MS = 1_500;

    private static final class NodeStatus
    {
        int role;
        long logPosition;
        long pid;
        int rooms;
        long heardAtMs;
    }

    private final NodeLinks reads;
    private final NodeStatus[] nodes;
    private long lastRequestNs;

    public NodeStatuses(final NodeLinks reads)
    {
        this.reads = reads;
        this.nodes = new NodeStatus[reads.readNodes()];
    }

    /**
     * Once a second: asks every node again, and takes a node that has not answered for {@link #STALE_MS} out of the
     * read rotation until it does. A dead node's publication stays "connected" for Aeron's connection timeout
     * (seconds); without this every read sent to it would wait for the read failover.
     */
    public void poll(final long nowNs, final long nowMs, final long correlationId)
    {
        if (nowNs - lastRequestNs <= INTERVAL_NS)
        {
            return;
        }
        lastRequestNs = nowNs;
        reads.requestStatus(correlationId);
        for (int node = 0; node < nodes.length && nodes.length > 1; node++)
        {
            if (null != nodes[node] && nowMs - nodes[node].heardAtMs > STALE_MS)
            {
                reads.suspect(node, INTERVAL_NS + INTERVAL_NS / 2);
            }
        }
    }

    /** Statuses older than this do not count for {@link #highestLogPosition}. */
    static final long RECENT_STATUS_MS = 5_000;

    /**
     * @param nowMs the edge's clock, as given to {@link #onStatus}.
     * @return the highest log position a node heard from in the last {@link #RECENT_STATUS_MS} said it applied (0
     *         before any said): the cluster has committed the log that far, so a node that restarted and is still
     *         replaying it should not answer reads from behind it. A node not heard from lately does not count: its
     *         figure may belong to a cluster whose data was wiped since.
     */
    public long highestLogPosition(final long nowMs)
    {
        long highest = 0;
        for (final NodeStatus status : nodes)
        {
            if (null != status && nowMs - status.heardAtMs <= RECENT_STATUS_MS)
            {
                highest = Math.max(highest, status.logPosition);
            }
        }
        return highest;
    }

    public void onStatus(
        final int nodeId, final int role, final long logPosition, final long pid, final int rooms, final long nowMs)
    {
        if (nodeId < 0 || nodeId >= nodes.length)
        {
            return;
        }
        if (null == nodes[nodeId])
        {
            nodes[nodeId] = new NodeStatus();
        }
        final NodeStatus status = nodes[nodeId];
        status.role = role;
        status.logPosition = logPosition;
        status.pid = pid;
        status.rooms = rooms;
        status.heardAtMs = nowMs;
    }

    /**
     * {@code cluster:status}: the leader as this edge's cluster session knows it, and per node what it said about
     * itself and how this edge sees it.
     */
    public ObjectNode toJson(final int leader, final long nowMs, final long edgeFailovers)
    {
        final ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("leader", leader);
        final ArrayNode list = result.putArray("nodes");
        for (int node = 0; node < nodes.length; node++)
        {
            final NodeStatus status = nodes[node];
            final ObjectNode entry = list.addObject().put("id", node).put("host", reads.host(node));
            final boolean fresh = null != status && nowMs - status.heardAtMs <= STALE_MS;
            entry.put("state", !fresh ? "down" : reads.healthy(node) ? "up" : "suspect");
            if (null != status)
            {
                entry.put("role", roleName(status.role))
                    .put("pid", status.pid)
                    .put("appliedLogPosition", status.logPosition)
                    .put("rooms", status.rooms)
                    .put("lastHeardFrom", status.heardAtMs)
                    .put("lastHeardMsAgo", nowMs - status.heardAtMs);
            }
        }
        result.put("edgeFailovers", edgeFailovers);
        return result;
    }

    private static String roleName(final int code)
    {
        switch (code)
        {
            case 0:
                return "follower";
            case 1:
                return "candidate";
            case 2:
                return "leader";
            default:
                return "unknown";
        }
    }
}
