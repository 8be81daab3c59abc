package io.herald.transport.node;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.security.SimpleAuthenticator;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One Herald node: an Aeron media driver, archive and consensus module (one process, SHARED threading for small
 * machines) and the container running the node's {@link ClusteredService}. Directories live under one base
 * directory; the driver's is deleted on start and on shutdown, so a crashed run never breaks the next start.
 */
public final class ClusterNode implements AutoCloseable
{
    private static final long PURGE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final ScheduledExecutorService housekeeping;
    private final ErrorHandler errorHandler;
    private LogPurger purger;
    private AutoCloseable closedLast;

    private ClusterNode(
        final ClusteredMediaDriver driver, final ClusteredServiceContainer container, final long snapshotIntervalNs,
        final ErrorHandler errorHandler)
    {
        this.driver = driver;
        this.container = container;
        this.errorHandler = errorHandler;
        housekeeping = Executors.newSingleThreadScheduledExecutor((task) ->
        {
            final Thread thread = new Thread(task, "herald-node-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        if (snapshotIntervalNs > 0)
        {
            housekeeping.scheduleAtFixedRate(this::requestSnapshot, snapshotIntervalNs, snapshotIntervalNs,
                TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Keeps the node's disk bounded from now on: every 10 s, snapshots older than the two newest are deleted and the
     * log before the older of them is dropped, never past what every member applied (see {@link LogPurger}).
     *
     * @param purgeablePosition the log position every member has applied as this node knows it, -1 when unknown.
     * @return this.
     */
    public ClusterNode purgeLogs(final LongSupplier purgeablePosition)
    {
        final Archive.Context archive = driver.archive().context();
        purger = new LogPurger(driver.consensusModule().context().clusterDir(), new AeronArchive.Context()
            .aeronDirectoryName(driver.mediaDriver().aeronDirectoryName())
            .controlRequestChannel(archive.localControlChannel())
            .controlRequestStreamId(archive.localControlStreamId())
            .controlResponseChannel("aeron:ipc?term-length=64k")
            .errorHandler(errorHandler), purgeablePosition, errorHandler);
        housekeeping.scheduleWithFixedDelay(purger::run, PURGE_INTERVAL_NS, PURGE_INTERVAL_NS, TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * Runs a purge pass now, on the housekeeping thread, and waits for it.
     *
     * @return where this node's log recording starts afterwards.
     */
    public long purgeLogsNow() throws Exception
    {
        if (null == purger)
        {
            throw new IllegalStateException("purgeLogs was not called");
        }
        return housekeeping.submit(() ->
        {
            purger.run();
            return purger.logStartPosition();
        }).get(30, TimeUnit.SECONDS);
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
        return launch(memberId, members, base, cleanStart, options, service, errorHandler, null);
    }

    /**
     * Starts a node whose client sessions (edges) must present {@code clusterSecret} to connect.
     *
     * @param clusterSecret the credentials of the edges' cluster sessions ({@code cluster.secret}), or null to accept
     *                      every session.
     */
    public static ClusterNode launch(
        final int memberId,
        final String members,
        final File base,
        final boolean cleanStart,
        final NodeOptions options,
        final ClusteredService service,
        final ErrorHandler errorHandler,
        final byte[] clusterSecret)
    {
        return launch(memberId, members, base, cleanStart, options, service, errorHandler, clusterSecret, null);
    }

    /**
     * Starts a node whose service container idles with the given strategy (one another thread can wake).
     *
     * @param containerIdle the service container's idle strategy, or null for {@code options.serviceIdle()}'s.
     */
    public static ClusterNode launch(
        final int memberId,
        final String members,
        final File base,
        final boolean cleanStart,
        final NodeOptions options,
        final ClusteredService service,
        final ErrorHandler errorHandler,
        final byte[] clusterSecret,
        final IdleStrategy containerIdle)
    {
        final Supplier<IdleStrategy> idle = options.serviceIdle();
        final String archiveControl = members.split("\\|")[memberId].split(",")[5];
        final long heartbeatTimeoutNs = options.heartbeatTimeoutNs();
        final MediaDriver.Context driverContext = options.mediaDriverContext(DriverDirectory.forDriver(base), errorHandler);
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
            .segmentFileLength(4 * options.termLength()) // the unit log purges work in
            .catalogCapacity(128 * 1024);
        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .clusterMemberId(memberId)
            .clusterMembers(members)
            .clusterDir(new File(base, "cluster"))
            .deleteDirOnStart(cleanStart)
            .ingressChannel("aeron:udp?term-length=" + options.termLength())
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
        if (null != clusterSecret && clusterSecret.length > 0)
        {
            final byte[] secret = clusterSecret.clone();
            consensusContext.authenticatorSupplier(() -> new SimpleAuthenticator.Builder()
                .principal(LinkStreams.EDGE_PRINCIPAL, secret).newInstance());
        }
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
                    .idleStrategySupplier(null == containerIdle ? idle : () -> containerIdle));
            return new ClusterNode(driver, container, options.snapshotIntervalNs(), errorHandler);
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
        housekeeping.shutdownNow();
        try
        {
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(purger, driver.consensusModule(), container, driver, closedLast);
    }

    /**
     * @param resource closed after the node (e.g. the process's error log, which the node's agents write to).
     * @return this.
     */
    public ClusterNode closeLast(final AutoCloseable resource)
    {
        this.closedLast = resource;
        return this;
    }
}
