package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    @Option(names = "--config", description = "Config file (default: config/shared-host.properties if present).")
    Path config;

    @Option(names = "--set", description = "Override a setting, e.g. --set edge.port=8000.")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    File data = new File("herald-data");

    public Integer call() throws InterruptedException
    {
        final HeraldConfig settings = loadConfig();
        // The barrier's signal hook waits for close(): everything is closed before the JVM is let go, so the driver
        // directory is removed and the next start is clean.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (EmbeddedHerald herald = EmbeddedHerald.start(settings, data, BASE_PORT,
                settings.get(HeraldSettings.EDGE_PORT), Throwable::printStackTrace))
            {
                System.out.println("herald: listening on ws://" + settings.get(HeraldSettings.EDGE_HOST) + ":" +
                    herald.port() + " (WebSocket and HTTP). Ctrl-C stops.");
                System.out.flush();
                barrier.await();
                System.out.println("herald: stopping");
            }
            System.out.println("herald: stopped");
            System.out.flush();
        }
        return 0;
    }

    private HeraldConfig loadConfig()
    {
        if (null != config)
        {
            return HeraldConfig.load(config, overrides);
        }
        final Path profile = Path.of("config", "shared-host.properties");
        return profile.toFile().isFile() ? HeraldConfig.load(profile, overrides) :
            HeraldConfig.load(writeEmpty(), overrides);
    }

    private static Path writeEmpty()
    {
        try
        {
            final Path empty = Files.createTempFile("herald", ".properties");
            empty.toFile().deleteOnExit();
            return empty;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

}
