package io.herald.tools;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.node.NodeService;
import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.cluster.ClusterNode;
import io.herald.transport.edge.ClusterLink;
import io.herald.transport.edge.EdgeServer;
import io.herald.transport.edge.ReadLink;
import io.herald.transport.edge.RequestRing;
import io.herald.transport.edge.RouterAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SystemEpochClock;
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
import java.util.concurrent.TimeUnit;

/**
 * {@code herald up}: an edge and a one-member cluster node in one process, through the same code paths a multi-node
 * deployment uses (cluster log for writes, Aeron side channel for reads).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start an edge and a node in one process on ws://localhost:7512.")
public final class UpCommand implements Callable<Integer>
{
    private static final String MEMBERS =
        "0,localhost:20010,localhost:20011,localhost:20012,localhost:0,localhost:20013";
    private static final String READ_CHANNEL = "aeron:udp?endpoint=localhost:20020";
    private static final String ANSWER_CHANNEL = "aeron:udp?endpoint=localhost:20021";

    @Option(names = "--config", description = "Config file (default: config/shared-host.properties if present).")
    Path config;

    @Option(names = "--set", description = "Override a setting, e.g. --set edge.port=8000.")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    File data = new File("herald-data");

    public Integer call() throws InterruptedException
    {
        final HeraldConfig settings = loadConfig();
        final FilterEngineContext filters = new FilterEngineContext()
            .maxConditions(settings.get(HeraldSettings.FILTER_MAX_CONDITIONS))
            .maxConjunctions(settings.get(HeraldSettings.FILTER_MAX_CONJUNCTIONS));
        final long heartbeatMs = TimeUnit.NANOSECONDS.toMillis(settings.get(HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT));
        // The barrier's signal hook waits for close(): everything is closed before the JVM is let go, so the driver
        // directory is removed and the next start is clean.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            run(settings, filters, heartbeatMs, barrier);
        }
        return 0;
    }

    private void run(
        final HeraldConfig settings, final FilterEngineContext filters, final long heartbeatMs,
        final ShutdownSignalBarrier barrier) throws InterruptedException
    {
        final ClusterNode node = ClusterNode.launch(0, MEMBERS, new File(data, "node-0"), true, heartbeatMs,
            new NodeService(filters, READ_CHANNEL), Throwable::printStackTrace);
        Aeron aeron = null;
        EdgeServer server = null;
        AgentRunner router = null;
        try
        {
            final ClusterLink link = new ClusterLink(new AeronCluster.Context()
                .aeronDirectoryName(node.aeronDirectoryName())
                .ingressChannel("aeron:udp?term-length=128k")
                .ingressEndpoints("0=localhost:20010")
                .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k"), 1);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            final ReadLink reads = new ReadLink(aeron, READ_CHANNEL, ANSWER_CHANNEL, 1);
            final RequestRing ring = new RequestRing(settings.get(HeraldSettings.EDGE_RING_SIZE));
            server = new EdgeServer(settings.get(HeraldSettings.EDGE_HOST), settings.get(HeraldSettings.EDGE_PORT),
                settings.get(HeraldSettings.EDGE_IO_THREADS), settings.get(HeraldSettings.EDGE_MAX_FRAME_BYTES), ring)
                .start();
            router = new AgentRunner(new BackoffIdleStrategy(10, 5, 1_000, 1_000_000), Throwable::printStackTrace,
                null, new RouterAgent(ring, server.connections(), SystemEpochClock.INSTANCE, version(), 256, link,
                reads));
            AgentRunner.startOnThread(router);
            System.out.println("herald: listening on ws://" + settings.get(HeraldSettings.EDGE_HOST) + ":" +
                server.port() + " (WebSocket; HTTP routes not served yet). Ctrl-C stops.");
            System.out.flush();
            barrier.await();
            System.out.println("herald: stopping");
        }
        finally
        {
            CloseHelper.closeAll(router, server, aeron, node);
            System.out.println("herald: stopped");
            System.out.flush();
        }
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

    private static String version()
    {
        final String version = UpCommand.class.getPackage().getImplementationVersion();
        return null == version ? "0.1.0-dev" : version;
    }
}
