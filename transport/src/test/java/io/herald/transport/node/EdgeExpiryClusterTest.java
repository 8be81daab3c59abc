package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.herald.codecs.BooleanType;
import io.herald.codecs.EdgeResetEncoder;
import io.herald.codecs.EdgeResumeEncoder;
import io.herald.codecs.EdgeResumedDecoder;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
import io.herald.codecs.UnsubscribeRequestEncoder;
import io.herald.codecs.UnsubscribeResponseDecoder;
import io.herald.codecs.UserNotificationListDecoder;
import io.herald.codecs.Users;
import io.herald.engine.filter.FilterEngineContext;
import org.agrona.CloseHelper;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges that die or lose their session, in a real one-member cluster: a silent edge's session times out, its
 * subscriptions wait for its grace period, an edge that comes back in time keeps them, one that does not is dropped
 * (the other edges' "users: all" subscribers told), and the edge learns it was given up when it comes back late.
 */
class EdgeExpiryClusterTest
{
    private static final long SESSION_TIMEOUT_MS = 2_000;
    private static final long EDGE_EXPIRY_MS = 2_500;
    private static final String FILTER = "{\"equals\":{\"a\":1}}";

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<EdgeClient> edges = new ArrayList<>();
    /** One sequence for every client: they write on behalf of other edges, whose writes the cluster numbers. */
    private final AtomicLong correlationIds = new AtomicLong();
    private String members;
    private ClusterNode node;
    private volatile boolean nodeStopped;

    private void launch(final boolean clean)
    {
        final NodeOptions shared = NodeOptions.sharedHost(500);
        final NodeOptions options = new NodeOptions(shared.driverThreading(), shared.driverIdle(), shared.serviceIdle(),
            shared.termLength(), shared.heartbeatTimeoutNs(), shared.heartbeatIntervalNs(), shared.electionTimeoutNs(),
            TimeUnit.MILLISECONDS.toNanos(SESSION_TIMEOUT_MS), 0);
        node = ClusterNode.launch(0, members, base, clean, options,
            new NodeService(new FilterEngineContext(), null, EDGE_EXPIRY_MS), errors::add);
    }

    @AfterEach
    void stop()
    {
        edges.forEach(CloseHelper::quietClose);
        CloseHelper.quietClose(node);
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void aSilentEdgeKeepsItsSubscriptionsForItsGracePeriodAndLosesThemAfter() throws Exception
    {
        final int ingress = TestPorts.freeUdpPort();
        members = TestPorts.oneMember(ingress);
        launch(true);
        final EdgeClient dying = new EdgeClient(ingress, 1).reset();
        final EdgeClient watcher = new EdgeClient(ingress, 2).reset();
        final EdgeClient lagging = new EdgeClient(ingress, 3).reset();
        final String room = dying.subscribe(10, Users.NONE).split(" ")[1];
        assertTrue(lagging.subscribe(30, Users.NONE).startsWith("ok " + room + " "));
        assertTrue(watcher.subscribe(20, Users.ALL).startsWith("ok " + room + " "));

        // edges 1 and 3 fall silent; the watcher keeps its session alive
        final long silentSince = System.nanoTime();
        watcher.until(() -> lagging.sessionClosed(), SESSION_TIMEOUT_MS * 3);
        final long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
        assertTrue(closedAfterMs < SESSION_TIMEOUT_MS + EDGE_EXPIRY_MS, "closed after " + closedAfterMs + " ms");
        assertTrue(watcher.userEvents.isEmpty(), "nothing dropped at the session close: " + watcher.userEvents);

        // edge 3 comes back within its grace period on a new session: everything kept
        final EdgeClient resumed = new EdgeClient(ingress, 3);
        assertEquals("kept", resumed.resume());

        // edge 1 never does: once its grace period is over its connection leaves the room, the watcher is told
        watcher.until(() -> !watcher.userEvents.isEmpty(), SESSION_TIMEOUT_MS + EDGE_EXPIRY_MS * 2);
        assertEquals(List.of("out count=2"), watcher.userEvents);
        assertTrue(watcher.unsubscribe(1, 10, room).startsWith("error 412"), "edge 1's connection was dropped");

        // edge 1 comes back late: it learns it was given up (and would close its clients)
        final EdgeClient late = new EdgeClient(ingress, 1);
        assertEquals("expired", late.resume());

        // a snapshot keeps the edges the cluster knows: after a restart edge 3 is still known, edge 7 never was
        assertEquals(1, node.takeSnapshot(10_000));
        nodeStopped = true;
        CloseHelper.quietClose(node); // first: an edge closing its session itself would expire at once
        edges.forEach(CloseHelper::quietClose);
        edges.clear();
        launch(false);
        nodeStopped = false;
        assertEquals("kept", new EdgeClient(ingress, 3).resume());
        assertEquals("expired", new EdgeClient(ingress, 7).resume());
        final EdgeClient after = new EdgeClient(ingress, 2);
        assertTrue(after.unsubscribe(3, 30, room).startsWith("unsubscribed " + room + " "), "edge 3's connection was kept");
    }

    /**
     * An edge sends a write again when a leader change left it unanswered: the cluster answers the copy with the
     * first answer and applies nothing twice, after a snapshot and a restart too; a resume sent again after its
     * "expired" answer was lost is answered "expired" again.
     */
    @Test
    void aWriteSentAgainIsAnsweredAsTheFirstTimeEvenAfterASnapshot() throws Exception
    {
        final int ingress = TestPorts.freeUdpPort();
        members = TestPorts.oneMember(ingress);
        launch(true);
        final EdgeClient edge = new EdgeClient(ingress, 5).reset();
        final String first = edge.subscribeWithId(101, 50);
        assertTrue(first.startsWith("ok ") && first.endsWith(" 1"), first);
        final String room = first.split(" ")[1];
        assertEquals("ok " + room + " 2", edge.subscribeWithId(102, 51));
        assertEquals(first, edge.subscribeWithId(101, 50), "the copy gets the first answer (count 1), nothing applied");
        assertEquals("unsubscribed " + room + " 1", edge.unsubscribeWithId(103, 51, room));
        assertEquals("unsubscribed " + room + " 1", edge.unsubscribeWithId(103, 51, room), "not 412");
        assertEquals("unsubscribed " + room + " 0", edge.unsubscribeWithId(104, 50, room));

        final EdgeClient stranger = new EdgeClient(ingress, 9);
        final long resumeId = correlationIds.incrementAndGet();
        assertEquals("expired", stranger.resumeWithId(resumeId));
        assertEquals("expired", stranger.resumeWithId(resumeId), "a copy of a resume answered expired says so again");
        assertEquals("kept", stranger.resumeWithId(correlationIds.incrementAndGet()), "a later resume is kept");

        assertEquals(1, node.takeSnapshot(10_000));
        nodeStopped = true;
        CloseHelper.quietClose(node);
        edges.forEach(CloseHelper::quietClose);
        edges.clear();
        launch(false);
        nodeStopped = false;
        final EdgeClient back = new EdgeClient(ingress, 5);
        assertEquals("kept", back.resume());
        assertEquals("unsubscribed " + room + " 1", back.unsubscribeWithId(103, 51, room), "kept in the snapshot");
        assertEquals(first, back.subscribeWithId(101, 50));
        assertEquals("expired", new EdgeClient(ingress, 9).resumeWithId(resumeId));
    }

    /**
     * A cluster client standing for one edge: it only talks when the test makes it (no keep-alive of its own, so a
     * client left alone falls silent).
     */
    private final class EdgeClient implements AutoCloseable
    {
        private final AeronCluster cluster;
        private final int edgeId;
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final Map<Long, String> answers = new HashMap<>();
        final List<String> userEvents = new ArrayList<>();
        private long lastKeepAliveNs;

        EdgeClient(final int ingress, final int edgeId)
        {
            this.edgeId = edgeId;
            final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
            final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
            final UnsubscribeResponseDecoder unsubscribed = new UnsubscribeResponseDecoder();
            final ErrorResponseDecoder error = new ErrorResponseDecoder();
            final EdgeResumedDecoder resumed = new EdgeResumedDecoder();
            final UserNotificationListDecoder users = new UserNotificationListDecoder();
            final EgressListener listener = (sessionId, timestamp, egress, offset, length, egressHeader) ->
            {
                headerDecoder.wrap(egress, offset);
                switch (headerDecoder.templateId())
                {
                    case SubscribeResponseDecoder.TEMPLATE_ID:
                        subscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                        answers.put(subscribed.correlationId(), "ok " + subscribed.roomId() + " " +
                            subscribed.count());
                        break;
                    case UnsubscribeResponseDecoder.TEMPLATE_ID:
                        unsubscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                        answers.put(unsubscribed.correlationId(), "unsubscribed " + unsubscribed.roomId() + " " +
                            unsubscribed.count());
                        break;
                    case ErrorResponseDecoder.TEMPLATE_ID:
                        error.wrapAndApplyHeader(egress, offset, headerDecoder);
                        answers.put(error.correlationId(), "error " + error.status() + " " + error.errorId());
                        break;
                    case EdgeResumedDecoder.TEMPLATE_ID:
                        resumed.wrapAndApplyHeader(egress, offset, headerDecoder);
                        answers.put(resumed.correlationId(), resumed.expired() == BooleanType.TRUE ? "expired" :
                            "kept");
                        break;
                    case UserNotificationListDecoder.TEMPLATE_ID:
                        users.wrapAndApplyHeader(egress, offset, headerDecoder);
                        if (users.joined() == BooleanType.FALSE)
                        {
                            userEvents.add("out count=" + users.count());
                        }
                        break;
                    default:
                        break;
                }
            };
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(node.aeronDirectoryName())
                .errorHandler((ex) ->
                {
                    if (!nodeStopped)
                    {
                        errors.add(ex);
                    }
                }));
            cluster = AeronCluster.connect(TestPorts.clientContext(ingress, listener).aeron(aeron)
                .ownsAeronClient(true));
            edges.add(this);
        }

        EdgeClient reset()
        {
            final EdgeResetEncoder reset = new EdgeResetEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(0).edgeId(edgeId);
            offer(MessageHeaderEncoder.ENCODED_LENGTH + reset.encodedLength());
            return this;
        }

        String resume()
        {
            final long correlationId = correlationIds.incrementAndGet();
            final EdgeResumeEncoder resume = new EdgeResumeEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(correlationId).edgeId(edgeId);
            return send(MessageHeaderEncoder.ENCODED_LENGTH + resume.encodedLength(), correlationId);
        }

        String resumeWithId(final long correlationId)
        {
            final EdgeResumeEncoder resume = new EdgeResumeEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(correlationId).edgeId(edgeId);
            answers.remove(correlationId);
            return send(MessageHeaderEncoder.ENCODED_LENGTH + resume.encodedLength(), correlationId);
        }

        String subscribeWithId(final long correlationId, final long connectionId)
        {
            final SubscribeRequestEncoder request = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId).oldestPending(0)
                .scope(Scope.ALL)
                .users(Users.NONE).index("idx").collection("col").filter(FILTER).volatileJson("{}");
            answers.remove(correlationId);
            return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
        }

        String unsubscribeWithId(final long correlationId, final long connectionId, final String roomId)
        {
            final UnsubscribeRequestEncoder request = new UnsubscribeRequestEncoder()
                .wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).edgeId(edgeId)
                .connectionId(connectionId).oldestPending(0).roomId(roomId).volatileJson("{}");
            answers.remove(correlationId);
            return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
        }

        String subscribe(final long connectionId, final Users users)
        {
            final long correlationId = correlationIds.incrementAndGet();
            final SubscribeRequestEncoder request = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                .correlationId(correlationId).edgeId(edgeId).connectionId(connectionId).oldestPending(0)
                .scope(Scope.ALL).users(users)
                .index("idx").collection("col").filter(FILTER).volatileJson("{}");
            return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
        }

        /**
         * Unsubscribes a connection of any edge (the node takes the edge id from the message).
         */
        String unsubscribe(final int ofEdge, final long connectionId, final String roomId)
        {
            final long correlationId = correlationIds.incrementAndGet();
            final UnsubscribeRequestEncoder request = new UnsubscribeRequestEncoder()
                .wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).edgeId(ofEdge)
                .connectionId(connectionId).oldestPending(0).roomId(roomId).volatileJson("{}");
            return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
        }

        /**
         * Reads this client's egress without sending anything (no keep-alive).
         */
        boolean sessionClosed()
        {
            cluster.pollEgress();
            return cluster.isClosed();
        }

        /**
         * Polls and keeps this client's session alive until the condition holds.
         */
        void until(final BooleanSupplier condition, final long timeoutMs)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!condition.getAsBoolean())
            {
                assertTrue(System.nanoTime() < deadline, "not within " + timeoutMs + " ms");
                poll();
                Thread.onSpinWait();
            }
        }

        private void poll()
        {
            final long now = System.nanoTime();
            if (now - lastKeepAliveNs > TimeUnit.MILLISECONDS.toNanos(200) && cluster.sendKeepAlive())
            {
                lastKeepAliveNs = now;
            }
            cluster.pollEgress();
        }

        private void offer(final int length)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cluster.offer(buffer, 0, length) < 0)
            {
                assertFalse(cluster.isClosed(), "session closed");
                assertTrue(System.nanoTime() < deadline, "ingress never accepted the message");
                cluster.pollEgress();
            }
        }

        private String send(final int length, final long correlationId)
        {
            offer(length);
            until(() -> answers.containsKey(correlationId), 10_000);
            return answers.get(correlationId);
        }

        public void close()
        {
            cluster.close();
        }
    }
}
