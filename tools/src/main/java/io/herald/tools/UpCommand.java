package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code herald up}: an edge and a one-member cluster node in one process, through the same code paths a multi-node
 * deployment uses (cluster log for writes, Aeron side channel for reads).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start an edge and a node in one process on ws://localhost:7512.")
public final class UpCommand implements Callable<Integer>
{
    /** UDP ports 20010-20015 on localhost carry the cluster and the edge/node channels. */
    private static final int BASE_PORT = 20010;

    @Mixin
    ConfigOptions options;

    public Integer call() throws InterruptedException
    {
        final HeraldConfig settings = options.load();
        // The barrier's signal hook waits for close(): everything is closed before the JVM is let go, so the driver
        // directory is removed and the next start is clean.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (EmbeddedHerald herald = EmbeddedHerald.start(settings, options.data, BASE_PORT,
                settings.get(HeraldSettings.EDGE_PORT), Throwable::printStackTrace))
            {
                System.out.println("herald: listening on ws://" + settings.get(HeraldSettings.EDGE_HOST) + ":" +
                    herald.port() + " (" + String.join(", ", herald.protocols()) + "). Ctrl-C stops.");
                System.out.flush();
                barrier.await();
                System.out.println("herald: stopping");
            }
            System.out.println("herald: stopped");
            System.out.flush();
        }
        return 0;
    }
}
