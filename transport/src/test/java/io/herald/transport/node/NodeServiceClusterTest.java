package io.herald.transport.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.herald.codecs.ConnectionClosedEncoder;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.JoinRequestEncoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.SubscribeResponseDecoder;
import io.herald.codecs.UnsubscribeRequestEncoder;
import io.herald.codecs.UnsubscribeResponseDecoder;
import io.herald.codecs.Users;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.kuzzle.KuzzleError;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's service in a real one-member Aeron Cluster (media driver, archive, consensus module, service container):
 * writes go through the log, answers come back on the client's egress.
 */
class NodeServiceClusterTest
{
    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Map<Long, String> answers = new HashMap<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private ClusterNode node;
    private int ingress;
    private String members;
    private NodeService service;
    private AeronCluster client;
    private long nextCorrelationId = 1;

    @BeforeEach
    void start()
    {
        ingress = TestPorts.freeUdpPort();
        members = TestPorts.oneMember(ingress);
        launch(true);
    }

    /**
     * @param clean start from nothing, or from this node's snapshot and log.
     */
    private void launch(final boolean clean)
    {
        service = new NodeService(new FilterEngineContext(), null);
        node = ClusterNode.launch(0, members, base, clean, 500, service, errors::add);
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final SubscribeResponseDecoder subscribed = new SubscribeResponseDecoder();
        final UnsubscribeResponseDecoder unsubscribed = new UnsubscribeResponseDecoder();
        final ErrorResponseDecoder error = new ErrorResponseDecoder();
        final EgressListener listener = (sessionId, timestamp, egress, offset, length, egressHeader) ->
        {
            headerDecoder.wrap(egress, offset);
            if (headerDecoder.templateId() == SubscribeResponseDecoder.TEMPLATE_ID)
            {
                subscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                final long position = subscribed.logPosition();
                final int count = subscribed.count();
                answers.put(subscribed.correlationId(), "ok " + subscribed.roomId() + " " + subscribed.channel() +
                    " " + count + (position > 0 ? " +" : " 0"));
            }
            else if (headerDecoder.templateId() == UnsubscribeResponseDecoder.TEMPLATE_ID)
            {
                unsubscribed.wrapAndApplyHeader(egress, offset, headerDecoder);
                final long position = unsubscribed.logPosition();
                final int count = unsubscribed.count();
                answers.put(unsubscribed.correlationId(), "unsubscribed " + unsubscribed.roomId() + " " + count +
                    (position > 0 ? " +" : " 0"));
            }
            else if (headerDecoder.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                error.wrapAndApplyHeader(egress, offset, headerDecoder);
                answers.put(error.correlationId(), "error " + error.status() + " " + error.errorId() + " " +
                    error.message());
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

    private String send(final int length, final long correlationId)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "ingress never accepted the message");
            client.pollEgress();
        }
        while (!answers.containsKey(correlationId))
        {
            assertTrue(System.nanoTime() < deadline, "no answer to " + correlationId);
            if (client.pollEgress() == 0)
            {
                Thread.onSpinWait();
            }
        }
        return answers.get(correlationId);
    }

    private String subscribe(final long connectionId, final String filter, final Scope scope)
    {
        final long correlationId = nextCorrelationId++;
        final SubscribeRequestEncoder request = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(1).connectionId(connectionId).oldestPending(0)
            .scope(scope).users(Users.NONE)
            .index("idx").collection("col").filter(filter).volatileJson("{}");
        return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
    }

