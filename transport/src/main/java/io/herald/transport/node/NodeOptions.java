package io.herald.transport.node;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.BitUtil;
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
     * What a message needs besides the client's data (index, collection, document or filter, volatile, ids): SBE
     * headers and fixed fields, the answer channel, the Aeron Cluster session header, and a chunk of connection lists
     * (32 KiB at most) beside a document sent to another edge.
     */
    public static final int ENVELOPE_BYTES = 64 * 1024;

    /**
     * Aeron takes a message of at most a term length / 8 (and never more than 16 MiB), reassembling its fragments on
     * the other side: every publication that may carry a client's data is given a term that holds the largest
     * request with its envelope.
     *
     * @param maxRequestBytes the largest request the edges accept ({@code edge.max.frame.bytes}).
     * @param minTermLength   the configured term length ({@code aeron.term.length}), kept when larger.
     * @return the term length of Herald's publications.
     */
    public static int termLengthFor(final int maxRequestBytes, final int minTermLength)
    {
        final long needed = BitUtil.findNextPositivePowerOfTwo(8L * ((long)maxRequestBytes + ENVELOPE_BYTES));
        if (needed > 1L << 30)
        {
            throw new IllegalArgumentException("a request of " + maxRequestBytes + " bytes needs terms over 1 GiB");
        }
        return (int)Math.max(minTermLength, needed);
    }

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
