package io.herald.transport.node;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
import io.herald.codecs.UnsubscribeRequestEncoder;
import io.herald.codecs.UnsubscribeResponseDecoder;
import io.herald.codecs.Users;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.testing.Await;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's disk stays bounded: after snapshots, the log before the older kept snapshot is dropped and older snapshot
 * recordings deleted, and the node still restarts from what is left (snapshot + the log after it).
 */
class LogPurgeClusterTest
{
    private static final int TERM_LENGTH = 64 * 1024; // segments of 4 terms: 256 KiB

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private String members;
    private int ingress;
    private ClusterNode node;
    private AeronCluster client;
    private long lastAnswered;
    private long nextCorrelationId = 1;
    private final Map<Long, String> rooms = new HashMap<>();
    private final Map<Long, Long> subscribedBy = new HashMap<>();

    private void launch(final boolean clean)
    {
        final NodeOptions shared = NodeOptions.sharedHost(500);
        final NodeOptions options = new NodeOptions(shared.driverThreading(), shared.driverIdle(), shared.serviceIdle(),
            TERM_LENGTH, shared.heartbeatTimeoutNs(), shared.heartbeatIntervalNs(), shared.electionTimeoutNs(),
            shared.sessionTimeoutNs(), 0);
        final String readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        final NodeService service = new NodeService(new FilterEngineContext(), readChannel)
            .members(0, List.of(readChannel));
        node = ClusterNode.launch(0, members, base, clean, options, service, errors::add)
            .purgeLogs(service::purgeablePosition);
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
        final UnsubscribeResponseDecoder unsubscribed = new UnsubscribeResponseDecoder();
        final EgressListener listener = (sessionId, timestamp, egress, offset, length, egressHeader) ->
        {
            headerDecoder.wrap(egress, offset);
            if (headerDecoder.templateId() == SubscribeResponseDecoder.TEMPLATE_ID)
            {
                subscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                lastAnswered = Math.max(lastAnswered, subscribed.correlationId());
                rooms.put(subscribed.correlationId(), subscribed.roomId());
            }
            else if (headerDecoder.templateId() == UnsubscribeResponseDecoder.TEMPLATE_ID)
            {
                unsubscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                lastAnswered = Math.max(lastAnswered, unsubscribed.correlationId());
            }
        };
        client = AeronCluster.connect(TestPorts.clientContext(ingress, listener)
            .aeronDirectoryName(node.aeronDirectoryName()));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(client, node);
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void snapshotsBoundTheLogAndTheNodeStillRestarts() throws Exception
    {
        ingress = TestPorts.freeUdpPort();
        members = TestPorts.oneMember(ingress);
        launch(true);

        writeSubscriptions(0, 3_000); // ~1 MiB of log: several segments
        assertEquals(0, node.purgeLogsNow(), "no snapshot yet: nothing dropped");
        node.takeSnapshot(10_000);
        final long archiveBefore = bytes("archive");
        // once the node has heard every member's applied position (here: its own, once a second)
        final long start = Await.await("the log before the snapshot dropped", Duration.ofSeconds(10),
            this::purgeNow, (logStart) -> logStart >= 3 * 4 * TERM_LENGTH);
        assertTrue(bytes("archive") < archiveBefore, "the archive shrank: " + bytes("archive") + " < " + archiveBefore);

        // more writes and snapshots: the oldest snapshot's recordings go, the log before the older kept one too
        writeSubscriptions(3_000, 3_000);
        node.takeSnapshot(10_000);
        writeSubscriptions(6_000, 3_000);
        node.takeSnapshot(10_000);
        final long snapshotRecordingsBefore = segmentFiles();
        final long laterStart = Await.await("the log start moved on from " + start, Duration.ofSeconds(10),
            this::purgeNow, (logStart) -> logStart > start);
        assertTrue(segmentFiles() < snapshotRecordingsBefore, "the oldest snapshot's recordings were deleted");

        System.out.println("log purge: archive " + archiveBefore + " -> " + bytes("archive") + " bytes, log starts " +
            "at " + start + " then " + laterStart + ", .rec files " + snapshotRecordingsBefore + " -> " +
            segmentFiles());

        // what is left is enough to restart: the newest snapshot and the log after it
        writeSubscriptions(9_000, 10);
        CloseHelper.closeAll(client, node);
        launch(false);
        for (final long connection : new long[] {0, 2_999, 5_000, 9_009})
        {
            assertTrue(unsubscribe(connection), "connection " + connection + " was restored");
        }
    }

    private void writeSubscriptions(final long firstConnection, final int count)
    {
        long last = 0;
        for (int i = 0; i < count; i++)
        {
            last = nextCorrelationId++;
            final SubscribeRequestEncoder request = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(last).edgeId(1).connectionId(firstConnection + i).oldestPending(0)
                .scope(Scope.ALL).users(Users.NONE)
                .index("idx").collection("col").filter("{\"equals\":{\"k\":" + (firstConnection + i) + "}}")
                .volatileJson("{\"padding\":\"" + "x".repeat(200) + "\"}");
            offer(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
            subscribedBy.put(firstConnection + i, last);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lastAnswered < last)
        {
            assertTrue(System.nanoTime() < deadline, "writes not answered");
            client.pollEgress();
        }
    }

    private boolean unsubscribe(final long connection)
    {
        final long correlationId = nextCorrelationId++;
        final long answeredBefore = lastAnswered;
        final UnsubscribeRequestEncoder request = new UnsubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(1).connectionId(connection).oldestPending(0)
            .roomId(roomOf(connection)).volatileJson("{}");
        offer(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lastAnswered == answeredBefore && System.nanoTime() < deadline)
        {
            client.pollEgress();
        }
        return lastAnswered == correlationId;
    }

    private String roomOf(final long connection)
    {
        return rooms.get(subscribedBy.get(connection));
    }

    private void offer(final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "ingress never accepted the message");
            client.pollEgress();
        }
    }

    /**
     * @return the bytes of the files under a directory; a file the archive deletes while they are counted (a purged
     * segment) counts for nothing instead of failing the walk.
     */
    private long bytes(final String dir) throws IOException
    {
        final long[] total = { 0 };
        Files.walkFileTree(new File(base, dir).toPath(), new SimpleFileVisitor<>()
        {
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
            {
                if (attributes.isRegularFile())
                {
                    total[0] += attributes.size();
                }
                return FileVisitResult.CONTINUE;
            }

            public FileVisitResult visitFileFailed(final Path file, final IOException ex)
            {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private long segmentFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(new File(base, "archive").toPath()))
        {
            return files.filter((file) -> file.toString().endsWith(".rec")).count();
        }
    }

    private long purgeNow()
    {
        try
        {
            return node.purgeLogsNow();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
