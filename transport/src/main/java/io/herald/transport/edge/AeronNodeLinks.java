package io.herald.transport.edge;

import io.herald.engine.edge.NodeLinks;
import io.herald.engine.edge.NodeRequest;

/**
 * {@link NodeLinks} over Aeron: writes go to the cluster through {@link ClusterLink}, reads to a node's read side
 * through {@link ReadLink}; either may be absent (an edge without nodes, or without read sides).
 */
final class AeronNodeLinks implements NodeLinks
{
    private final ClusterLink cluster;
    private final ReadLink reads;

    /**
     * @param cluster the cluster, or null when the edge runs without nodes.
     * @param reads   the nodes' read sides, or null.
     */
    AeronNodeLinks(final ClusterLink cluster, final ReadLink reads)
    {
        this.cluster = cluster;
        this.reads = reads;
    }

    public boolean hasCluster()
    {
        return null != cluster;
    }

    public boolean hasReads()
    {
        return null != reads;
    }

    public int leaderMemberId()
    {
        return null == cluster ? -1 : cluster.leaderMemberId();
    }

    public boolean offer(final NodeRequest request, final long logPosition, final long oldestPending)
    {
        switch (request.kind())
        {
            case NodeRequest.SUBSCRIBE:
                return cluster.subscribe(request.correlationId(), oldestPending, request.connectionId(), request.index(),
                    request.collection(), request.filterJson(), request.scope(), request.users(),
                    request.volatileJson());
            case NodeRequest.JOIN:
                return cluster.join(request.correlationId(), oldestPending, request.connectionId(), request.roomId(),
                    request.scope(), request.users(), request.volatileJson());
            case NodeRequest.UNSUBSCRIBE:
                return cluster.unsubscribe(request.correlationId(), oldestPending, request.connectionId(), request.roomId(),
                    request.volatileJson());
            case NodeRequest.CLOSE:
                return cluster.connectionClosed(request.correlationId(), oldestPending, request.connectionId());
            case NodeRequest.PUBLISH:
                return reads.publish(request.correlationId(), logPosition, request.publishId(), request.createdAt(),
                    request.index(), request.collection(), request.filterJson(), request.kuzzleId(),
                    request.requestId(), request.volatileJson(), request.protocol());
            case NodeRequest.COUNT:
                return reads.count(request.correlationId(), logPosition, request.roomId());
            case NodeRequest.LIST:
                return reads.list(request.correlationId(), logPosition);
            default:
                throw new IllegalArgumentException("unknown node request kind " + request.kind());
        }
    }

    public int lastReadNode()
    {
        return null == reads ? -1 : reads.lastNode();
    }

    public int readNodes()
    {
        return null == reads ? 0 : reads.nodeCount();
    }

    public void suspect(final int node, final long forNs)
    {
        if (null != reads && node >= 0)
        {
            reads.suspect(node, forNs);
        }
    }

    public boolean healthy(final int node)
    {
        return null != reads && reads.healthy(node);
    }

    public String host(final int node)
    {
        return null == reads ? "" : reads.host(node);
    }

    public void requestStatus(final long correlationId)
    {
        if (null != reads)
        {
            reads.requestStatus(correlationId);
        }
    }

    /**
     * Polls both links for what the nodes sent.
     *
     * @return fragments read.
     */
    int poll(final NodeAnswers answers)
    {
        return (null == cluster ? 0 : cluster.poll(answers)) + (null == reads ? 0 : reads.poll(answers));
    }

    /**
     * Closes both links (an Aeron client is used from one thread: the router's).
     */
    void close()
    {
        if (null != cluster)
        {
            cluster.close();
        }
        if (null != reads)
        {
            reads.close();
        }
    }
}
