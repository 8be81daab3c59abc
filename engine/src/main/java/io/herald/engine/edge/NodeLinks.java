package io.herald.engine.edge;

import io.herald.engine.kuzzle.KuzzleException;

/**
 * The edge's links to the nodes as the edge's decisions see them: the cluster (writes, replicated through the log)
 * and the nodes' read sides (publishes, counts, lists, status requests; one per node). The transport implements it
 * over Aeron; tests implement it in memory. Used on the router's thread only.
 */
public interface NodeLinks
{
    /**
     * @return true when the edge has a cluster to send writes to.
     */
    boolean hasCluster();

    /**
     * @return true when the edge has nodes' read sides to send reads to.
     */
    boolean hasReads();

    /**
     * @return the cluster member the edge's session knows as leader, or -1.
     */
    int leaderMemberId();

    /**
     * Sends a request: a write ({@link NodeRequest#isWrite()}) to the cluster, a read to one of the healthy nodes.
     *
     * @param logPosition   for reads: the node must have applied the log up to here first (read-your-writes).
     * @param oldestPending for writes: the edge's oldest write still waiting for its answer (the cluster may forget
     *                      the answers of earlier ones).
     * @return false under back pressure (the request is offered again later, unchanged).
     * @throws KuzzleException when the request cannot go at all (e.g. larger than the link takes): it alone fails.
     */
    boolean offer(NodeRequest request, long logPosition, long oldestPending);

    /**
     * @return the read node the last read went to, or -1.
     */
    int lastReadNode();

    /**
     * @return the number of nodes with a read side (healthy or not).
     */
    int readNodes();

    /**
     * Keeps a node out of the read rotation for a while.
     */
    void suspect(int node, long forNs);

    /**
     * @return true when the node is reachable and not suspect.
     */
    boolean healthy(int node);

    /**
     * @return the node's address, as configured.
     */
    String host(int node);

    /**
     * Asks every node about itself; answers come back as {@link NodeStatuses#onStatus}.
     */
    void requestStatus(long correlationId);
}