    private String unsubscribe(final long connectionId, final String roomId)
    {
        final long correlationId = nextCorrelationId++;
        final UnsubscribeRequestEncoder request = new UnsubscribeRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).edgeId(1)
            .connectionId(connectionId).oldestPending(0).roomId(roomId).volatileJson("{}");
        return send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), correlationId);
    }

    @Test
    void subscriptionsAreAppliedThroughTheLogAndAnswered() throws Exception
    {
        final String room = new FilterEngine().normalize("idx/col",
            new ObjectMapper().readTree("{\"equals\":{\"a\":1}}")).id();

        assertEquals("ok " + room + " " + room + "-an 1 +", subscribe(10, "{\"equals\":{\"a\":1}}", Scope.ALL));
        assertEquals("ok " + room + " " + room + "-in 2 +", subscribe(11, "{\"equals\":{\"a\":1.0}}", Scope.IN));
        assertEquals("error 400 " + KuzzleError.KONCORDE_DSL_ERROR.id() + " \"equals.a\": must either be a string, " +
            "a number, a boolean, or null", subscribe(12, "{\"equals\":{\"a\":[1]}}", Scope.ALL));

        final long joinId = nextCorrelationId++;
        final JoinRequestEncoder join = new JoinRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(joinId).edgeId(1).connectionId(12).oldestPending(0).scope(Scope.ALL).users(Users.ALL)
            .roomId("no-such-room").volatileJson("{}");
        assertTrue(send(MessageHeaderEncoder.ENCODED_LENGTH + join.encodedLength(), joinId)
            .startsWith("error 404 core.realtime.room_not_found"));

        assertEquals("unsubscribed " + room + " 1 +", unsubscribe(10, room));
        assertTrue(unsubscribe(10, room).startsWith("error 412 core.realtime.not_subscribed"));

        final ConnectionClosedEncoder closed = new ConnectionClosedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(nextCorrelationId++).edgeId(1).connectionId(11).oldestPending(0);
        while (client.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + closed.encodedLength()) < 0)
        {
            client.pollEgress();
        }
        // the close is applied before the next write in log order: the room is gone
        assertTrue(unsubscribe(11, room).startsWith("error 412"));
    }

    @Test
    void malformedMessagesAreReportedAndTheNodeKeepsServing()
    {
        // a scope this version does not know: answered as an invalid argument
        final long badScopeId = nextCorrelationId++;
        final SubscribeRequestEncoder request = new SubscribeRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(badScopeId).edgeId(1).connectionId(1).oldestPending(0)
            .scope(Scope.NULL_VAL).users(Users.NONE)
            .index("idx").collection("col").filter("{}").volatileJson("{}");
        assertEquals("error 400 api.assert.invalid_argument Invalid argument \"scope\": unknown value",
            send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), badScopeId));

        // bytes of no known schema, and a connection id out of range: reported, not thrown on the service thread
        buffer.setMemory(0, 64, (byte)0x7f);
        offer(64);
        offer(3);
        final ConnectionClosedEncoder closed = new ConnectionClosedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(nextCorrelationId++).edgeId(1).connectionId(-1).oldestPending(0);
        offer(MessageHeaderEncoder.ENCODED_LENGTH + closed.encodedLength());

        assertTrue(subscribe(5, "{}", Scope.ALL).startsWith("ok "), "the node still serves");
        assertEquals(3, service.malformedMessages());
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.stream().allMatch((e) -> e.getMessage().startsWith("node ignored a malformed message")),
            errors.toString());
        errors.clear();
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

    @Test
    void aRestartedNodeRebuildsItsRegistryFromItsSnapshotAndTheLogAfterIt() throws Exception
    {
        final String roomA = subscribe(10, "{\"equals\":{\"a\":1}}", Scope.ALL).split(" ")[1];
        assertTrue(subscribe(11, "{\"equals\":{\"a\":1}}", Scope.IN).startsWith("ok " + roomA + " " + roomA + "-in 2"));
        final String roomB = subscribe(12, "{\"range\":{\"n\":{\"gt\":0}}}", Scope.ALL).split(" ")[1];

        assertEquals(1, node.takeSnapshot(10_000));

        // after the snapshot, in the log only
        assertTrue(subscribe(13, "{\"range\":{\"n\":{\"gt\":0}}}", Scope.OUT).startsWith("ok " + roomB));
        assertTrue(unsubscribe(12, roomB).startsWith("unsubscribed " + roomB + " 1"));

        CloseHelper.closeAll(client, node);
        launch(false);

        // the state before the snapshot came from it, the rest from the log
        assertTrue(unsubscribe(10, roomA).startsWith("unsubscribed " + roomA + " 1"), "connection 10 was restored");
        assertTrue(unsubscribe(11, roomA).startsWith("unsubscribed " + roomA + " 0"), "connection 11 was restored");
        assertTrue(unsubscribe(12, roomB).startsWith("error 412"), "the unsubscribe after the snapshot was replayed");
        assertTrue(unsubscribe(13, roomB).startsWith("unsubscribed " + roomB + " 0"), "the subscribe after the snapshot too");
        // a filter equal to room B's, written differently, still lands in room B
        assertTrue(subscribe(14, "{\"range\":{\"n\":{\"gt\":0.0}}}", Scope.ALL).startsWith("ok " + roomB));
    }
}
