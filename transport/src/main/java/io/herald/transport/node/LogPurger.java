package io.herald.transport.node;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongHashSet;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Keeps a node's disk bounded: the archive would otherwise keep the whole cluster log and every snapshot ever taken.
 * Run from time to time on a thread of its own (never the service's): it reads the node's recording log, keeps the
 * {@link #KEPT_SNAPSHOTS} newest complete snapshots and deletes older snapshot recordings, and drops the log's segments
 * before the oldest kept snapshot — but never past the position every member has applied
 * ({@code purgeablePosition}), since a member behind would need that log from whichever node leads when it comes
 * back. A member whose disk is lost cannot rejoin from the others' logs after a purge: seed it with a copy of a
 * peer's data directory (see README).
 */
final class LogPurger implements AutoCloseable
{
    /** Snapshots kept: the newest, and the one before in case the newest cannot be loaded. */
    static final int KEPT_SNAPSHOTS = 2;

    private final File clusterDir;
    private final AeronArchive.Context archiveContext;
    private final LongSupplier purgeablePosition;
    private final ErrorHandler errorHandler;
    private final LongHashSet purgedSnapshots = new LongHashSet();
    private AeronArchive archive;
    private long purgedLogBytes;
    private long logStartPosition;

    LogPurger(
        final File clusterDir, final AeronArchive.Context archiveContext, final LongSupplier purgeablePosition,
        final ErrorHandler errorHandler)
    {
        this.clusterDir = clusterDir;
        this.archiveContext = archiveContext;
        this.purgeablePosition = purgeablePosition;
        this.errorHandler = errorHandler;
    }

    /**
     * One pass; errors are reported, never thrown (the next pass tries again).
     */
    void run()
    {
        try
        {
            purge();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(archive);
            archive = null;
            errorHandler.onError(new IllegalStateException("log purge failed (retried later)", ex));
        }
    }

    private void purge()
    {
        final List<RecordingLog.Entry> entries;
        final long logRecordingId;
        try (RecordingLog log = new RecordingLog(clusterDir, false))
        {
            entries = new ArrayList<>(log.entries());
            logRecordingId = log.findLastTermRecordingId();
        }
        final TreeSet<Long> complete = completeSnapshotPositions(entries);
        if (complete.size() < 1 || logRecordingId < 0)
        {
            return;
        }
        final List<Long> kept = new ArrayList<>(complete.descendingSet()).subList(0,
            Math.min(KEPT_SNAPSHOTS, complete.size()));
        final long oldestKept = kept.get(kept.size() - 1);
        if (null == archive)
        {
            archive = AeronArchive.connect(archiveContext.clone());
        }
        for (final RecordingLog.Entry entry : entries)
        {
            if (entry.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && entry.logPosition < oldestKept &&
                purgedSnapshots.add(entry.recordingId))
            {
                archive.purgeRecording(entry.recordingId);
            }
        }

        final long safe = Math.min(oldestKept, purgeablePosition.getAsLong());
        final long[] descriptor = new long[3]; // start position, term length, segment length
        final RecordingDescriptorConsumer consumer = (controlSessionId, correlationId, recordingId, startTimestamp,
            stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
        {
            descriptor[0] = startPosition;
            descriptor[1] = termBufferLength;
            descriptor[2] = segmentFileLength;
        };
        if (archive.listRecording(logRecordingId, consumer) != 1)
        {
            return;
        }
        logStartPosition = descriptor[0];
        if (safe <= logStartPosition)
        {
            return;
        }
        final long newStart = AeronArchive.segmentFileBasePosition(logStartPosition, safe, (int)descriptor[1],
            (int)descriptor[2]);
        if (newStart > logStartPosition)
        {
            archive.purgeSegments(logRecordingId, newStart);
            purgedLogBytes += newStart - logStartPosition;
            logStartPosition = newStart;
        }
    }

    /**
     * @return log positions of snapshots written by both the consensus module and the service, still valid.
     */
    private static TreeSet<Long> completeSnapshotPositions(final List<RecordingLog.Entry> entries)
    {
        final TreeSet<Long> consensus = new TreeSet<>();
        final TreeSet<Long> service = new TreeSet<>();
        for (final RecordingLog.Entry entry : entries)
        {
            if (entry.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && entry.isValid)
            {
                if (entry.serviceId == ConsensusModule.Configuration.SERVICE_ID)
                {
                    consensus.add(entry.logPosition);
                }
                else if (entry.serviceId == 0)
                {
                    service.add(entry.logPosition);
                }
            }
        }
        consensus.retainAll(service);
        return consensus;
    }

    /**
     * @return log bytes dropped so far.
     */
    long purgedLogBytes()
    {
        return purgedLogBytes;
    }

    /**
     * @return where this node's log recording starts, as of the last pass.
     */
    long logStartPosition()
    {
        return logStartPosition;
    }

    public void close()
    {
        CloseHelper.quietClose(archive);
        archive = null;
    }
}
