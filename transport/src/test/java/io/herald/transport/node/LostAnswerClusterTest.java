package io.herald.transport.node;

import io.aeron.DirectBufferVector;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.Header;
import io.herald.codecs.EdgeResetEncoder;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
import io.herald.codecs.UnsubscribeRequestEncoder;
import io.herald.codecs.UnsubscribeResponseDecoder;
import io.herald.codecs.Users;
import io.herald.engine.filter.FilterEngineContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The case a leader change makes likely: the leader applied a write (it is in the log every member applied) and died
 * before its answer reached the edge. In a real three-member cluster the leader's answers are held back (its
 * service's session swallows them), the write is applied on every member, the leader stops; the edge, told of the
 * new leader, sends the write again as it would, and gets the first answer: an unsubscribe applied once, not a 412.
 */
class LostAnswerClusterTest
{
    private static final String FILTER = "{\"equals\":{\"a\":1}}";

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<AnswerHolding> services = new ArrayList<>();
    private MediaDriver clientDriver;
    private AeronCluster client;
    private final Map<Long, String> answers = new HashMap<>();
    private volatile int newLeader = -1;

    @AfterEach
    void stop()
    {
        CloseHelper.quietClose(client);
        nodes.forEach(CloseHelper::quietClose);
        CloseHelper.quietClose(clientDriver);
    }

