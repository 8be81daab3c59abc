package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.edge.SocketTransport;
import io.herald.transport.node.ClusterNode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * An edge and a one-member cluster node in one process, wired as a multi-node deployment is: writes through the
 * cluster log, reads over the node's Aeron side channel; the edge uses the node's media driver. Used by
 * {@code herald up} and by the end-to-end tests.
 */
public final class EmbeddedHerald implements AutoCloseable
{
    private final ClusterNode node;
    private final EdgeProcess edge;

    private EmbeddedHerald(final ClusterNode node, final EdgeProcess edge)
    {
        this.node = node;
        this.edge = edge;
    }

    /**
     * @param basePort first of the 6 consecutive UDP ports the node (5) and the edge (1) use on localhost; overrides
     *                 {@code cluster.members}, {@code node.id} and {@code edge.answer.port}.
     * @param edgePort WebSocket port, 0 for any.
     */
    public static EmbeddedHerald start(
        final HeraldConfig settings, final File data, final int basePort, final int edgePort,
        final ErrorHandler errorHandler) throws InterruptedException
    {
        final HeraldConfig config = settings.with(Map.of(
            HeraldSettings.CLUSTER_MEMBERS.key(), "localhost:" + basePort,
            HeraldSettings.NODE_ID.key(), "0",
            HeraldSettings.EDGE_AERON_HOST.key(), "localhost",
            HeraldSettings.EDGE_ANSWER_PORT.key(), Integer.toString(basePort + 5)));
        // one node, one edge, one driver: reads over shared memory, and agents that wake each other (Colocated)
        final Colocated colocated = Colocated.of(config);
        final ClusterNode node = NodeProcess.start(config, data, true, errorHandler, colocated);
        try
        {
            return new EmbeddedHerald(node, EdgeProcess.start(config, data, node.aeronDirectoryName(), edgePort,
                errorHandler, colocated));
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            CloseHelper.quietClose(node);
            throw ex;
        }
    }

    /**
     * @return the WebSocket port.
     */
    public int port()
    {
        return edge.port();
    }

    /**
     * @return true when the port speaks TLS (wss://, https://).
     */
    public boolean isTls()
    {
        return edge.isTls();
    }

    /**
     * @return how the edge's I/O threads drive client sockets.
     */
    public SocketTransport transport()
    {
        return edge.transport();
    }

    /**
     * @return the MQTT over TLS listener's port, or -1 when it is off.
     */
    public int mqttTlsPort()
    {
        return edge.mqttTlsPort();
    }

    /**
     * @return the MQTT listener's port, or -1 when it is off.
     */
    public int mqttPort()
    {
        return edge.mqttPort();
    }

    /**
     * @return the protocols served on the port.
     */
    public List<String> protocols()
    {
        return edge.protocols();
    }

    public void close()
    {
        CloseHelper.closeAll(edge, node);
    }

    static String version()
    {
        final String version = EmbeddedHerald.class.getPackage().getImplementationVersion();
        return null == version ? "0.1.0-dev" : version;
    }
}
