package io.herald.tools;

import io.aeron.driver.ThreadingMode;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.transport.ErrorLog;
import io.herald.transport.node.NodeService;
import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.tools.config.IdleStrategies;
import io.herald.transport.link.LinkStreams;
import io.herald.transport.node.ClusterMembers;
import io.herald.transport.node.ClusterNode;
import io.herald.transport.node.NodeOptions;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The node role from a config file: member {@code node.id} of {@code cluster.members}, its directories under
 * {@code <data>/node-<id>}, threading, idling, terms and cluster timeouts from the config.
 */
final class NodeProcess
{
    private NodeProcess()
    {
    }

    /**
     * @param cleanStart drop the node's archive and cluster state first (a one-process {@code herald up}, whose
     *                   clients all went with the last run).
     * @param alsoTo     hears every error the node's agents survive besides its error log
     *                   ({@code <data>/node-<id>/errors.dat}), or null.
     */
    static ClusterNode start(
        final HeraldConfig config, final File data, final boolean cleanStart, final ErrorHandler alsoTo)
    {
        return start(config, data, cleanStart, alsoTo, null);
    }

    /**
     * @param colocated the node's only edge shares its process and driver (a one-member {@code herald up}): reads
     *                  come on {@link LinkStreams#ipcChannel} instead of the member's UDP endpoint; or null.
     */
    static ClusterNode start(
        final HeraldConfig config, final File data, final boolean cleanStart, final ErrorHandler alsoTo,
        final Colocated colocated)
    {
        final boolean ipcReads = null != colocated;
        final int id = config.get(HeraldSettings.NODE_ID);
        final ErrorLog errorLog = ErrorLog.create(directory(data, id), System.out).alsoTo(alsoTo);
        final ClusterMembers members = config.get(HeraldSettings.CLUSTER_MEMBERS);
        final FilterEngineContext filters = new FilterEngineContext()
            .maxConditions(config.get(HeraldSettings.FILTER_MAX_CONDITIONS))
            .maxConjunctions(config.get(HeraldSettings.FILTER_MAX_CONJUNCTIONS));
        final String ipc = LinkStreams.ipcChannel(options(config).termLength());
        final List<String> readChannels = new ArrayList<>();
        for (int member = 0; member < members.size(); member++)
        {
            readChannels.add(ipcReads ? ipc : members.readChannel(member));
        }
        final NodeService service = new NodeService(filters, ipcReads ? ipc : members.readChannel(id),
            TimeUnit.NANOSECONDS.toMillis(config.get(HeraldSettings.CLUSTER_EDGE_EXPIRY))).members(id, readChannels)
            .clusterSecret(EdgeProcess.clusterSecret(config));
        final boolean routerHere = ipcReads && colocated.routerOnService();
        if (routerHere)
        {
            colocated.host().set(service); // the edge's router will run in this service's duty cycle
        }
        try
        {
            return ClusterNode.launch(id, members.aeronMembers(), directory(data, id), cleanStart,
                options(config), service.errorLog(errorLog).readsAnswered(ipcReads && !routerHere ?
                    colocated::wakeRouter : null),
                errorLog, EdgeProcess.clusterSecret(config), ipcReads ? colocated.service() : null)
                .purgeLogs(service::purgeablePosition)
                .closeLast(errorLog);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(errorLog);
            throw ex;
        }
    }

    /**
     * @return the node's own directory: its media driver, archive, cluster state and error log.
     */
    static File directory(final File data, final int nodeId)
    {
        return new File(data, "node-" + nodeId);
    }

    static NodeOptions options(final HeraldConfig config)
    {
        return new NodeOptions(
            ThreadingMode.valueOf(config.get(HeraldSettings.DRIVER_THREADING).toUpperCase(Locale.ROOT)
                .replace('-', '_')),
            IdleStrategies.of(config.get(HeraldSettings.DRIVER_IDLE), config.get(HeraldSettings.AGENT_IDLE_MAX_PARK)),
            IdleStrategies.of(config.get(HeraldSettings.SERVICE_IDLE), config.get(HeraldSettings.AGENT_IDLE_MAX_PARK)),
            NodeOptions.termLengthFor(config.get(HeraldSettings.EDGE_MAX_FRAME_BYTES),
                config.get(HeraldSettings.AERON_TERM_LENGTH)),
            config.get(HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT),
            config.get(HeraldSettings.CLUSTER_HEARTBEAT_INTERVAL),
            config.get(HeraldSettings.CLUSTER_ELECTION_TIMEOUT),
            config.get(HeraldSettings.CLUSTER_SESSION_TIMEOUT),
            config.get(HeraldSettings.CLUSTER_SNAPSHOT_INTERVAL));
    }
}