    @Test
    void aWriteAppliedByALeaderThatDiedBeforeAnsweringAppliesOnceWhenSentAgain()
    {
        final StringBuilder members = new StringBuilder();
        final StringBuilder ingress = new StringBuilder();
        for (int id = 0; id < 3; id++)
        {
            final int port = TestPorts.freeUdpPort();
            members.append(id == 0 ? "" : "|").append(id).append(",localhost:").append(port)
                .append(",localhost:").append(TestPorts.freeUdpPort()).append(",localhost:")
                .append(TestPorts.freeUdpPort()).append(",localhost:0,localhost:").append(TestPorts.freeUdpPort());
            ingress.append(id == 0 ? "" : ",").append(id).append("=localhost:").append(port);
        }
        for (int id = 0; id < 3; id++)
        {
            final AnswerHolding service = new AnswerHolding(new NodeService(new FilterEngineContext(), null));
            services.add(service);
            nodes.add(ClusterNode.launch(id, members.toString(), new File(base, "node-" + id), true, 500, service,
                errors::add));
        }
        clientDriver = MediaDriver.launchEmbedded(new MediaDriver.Context().threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        client = AeronCluster.connect(new AeronCluster.Context()
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .ingressChannel("aeron:udp?term-length=128k")
            .ingressEndpoints(ingress.toString())
            .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k")
            .egressListener(new Answers())
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(10)));

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final EdgeResetEncoder reset = new EdgeResetEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(0).edgeId(1).responseChannel("");
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + reset.encodedLength());
        final SubscribeRequestEncoder subscribe = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).edgeId(1).connectionId(10).oldestPending(1).scope(Scope.ALL).users(Users.NONE)
            .index("idx").collection("col").filter(FILTER).volatileJson("{}");
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());
        until(() -> answers.containsKey(1L), "the subscribe's answer");
        final String room = answers.get(1L).split(" ")[1];

        // the leader applies the unsubscribe, every member too, and its answer never leaves
        final int leader = client.leaderMemberId();
        services.get(leader).holdAnswers = true;
        final int appliedBefore = services.get((leader + 1) % 3).applied.get();
        final UnsubscribeRequestEncoder unsubscribe = new UnsubscribeRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(2).edgeId(1).connectionId(10).oldestPending(2)
            .roomId(room).volatileJson("{}");
        final int unsubscribeLength = MessageHeaderEncoder.ENCODED_LENGTH + unsubscribe.encodedLength();
        offer(buffer, unsubscribeLength);
        until(() -> services.stream().allMatch((service) -> service.applied.get() > appliedBefore),
            "every member applied the unsubscribe");
        until(() -> services.get(leader).held.get() > 0, "the leader held its answer back");
        assertTrue(!answers.containsKey(2L), "no answer reached the edge");

        // the leader dies; told of the new one, the edge sends the write again, unchanged
        nodes.get(leader).close();
        until(() -> newLeader >= 0 && newLeader != leader, "a new leader");
        offer(buffer, unsubscribeLength);
        until(() -> answers.containsKey(2L), "the answer to the write sent again");
        assertEquals("unsubscribed " + room + " 0", answers.get(2L), "the first answer, not 412: applied once");

        // and the room really has nobody: a new subscriber is its only one
        subscribe.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(3).edgeId(1).connectionId(11).oldestPending(3).scope(Scope.ALL).users(Users.NONE)
            .index("idx").collection("col").filter(FILTER).volatileJson("{}");
        offer(buffer, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());
        until(() -> answers.containsKey(3L), "the next subscribe's answer");
        assertEquals("ok " + room + " 1", answers.get(3L));
        assertEquals(List.of(), errors.stream().filter((error) -> !isShutdownNoise(error)).toList());
    }

    /**
     * The survivors report that the leader went silent, as they should; nothing else may report anything.
     */
    private static boolean isShutdownNoise(final Throwable error)
    {
        return String.valueOf(error).contains("leader heartbeat timeout");
    }

    private void offer(final ExpandableArrayBuffer buffer, final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "the cluster never took the message");
            client.pollEgress();
            Thread.onSpinWait();
        }
    }

    /**
     * Polls the egress until the condition holds, keeping the session alive as an edge does (ClusterLink): a client
     * silent for the session timeout (10 s) is closed, and a closed session hears of no new leader.
     */
    private void until(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lastKeepAliveNs = System.nanoTime();
        while (!condition.getAsBoolean())
        {
            final long now = System.nanoTime();
            assertTrue(now < deadline, "no " + what + " within 30 s; answers: " + answers);
            client.pollEgress();
            if (now - lastKeepAliveNs > TimeUnit.MILLISECONDS.toNanos(200) && client.sendKeepAlive())
            {
                lastKeepAliveNs = now;
            }
            Thread.onSpinWait();
        }
    }

    private final class Answers implements EgressListener
    {
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
        private final UnsubscribeResponseDecoder unsubscribed = new UnsubscribeResponseDecoder();
        private final ErrorResponseDecoder error = new ErrorResponseDecoder();

        public void onMessage(
            final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset,
            final int length, final Header header)
        {
            headerDecoder.wrap(buffer, offset);
            switch (headerDecoder.templateId())
            {
                case SubscribeResponseDecoder.TEMPLATE_ID:
                    subscribed.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    answers.put(subscribed.correlationId(), "ok " + subscribed.roomId() + " " + subscribed.count());
                    break;
                case UnsubscribeResponseDecoder.TEMPLATE_ID:
                    unsubscribed.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    answers.put(unsubscribed.correlationId(), "unsubscribed " + unsubscribed.roomId() + " " +
                        unsubscribed.count());
                    break;
                case ErrorResponseDecoder.TEMPLATE_ID:
                    error.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    answers.put(error.correlationId(), "error " + error.status() + " " + error.errorId());
                    break;
                default:
                    break;
            }
        }

        public void onNewLeader(
            final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
            final String ingressEndpoints)
        {
            newLeader = leaderMemberId;
        }
    }

    /**
     * A node's service whose answers to edges can be held back (its sessions swallow what it offers), counting the
     * messages it applied.
     */
    private static final class AnswerHolding implements ClusteredService
    {
        private final NodeService service;
        final AtomicInteger applied = new AtomicInteger();
        final AtomicInteger held = new AtomicInteger();
        volatile boolean holdAnswers;

        AnswerHolding(final NodeService service)
        {
            this.service = service;
        }

        public void onStart(final Cluster cluster, final Image snapshotImage)
        {
            service.onStart(cluster, snapshotImage);
        }

        public void onSessionOpen(final ClientSession session, final long timestamp)
        {
            service.onSessionOpen(session, timestamp);
        }

        public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
        {
            service.onSessionClose(session, timestamp, closeReason);
        }

        public void onSessionMessage(
            final ClientSession session, final long timestamp, final DirectBuffer buffer, final int offset,
            final int length, final Header header)
        {
            service.onSessionMessage(holdAnswers ? new Holding(session) : session, timestamp, buffer, offset, length,
                header);
            applied.incrementAndGet();
        }

        public void onTimerEvent(final long correlationId, final long timestamp)
        {
            service.onTimerEvent(correlationId, timestamp);
        }

        public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
        {
            service.onTakeSnapshot(snapshotPublication);
        }

        public void onRoleChange(final Cluster.Role newRole)
        {
            service.onRoleChange(newRole);
        }

        public void onTerminate(final Cluster cluster)
        {
            service.onTerminate(cluster);
        }

        /**
         * A session whose offers are taken and dropped.
         */
        private final class Holding implements ClientSession
        {
            private final ClientSession session;

            Holding(final ClientSession session)
            {
                this.session = session;
            }

            public long id()
            {
                return session.id();
            }

            public int responseStreamId()
            {
                return session.responseStreamId();
            }

            public String responseChannel()
            {
                return session.responseChannel();
            }

            public byte[] encodedPrincipal()
            {
                return session.encodedPrincipal();
            }

            public void close()
            {
                session.close();
            }

            public boolean isClosing()
            {
                return session.isClosing();
            }

            public long offer(final DirectBuffer buffer, final int offset, final int length)
            {
                held.incrementAndGet();
                return length;
            }

            public long offer(final DirectBufferVector[] vectors)
            {
                held.incrementAndGet();
                return 1;
            }

            public long tryClaim(final int length, final BufferClaim bufferClaim)
            {
                throw new UnsupportedOperationException("the node offers its answers");
            }
        }
    }
}
