package io.herald.engine.edge;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link NodeLinks} in memory: records what is sent and to which read node (round robin over the healthy ones),
 * refuses offers while {@link #backPressure} is set, and refuses a request whose filter is {@link #TOO_LARGE}.
 */
final class MemoryLinks implements NodeLinks
{
    static final String TOO_LARGE = "too-large";

    record Sent(NodeRequest request, long logPosition, int node, long oldestPending)
    {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Long> statusRequests = new ArrayList<>();
    final long[] suspectedForNs;
    final boolean cluster;
    boolean backPressure;
    private final int nodes;
    private int lastNode = -1;

    MemoryLinks(final boolean cluster, final int readNodes)
    {
        this.cluster = cluster;
        this.nodes = readNodes;
        this.suspectedForNs = new long[readNodes];
    }

    public boolean hasCluster()
    {
        return cluster;
    }

    public boolean hasReads()
    {
        return nodes > 0;
    }

    public int leaderMemberId()
    {
        return cluster ? 0 : -1;
    }

    public boolean offer(final NodeRequest request, final long logPosition, final long oldestPending)
    {
        if (backPressure)
        {
            return false;
        }
        if (TOO_LARGE.equals(request.filterJson()))
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, 1 << 30, 1 << 20);
        }
        int node = -1;
        if (!request.isWrite())
        {
            for (int i = 1; i <= nodes; i++)
            {
                final int candidate = (lastNode + i) % nodes;
                if (healthy(candidate))
                {
                    node = candidate;
                    break;
                }
            }
            lastNode = node;
        }
        sent.add(new Sent(request, logPosition, node, oldestPending));
        return true;
    }

    public int lastReadNode()
    {
        return lastNode;
    }

    public int readNodes()
    {
        return nodes;
    }

    public void suspect(final int node, final long forNs)
    {
        suspectedForNs[node] = forNs;
    }

    public boolean healthy(final int node)
    {
        return 0 == suspectedForNs[node];
    }

    public String host(final int node)
    {
        return "node-" + node;
    }

    public void requestStatus(final long correlationId)
    {
        statusRequests.add(correlationId);
    }

    Sent last()
    {
        return sent.get(sent.size() - 1);
    }
}
