package io.herald.transport.cluster;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How a node runs: its media driver's threading and idling, its agents' idling, term lengths and the cluster's
 * failure-detection timeouts. Built from the node's config file by the launcher.
 *
 * @param driverThreading     the media driver's threading mode (SHARED on small machines).
 * @param driverIdle          idle strategy of the driver's agents.
 * @param serviceIdle         idle strategy of the consensus module, archive and service container.
 * @param termLength          term length of the node's publications (a message is at most a term / 8).
 * @param heartbeatTimeoutNs  a follower that hears nothing from the leader this long starts an election.
 * @param heartbeatIntervalNs the leader's heartbeat interval.
 * @param electionTimeoutNs   how long an election round waits.
 * @param sessionTimeoutNs    the cluster closes a client session (an edge's) silent this long.
 * @param snapshotIntervalNs  how often the node asks the cluster for a snapshot (the leader takes it; every member
 *                            writes its own); 0: never.
 */
public record NodeOptions(
    ThreadingMode driverThreading,
    Supplier<IdleStrategy> driverIdle,
    Supplier<IdleStrategy> serviceIdle,
    int termLength,
    long heartbeatTimeoutNs,
    long heartbeatIntervalNs,
    long electionTimeoutNs,
    long sessionTimeoutNs,
    long snapshotIntervalNs)
{
    /**
     * The media driver of a Herald process (a node's, or an edge's own): threading, idling and term length from
     * these options, its directory removed on start and on shutdown so a crashed run never breaks the next start.
     */
    public MediaDriver.Context mediaDriverContext(final File directory, final ErrorHandler errorHandler)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(directory.getAbsolutePath())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(driverThreading)
            .sharedIdleStrategy(driverIdle.get())
            .conductorIdleStrategy(driverIdle.get())
            .senderIdleStrategy(driverIdle.get())
            .receiverIdleStrategy(driverIdle.get())
            .sharedNetworkIdleStrategy(driverIdle.get())
            .errorHandler(errorHandler)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(termLength)
            .ipcTermBufferLength(termLength);
    }

    /**
     * @return small-machine options: shared driver thread, backoff idling, 256 KiB terms, the given heartbeat
     *         timeout with interval and election timeout derived from it.
     */
    public static NodeOptions sharedHost(final long heartbeatTimeoutMs)
    {
        final Supplier<IdleStrategy> backoff = () -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
        return new NodeOptions(ThreadingMode.SHARED, backoff, backoff, 256 * 1024,
            TimeUnit.MILLISECONDS.toNanos(heartbeatTimeoutMs),
            TimeUnit.MILLISECONDS.toNanos(Math.max(10, heartbeatTimeoutMs / 10)),
            TimeUnit.MILLISECONDS.toNanos(Math.max(50, heartbeatTimeoutMs / 2)), TimeUnit.SECONDS.toNanos(10), 0);
    }
}
