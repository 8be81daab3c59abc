package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.herald.codecs.EdgeResetEncoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.RemoteNotificationDecoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node sends another edge's publishes to an edge it learned of from the cluster log (the edge's reset names where
 * it reads): edge B never asks a node anything, yet gets edge A's publish for its subscriber, from a running node, a
 * node that replayed its log, and a node that started from a snapshot.
 */
class RemoteEdgeChannelTest
{
    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private String members;
    private String readChannel;
    private ClusterNode node;
    private AeronCluster client;
    private Aeron aeron;
    private ReadLink edgeA;
    private ReadLink edgeB;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(edgeA, edgeB, aeron, node, client);
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void anEdgeKnownFromTheLogGetsOtherEdgesPublishesWithoutAskingAnything() throws Exception
    {
        final int ingress = TestPorts.freeUdpPort();
        members = TestPorts.oneMember(ingress);
        readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        final String channelB = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        launch(true);
        final long[] subscribedAt = new long[1];
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
        // the client outlives the node it talks to (closing its session would drop edge 2): its errors are expected
        final Aeron clientAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName())
            .errorHandler((error) -> { }));
        client = AeronCluster.connect(TestPorts.clientContext(ingress,
            (session, timestamp, buffer, offset, length, egressHeader) ->
            {
                header.wrap(buffer, offset);
                if (header.templateId() == SubscribeResponseDecoder.TEMPLATE_ID)
                {
                    subscribedAt[0] = subscribed.wrapAndApplyHeader(buffer, offset, header).logPosition();
                }
            }).aeron(clientAeron)
            .ownsAeronClient(true));
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final EdgeResetEncoder reset = new EdgeResetEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(0).edgeId(2).responseChannel(channelB);
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + reset.encodedLength());
        final SubscribeRequestEncoder subscribe = new SubscribeRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(1).edgeId(2).connectionId(5).oldestPending(1).scope(Scope.ALL).users(Users.NONE)
            .index("idx").collection("col").filter("{}").volatileJson("{}");
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (subscribedAt[0] == 0)
        {
            assertTrue(System.nanoTime() < deadline, "the subscribe was not answered");
            client.pollEgress();
        }

        assertEquals(List.of(Connections.key(2, 5)), publishOnAReceivedOnB(channelB, 10, subscribedAt[0]), "a running node");

        CloseHelper.closeAll(edgeA, edgeB, aeron);
        node.close(); // before the client: the client closing its session itself would drop edge 2 at once
        launch(false);
        assertEquals(List.of(Connections.key(2, 5)), publishOnAReceivedOnB(channelB, 11, subscribedAt[0]), "a node that replayed its log");

        assertEquals(1, node.takeSnapshot(10_000));
        CloseHelper.closeAll(edgeA, edgeB, aeron);
        node.close();
        launch(false);
        assertEquals(List.of(Connections.key(2, 5)), publishOnAReceivedOnB(channelB, 12, subscribedAt[0]), "a node from a snapshot");
    }

    private void launch(final boolean clean)
    {
        node = ClusterNode.launch(0, members, base, clean, 500, new NodeService(new FilterEngineContext(), readChannel),
            errors::add);
    }

    /**
     * Edge A publishes, after the subscribe as an edge does (read-your-writes: a node that restarted answers once it
     * replayed the log that far); edge B, which never sent the node anything, reads what comes.
     *
     * @return the connections B was told to notify.
     */
    private List<Long> publishOnAReceivedOnB(final String channelB, final long publishId, final long logPosition)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
        edgeB = new ReadLink(aeron, readChannel, channelB, 2);
        edgeA = new ReadLink(aeron, readChannel, "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort(), 1);
        final List<Long> toldB = new ArrayList<>();
        final boolean[] answeredA = new boolean[1];
        final ReadLink.Lists onA = new Lists()
        {
            public void onNotificationList(final long correlationId, final NotificationListDecoder list)
            {
                answeredA[0] = true;
            }
        };
        final ReadLink.Lists onB = new Lists()
        {
            public void onRemoteNotification(final RemoteNotificationDecoder remote)
            {
                for (final RemoteNotificationDecoder.ChannelsDecoder channel : remote.channels())
                {
                    for (final RemoteNotificationDecoder.ChannelsDecoder.ConnectionsDecoder c : channel.connections())
                    {
                        toldB.add(c.connection());
                    }
                    channel.channel();
                }
                // what a subscriber's notification is built from travels with the list, byte for byte
                final String carried = String.join("|", remote.index(), remote.collection(), remote.document(),
                    remote.kuzzleId(), remote.requestId(), remote.volatileJson(), remote.protocol());
                if (!carried.equals("idx|col|{\"a\":\"é\"}|doc-" + publishId + "|req-é-" + publishId +
                    "|{\"v\":\"é\"}|websocket"))
                {
                    errors.add(new AssertionError("B was told " + carried));
                }
            }
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!edgeA.publish(publishId, logPosition, publishId, 0, "idx", "col",
            "{\"a\":\"é\"}", "doc-" + publishId, "req-é-" + publishId, "{\"v\":\"é\"}", "websocket"))
        {
            assertTrue(System.nanoTime() < deadline, "the node never took the publish");
            edgeA.poll(onA);
        }
        while (!answeredA[0] || toldB.isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "A answered: " + answeredA[0] + ", B told: " + toldB);
            edgeA.poll(onA);
            edgeB.poll(onB);
        }
        return toldB;
    }

    private void offer(final ExpandableArrayBuffer buffer, final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "the cluster never took the message");
            client.pollEgress();
        }
    }

    /**
     * Answers nobody expects here are errors.
     */
    private class Lists implements ReadLink.Lists
    {
        public void onNotificationList(final long correlationId, final NotificationListDecoder list)
        {
        }

        public void onCount(final long correlationId, final int count)
        {
        }

        public void onList(final long correlationId, final String json)
        {
        }

        public void onError(final long correlationId, final int status, final String errorId, final String message)
        {
            errors.add(new AssertionError("error " + status + " " + errorId + " " + message));
        }
    }
}
