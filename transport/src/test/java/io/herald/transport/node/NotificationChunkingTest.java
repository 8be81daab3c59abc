package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.herald.codecs.BooleanType;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.Users;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.registry.Connections;
import io.herald.transport.edge.ReadLink;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publish matching more connections than one Aeron message can carry is answered in several chunks, in order,
 * the last one marked: every connection once, on its channel, with a real node and the edge's real read link.
 */
class NotificationChunkingTest
{
    private static final int BIG_ROOM = 6_000;
    private static final int SMALL_ROOM = 1_500;

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private ClusterNode node;
    private AeronCluster client;
    private Aeron aeron;
    private ReadLink reads;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(reads, aeron, client, node);
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void largeAnswersAreChunkedAndEveryConnectionIsListedOnce()
    {
        final int ingress = TestPorts.freeUdpPort();
        final String readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        node = ClusterNode.launch(0, TestPorts.oneMember(ingress), base, true, 500,
            new NodeService(new FilterEngineContext(), readChannel), errors::add);
        final int[] answered = new int[1];
        client = AeronCluster.connect(TestPorts.clientContext(ingress,
            (session, timestamp, buffer, offset, length, header) -> answered[0]++)
            .aeronDirectoryName(node.aeronDirectoryName()));

        // edge 1: connections 0..5999 on {} and 0..1499 on another filter; edge 2 has one connection too
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final SubscribeRequestEncoder subscribe = new SubscribeRequestEncoder();
        int sent = 0;
        for (int i = 0; i <= BIG_ROOM + SMALL_ROOM; i++)
        {
            final boolean small = i >= BIG_ROOM && i < BIG_ROOM + SMALL_ROOM;
            final boolean otherEdge = i == BIG_ROOM + SMALL_ROOM;
            subscribe.wrapAndApplyHeader(buffer, 0, header).correlationId(i).edgeId(otherEdge ? 2 : 1)
                .connectionId(small ? i - BIG_ROOM : otherEdge ? 0 : i).oldestPending(0)
                .scope(Scope.ALL).users(Users.NONE)
                .index("idx").collection("col").filter(small ? "{\"exists\":\"a\"}" : "{}").volatileJson("{}");
            while (client.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength()) < 0)
            {
                client.pollEgress();
            }
            sent++;
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered[0] < sent)
        {
            assertTrue(System.nanoTime() < deadline, "subscriptions answered: " + answered[0] + " of " + sent);
            client.pollEgress();
        }

        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
        reads = new ReadLink(aeron, readChannel, "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort(), 1);
        final Map<String, List<Long>> byChannel = new TreeMap<>();
        final List<Boolean> lasts = new ArrayList<>();
        final ReadLink.Lists lists = new ReadLink.Lists()
        {
            public void onNotificationList(final long correlationId, final NotificationListDecoder list)
            {
                assertEquals(77, correlationId);
                lasts.add(list.last() == BooleanType.TRUE);
                for (final NotificationListDecoder.ChannelsDecoder channel : list.channels())
                {
                    final List<Long> connections = new ArrayList<>();
                    for (final NotificationListDecoder.ChannelsDecoder.ConnectionsDecoder c : channel.connections())
                    {
                        connections.add(c.connection());
                    }
                    byChannel.computeIfAbsent(channel.channel(), (k) -> new ArrayList<>()).addAll(connections);
                }
            }

            public void onCount(final long correlationId, final int count)
            {
            }

            public void onList(final long correlationId, final String json)
            {
            }

            public void onError(final long correlationId, final int status, final String errorId, final String m)
            {
                errors.add(new AssertionError("error " + status + " " + errorId + " " + m));
            }
        };
        while (!reads.publish(77, 0, 77, 0, "idx", "col", "{\"a\":1}", null, null, null, "websocket"))
        {
            assertTrue(System.nanoTime() < deadline, "the node never took the publish");
            reads.poll(lists);
        }
        while (lasts.isEmpty() || !lasts.get(lasts.size() - 1))
        {
            assertTrue(System.nanoTime() < deadline, "no last chunk; chunks so far: " + lasts);
            reads.poll(lists);
        }

        assertTrue(lasts.size() >= 2, "6,000 + 1,500 connections take more than one 32 KiB message: " + lasts);
        assertEquals(1, lasts.stream().filter((last) -> last).count(), "only the final chunk is last");
        assertEquals(2, byChannel.size(), byChannel.keySet().toString());
        final List<Integer> sizes = new ArrayList<>();
        for (final List<Long> connections : byChannel.values())
        {
            sizes.add(connections.size());
            assertEquals(connections.size(), connections.stream().distinct().count(), "a connection listed twice");
        }
        sizes.sort(null);
        assertEquals(List.of(SMALL_ROOM, BIG_ROOM + 1), sizes);
        assertTrue(byChannel.values().stream().flatMap(List::stream)
            .anyMatch((key) -> Connections.edgeId(key) == 2 && Connections.connectionId(key) == 0),
            "the other edge's connection is listed under its own edge id");
    }
}
