package io.herald.transport.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Herald node: an Aeron media driver, archive and consensus module (one process, SHARED threading for small
 * machines) and the container running the node's {@link ClusteredService}. Directories live under one base
 * directory; the driver's is deleted on start and on shutdown, so a crashed run never breaks the next start.
 */
public final class ClusterNode implements AutoCloseable
{
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final ScheduledExecutorService snapshots;

    private ClusterNode(
        final ClusteredMediaDriver driver, final ClusteredServiceContainer container, final long snapshotIntervalNs)
    {
        this.driver = driver;
        this.container = container;
        if (snapshotIntervalNs > 0)
        {
            snapshots = Executors.newSingleThreadScheduledExecutor((task) ->
            {
                final Thread thread = new Thread(task, "herald-snapshot-timer");
                thread.setDaemon(true);
                return thread;
            });
            snapshots.scheduleAtFixedRate(this::requestSnapshot, snapshotIntervalNs, snapshotIntervalNs,
                TimeUnit.NANOSECONDS);
        }
        else
        {
            snapshots = null;
        }
    }

    /**
     * Asks for a snapshot without waiting: the leader's consensus module takes it, a follower's request waits for it
     * to lead (harmless). Aeron sets the toggle back when it acts; a toggle still set is left alone.
     */
    public void requestSnapshot()
    {
        ClusterControl.ToggleState.SNAPSHOT.toggle(driver.consensusModule().context().controlToggleCounter());
    }

    /**
     * Starts a node with small-machine options.
     *
     * @param heartbeatTimeoutMs leader heartbeat timeout; interval and election timeout are derived from it.
     */
    public static ClusterNode launch(
        final int memberId,
        final String members,
        final File base,
        final boolean cleanStart,
        final long heartbeatTimeoutMs,
        final ClusteredService service,
        final ErrorHandler errorHandler)
    {
        return launch(memberId, members, base, cleanStart, NodeOptions.sharedHost(heartbeatTimeoutMs), service,
            errorHandler);
    }

    /**
     * Starts a node.
     *
     * @param memberId   this node's id in {@code members}.
     * @param members    Aeron's member string ({@code id,ingress,consensus,log,catchup,archive|...}).
     * @param base       the node's directory.
     * @param cleanStart delete the archive and cluster state first.
     */
    public static ClusterNode launch(
        final int memberId,
        final String members,
        final File base,
        final boolean cleanStart,
        final NodeOptions options,
        final ClusteredService service,
        final ErrorHandler errorHandler)
    {
        final Supplier<IdleStrategy> idle = options.serviceIdle();
        final String archiveControl = members.split("\\|")[memberId].split(",")[5];
        final long heartbeatTimeoutNs = options.heartbeatTimeoutNs();
        final MediaDriver.Context driverContext = options.mediaDriverContext(new File(base, "driver"), errorHandler);
        final Archive.Context archiveContext = new Archive.Context()
            .archiveDir(new File(base, "archive"))
            .deleteArchiveOnStart(cleanStart)
            .controlChannel("aeron:udp?endpoint=" + archiveControl)
            .replicationChannel("aeron:udp?endpoint=" + archiveControl.substring(0, archiveControl.lastIndexOf(':')) +
                ":0")
            .localControlChannel("aeron:ipc?term-length=64k")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idle)
            .errorHandler(errorHandler)
            .segmentFileLength(1024 * 1024)
            .catalogCapacity(128 * 1024);
        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .clusterMemberId(memberId)
            .clusterMembers(members)
            .clusterDir(new File(base, "cluster"))
            .deleteDirOnStart(cleanStart)
            .ingressChannel("aeron:udp?term-length=128k")
            .logChannel("aeron:udp?term-length=" + options.termLength() + "|alias=herald-log")
            .consensusChannel("aeron:udp?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + archiveControl.substring(0, archiveControl.lastIndexOf(':')) +
                ":0")
            .idleStrategySupplier(idle)
            .errorHandler(errorHandler)
            .leaderHeartbeatTimeoutNs(heartbeatTimeoutNs)
            .leaderHeartbeatIntervalNs(options.heartbeatIntervalNs())
            .electionTimeoutNs(options.electionTimeoutNs())
            .electionStatusIntervalNs(options.heartbeatIntervalNs())
            .startupCanvassTimeoutNs(2 * heartbeatTimeoutNs)
            .terminationTimeoutNs(heartbeatTimeoutNs)
            .sessionTimeoutNs(options.sessionTimeoutNs())
            .serviceCount(1);
        ClusteredMediaDriver driver = null;
        try
        {
            driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(
                new ClusteredServiceContainer.Context()
                    .aeronDirectoryName(driverContext.aeronDirectoryName())
                    .clusterDir(new File(base, "cluster"))
                    .clusteredService(service)
                    .serviceId(0)
                    .errorHandler(errorHandler)
                    .idleStrategySupplier(idle));
            return new ClusterNode(driver, container, options.snapshotIntervalNs());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * @return the Aeron directory of this node's media driver (for clients in the same process).
     */
    public String aeronDirectoryName()
    {
        return driver.mediaDriver().aeronDirectoryName();
    }

    /**
     * Asks the cluster for a snapshot (this node must lead) and waits until this node has taken it.
     *
     * @return the number of snapshots this node has taken.
     * @throws IllegalStateException when it did not happen in time.
     */
    public long takeSnapshot(final long timeoutMs) throws InterruptedException
    {
        final ConsensusModule.Context context = driver.consensusModule().context();
        final long before = context.snapshotCounter().get();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!ClusterControl.ToggleState.SNAPSHOT.toggle(context.controlToggleCounter()))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the cluster did not take the snapshot request");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        while (context.snapshotCounter().get() == before)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no snapshot taken in " + timeoutMs + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        return context.snapshotCounter().get();
    }

    public void close()
    {
        if (null != snapshots)
        {
            snapshots.shutdownNow();
        }
        CloseHelper.closeAll(driver.consensusModule(), container, driver);
    }
}
