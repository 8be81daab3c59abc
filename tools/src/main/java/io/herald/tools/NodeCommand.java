package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.node.ClusterMembers;
import io.herald.transport.node.ClusterNode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

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

    private static final long MARK_FILE_WAIT_S = 30;

    @Option(names = "--clean", description = "Drop this node's archive and cluster state before starting.")
    boolean clean;

    /**
     * A node killed with -9 leaves its archive and cluster mark files looking alive for Aeron's timeout (~10 s):
     * Aeron refuses to start over them ("active mark file detected"). Wait for them to expire instead of failing.
     */
    private ClusterNode startWhenMarkFilesExpire(final HeraldConfig config) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MARK_FILE_WAIT_S);
        boolean told = false;
        while (true)
        {
            try
            {
                return NodeProcess.start(config, options.data, clean, null);
            }
            catch (final IllegalStateException ex)
            {
                if (null == ex.getMessage() || !ex.getMessage().contains("active mark file detected") ||
                    System.nanoTime() > deadline)
                {
                    throw ex;
                }
                if (!told)
                {
                    System.out.println("herald: node " + config.get(HeraldSettings.NODE_ID) + ": the previous run " +
                        "did not stop cleanly (" + ex.getMessage() + "); waiting for its mark files to expire");
                    System.out.flush();
                    told = true;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    public Integer call() throws InterruptedException
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
            try (ClusterNode ignored = startWhenMarkFilesExpire(config))
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
