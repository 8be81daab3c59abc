package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code herald edge}: client connections (WebSocket and HTTP) in front of the cluster named by
 * {@code cluster.members}.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
    description = "Start an edge: WebSocket and HTTP on edge.port, requests to the nodes of cluster.members.")
public final class EdgeCommand implements Callable<Integer>
{
    @Mixin
    ConfigOptions options;

    public Integer call() throws InterruptedException
    {
        final HeraldConfig config = options.load();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            System.out.println("herald: edge " + config.get(HeraldSettings.EDGE_ID) + " connecting to the cluster " +
                config.get(HeraldSettings.CLUSTER_MEMBERS).ingressEndpoints() + "...");
            System.out.flush();
            try (EdgeProcess edge = EdgeProcess.start(config, options.data, null,
                config.get(HeraldSettings.EDGE_PORT), null))
            {
                System.out.println("herald: edge " + config.get(HeraldSettings.EDGE_ID) + " listening on " +
                    edge.listening(config.get(HeraldSettings.EDGE_HOST)) + ". Ctrl-C stops.");
                System.out.flush();
                barrier.await();
                System.out.println("herald: edge stopping");
            }
            System.out.println("herald: edge stopped");
            System.out.flush();
        }
        return 0;
    }
}
