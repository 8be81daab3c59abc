package io.herald.transport.node;

import java.util.ArrayList;
import java.util.List;

/**
 * The static member list of a Herald cluster, as the config file gives it: {@code host:port} per node, in node id
 * order (ids 0, 1, 2...). Each node uses five UDP ports from its base port:
 * <pre>
 *   port      client ingress (edges send writes here)
 *   port + 1  consensus (Raft between nodes)
 *   port + 2  log replication
 *   port + 3  archive control
 *   port + 4  reads (edges send publishes, counts, lists here)
 * </pre>
 * Catch-up uses an ephemeral port. The same text on every node and edge describes the same cluster.
 */
public final class ClusterMembers
{
    /** UDP ports a node takes from its base port. */
    public static final int PORTS_PER_NODE = 5;

    private final List<String> hosts;
    private final int[] ports;

    private ClusterMembers(final List<String> hosts, final int[] ports)
    {
        this.hosts = hosts;
        this.ports = ports;
    }

    /**
     * @param text {@code host:port[,host:port...]}.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static ClusterMembers parse(final String text)
    {
        final List<String> hosts = new ArrayList<>();
        final List<Integer> ports = new ArrayList<>();
        for (final String member : text.split(",", -1))
        {
            final String entry = member.trim();
            final int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1)
            {
                throw new IllegalArgumentException("member '" + entry + "' is not host:port");
            }
            final int port;
            try
            {
                port = Integer.parseInt(entry.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("member '" + entry + "' has no numeric port");
            }
            if (port < 1 || port > 65_535 - PORTS_PER_NODE)
            {
                throw new IllegalArgumentException("member '" + entry + "': port must be in [1, " +
                    (65_535 - PORTS_PER_NODE) + "]");
            }
            final String host = entry.substring(0, colon);
            for (int i = 0; i < hosts.size(); i++)
            {
                if (hosts.get(i).equals(host) && Math.abs(ports.get(i) - port) < PORTS_PER_NODE)
                {
                    throw new IllegalArgumentException("members '" + hosts.get(i) + ":" + ports.get(i) + "' and '" +
                        entry + "' overlap: each node takes " + PORTS_PER_NODE + " ports from its base port");
                }
            }
            hosts.add(host);
            ports.add(port);
        }
        return new ClusterMembers(List.copyOf(hosts), ports.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size()
    {
        return hosts.size();
    }

    public String host(final int nodeId)
    {
        return hosts.get(nodeId);
    }

    /**
     * @return Aeron Cluster's member string ({@code id,ingress,consensus,log,catchup,archive|...}).
     */
    public String aeronMembers()
    {
        final StringBuilder members = new StringBuilder();
        for (int id = 0; id < hosts.size(); id++)
        {
            final String host = hosts.get(id);
            final int port = ports[id];
            members.append(id == 0 ? "" : "|").append(id).append(',')
                .append(host).append(':').append(port).append(',')
                .append(host).append(':').append(port + 1).append(',')
                .append(host).append(':').append(port + 2).append(',')
                .append(host).append(":0,")
                .append(host).append(':').append(port + 3);
        }
        return members.toString();
    }

    /**
     * @return the cluster client's ingress endpoints ({@code 0=host:port,1=...}).
     */
    public String ingressEndpoints()
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int id = 0; id < hosts.size(); id++)
        {
            endpoints.append(id == 0 ? "" : ",").append(id).append('=').append(hosts.get(id)).append(':')
                .append(ports[id]);
        }
        return endpoints.toString();
    }

    /**
     * @return the channel node {@code nodeId} takes reads on.
     */
    public String readChannel(final int nodeId)
    {
        return "aeron:udp?endpoint=" + hosts.get(nodeId) + ":" + (ports[nodeId] + 4);
    }
}
