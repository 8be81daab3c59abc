package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.cluster.ClusterMembers;
import io.herald.transport.cluster.ClusterNode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code herald node}: one node of a cluster (media driver, archive, consensus module, the subscription service),
 * member {@code node.id} of {@code cluster.members}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Start a node: member node.id of cluster.members (see config/cluster-3-hosts.properties).")
public final class NodeCommand implements Callable<Integer>
{
    @Mixin
    ConfigOptions options;

    @Option(names = "--id", description = "This node's id (overrides node.id).")
    Integer id;

    @Option(names = "--clean", description = "Drop this node's archive and cluster state before starting.")
    boolean clean;

    public Integer call()
    {
        if (null != id)
        {
            options.overrides.put(HeraldSettings.NODE_ID.key(), Integer.toString(id));
        }
        final HeraldConfig config = options.load();
        final int nodeId = config.get(HeraldSettings.NODE_ID);
        final ClusterMembers members = config.get(HeraldSettings.CLUSTER_MEMBERS);
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (ClusterNode ignored = NodeProcess.start(config, options.data, clean, Throwable::printStackTrace))
            {
                System.out.println("herald: node " + nodeId + " of " + members.size() + " started (ingress " +
                    members.host(nodeId) + ", reads on " + members.readChannel(nodeId) + ", data " +
                    options.data + "/node-" + nodeId + "). Ctrl-C stops.");
                System.out.flush();
                barrier.await();
                System.out.println("herald: node " + nodeId + " stopping");
            }
            System.out.println("herald: node " + nodeId + " stopped");
            System.out.flush();
        }
        return 0;
    }
}
