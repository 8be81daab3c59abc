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
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * An edge and a one-member cluster node in one process, wired as a multi-node deployment is: writes through the
 * cluster log, reads over the node's Aeron side channel. Used by {@code herald up} and by the end-to-end tests.
 */
public final class EmbeddedHerald implements AutoCloseable
{
    private final ClusterNode node;
    private final Aeron aeron;
    private final EdgeServer server;
    private final AgentRunner router;

    private EmbeddedHerald(final ClusterNode node, final Aeron aeron, final EdgeServer server, final AgentRunner router)
    {
        this.node = node;
        this.aeron = aeron;
        this.server = server;
        this.router = router;
    }

    /**
     * @param basePort first of the 6 consecutive UDP ports the node and edge use on localhost.
     * @param edgePort WebSocket port, 0 for any.
     */
    public static EmbeddedHerald start(
        final HeraldConfig settings, final File data, final int basePort, final int edgePort,
        final ErrorHandler errorHandler) throws InterruptedException
    {
        final String members = "0,localhost:" + basePort + ",localhost:" + (basePort + 1) + ",localhost:" +
            (basePort + 2) + ",localhost:0,localhost:" + (basePort + 3);
        final String readChannel = "aeron:udp?endpoint=localhost:" + (basePort + 4);
        final String answerChannel = "aeron:udp?endpoint=localhost:" + (basePort + 5);
        final FilterEngineContext filters = new FilterEngineContext()
            .maxConditions(settings.get(HeraldSettings.FILTER_MAX_CONDITIONS))
            .maxConjunctions(settings.get(HeraldSettings.FILTER_MAX_CONJUNCTIONS));
        final long heartbeatMs = TimeUnit.NANOSECONDS.toMillis(settings.get(HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT));
        final ClusterNode node = ClusterNode.launch(0, members, new File(data, "node-0"), true, heartbeatMs,
            new NodeService(filters, readChannel), errorHandler);
        Aeron aeron = null;
        EdgeServer server = null;
        try
        {
            final ClusterLink link = new ClusterLink(new AeronCluster.Context()
                .aeronDirectoryName(node.aeronDirectoryName())
                .ingressChannel("aeron:udp?term-length=128k")
                .ingressEndpoints("0=localhost:" + basePort)
                .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k"), 1);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            final ReadLink reads = new ReadLink(aeron, readChannel, answerChannel, 1);
            final RequestRing ring = new RequestRing(settings.get(HeraldSettings.EDGE_RING_SIZE));
            server = new EdgeServer(settings.get(HeraldSettings.EDGE_HOST), edgePort,
                settings.get(HeraldSettings.EDGE_IO_THREADS), settings.get(HeraldSettings.EDGE_MAX_FRAME_BYTES), ring)
                .start();
            final AgentRunner router = new AgentRunner(new BackoffIdleStrategy(10, 5, 1_000, 1_000_000),
                errorHandler, null, new RouterAgent(ring, server.connections(), SystemEpochClock.INSTANCE,
                version(), 256, link, reads));
            AgentRunner.startOnThread(router);
            return new EmbeddedHerald(node, aeron, server, router);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            CloseHelper.quietCloseAll(server, aeron, node);
            throw ex;
        }
    }

    /**
     * @return the WebSocket port.
     */
    public int port()
    {
        return server.port();
    }

    public void close()
    {
        CloseHelper.closeAll(router, server, aeron, node);
    }

    static String version()
    {
        final String version = EmbeddedHerald.class.getPackage().getImplementationVersion();
        return null == version ? "0.1.0-dev" : version;
    }
}
