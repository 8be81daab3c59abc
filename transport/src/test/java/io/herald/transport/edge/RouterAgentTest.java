package io.herald.transport.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.testing.Await;
import io.herald.engine.testing.TestClient;
import io.herald.transport.edge.plugin.RequestSubmitter;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request path inside the edge: Netty I/O thread → Disruptor ring → router agent on its own thread → socket.
 */
class RouterAgentTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeServer server;
    private AgentRunner runner;
    private RouterAgent router;
    private RequestRing ring;
    /** What the router's thread let out: an exception there fails the test. */
    private final List<Throwable> routerErrors = new CopyOnWriteArrayList<>();

    private WebSocket start(final int ringSize, final boolean runRouter, final TestClient client)
        throws InterruptedException
    {
        ring = new RequestRing(ringSize);
        server = new EdgeServer("127.0.0.1", 0, 1, 1 << 16, ring).start();
        router = new RouterAgent(new EdgeContext().ring(ring).connections(server.connections()).version("0.1.0")
            .pollLimit(64));
        if (runRouter)
        {
            startRouter();
        }
        return TestClient.connect(client, server.port(), "/");
    }

    private void startRouter()
    {
        runner = new AgentRunner(new BackoffIdleStrategy(), routerErrors::add, null, router);
        AgentRunner.startOnThread(runner);
    }

    @AfterEach
    void stop()
    {
        if (null != runner)
        {
            runner.close();
        }
        server.close();
        assertEquals(List.of(), routerErrors, "the router's thread may let no exception out");
    }

    private static JsonNode ask(final WebSocket socket, final TestClient client, final String request) throws Exception
    {
        return client.ask(socket, request);
    }

    @Test
    void answersWhatTheEdgeKnowsAndSaysWhenNoNodeIsReachable() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = start(1024, true, client);
        final long before = System.currentTimeMillis();

        final JsonNode now = ask(socket, client, "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"1\"}");
        assertEquals("1", now.get("room").textValue());
        final long serverNow = now.get("result").get("now").longValue();
        assertTrue(serverNow >= before && serverNow <= System.currentTimeMillis(), now.toString());

        final JsonNode info = ask(socket, client, "{\"controller\":\"server\",\"action\":\"info\",\"requestId\":\"2\"}");
        assertEquals("0.1.0", info.get("result").get("serverInfo").get("kuzzle").get("version").textValue());

        final JsonNode token = ask(socket, client,
            "{\"controller\":\"auth\",\"action\":\"checkToken\",\"requestId\":\"3\",\"body\":{}}");
        assertEquals(JSON.readTree("{\"valid\":true,\"kuid\":\"-1\",\"expiresAt\":-1}"), token.get("result"));

        final JsonNode subscribe = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"4\",\"index\":\"i\",\"collection\":\"c\",\"body\":{}}");
        assertEquals("4", subscribe.get("room").textValue());
        assertEquals(503, subscribe.get("status").intValue());

        final JsonNode unknownController = ask(socket, client,
            "{\"controller\":\"document\",\"action\":\"create\",\"requestId\":\"5\"}");
        assertEquals("api.process.controller_not_found", unknownController.get("error").get("id").textValue());
        final JsonNode unknownAction = ask(socket, client,
            "{\"controller\":\"server\",\"action\":\"later\",\"requestId\":\"6\"}");
        assertEquals("api.process.action_not_found", unknownAction.get("error").get("id").textValue());
        final JsonNode noController = ask(socket, client, "{\"action\":\"now\",\"requestId\":\"7\"}");
        assertEquals("api.assert.missing_argument", noController.get("error").get("id").textValue());
    }

    @Test
    void aFullRingStopsReadingTheSocketThenAnswersOverloaded() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = start(64, false, client);
        final long started = System.nanoTime();
        for (int i = 0; i < 70; i++)
        {
            socket.sendText("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"r" + i + "\"}", true).join();
        }
        // one slot went to the connection's OPEN event: 63 requests fit; the other 7 wait (the socket is not read)
        // and, the ring never draining, are answered 503 in order once the stall limit passes
        for (int i = 0; i < 7; i++)
        {
            final JsonNode refused = client.next();
            assertEquals(503, refused.get("status").intValue());
            assertEquals("r" + (63 + i), refused.get("room").textValue());
        }
        assertTrue(System.nanoTime() - started >= RequestSubmitter.MAX_STALL_NS, "refused before the limit");
        // closing while the ring is full must not block the I/O thread: the close waits in the overflow queue
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections().size() > 0)
        {
            assertTrue(System.nanoTime() < deadline, "the connection did not close");
            Thread.onSpinWait();
        }
    }

    @Test
    void requestsWaitingForRoomAreServedInOrderOnceTheRingDrains() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = start(64, false, client);
        for (int i = 0; i < 200; i++)
        {
            socket.sendText("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"r" + i + "\"}", true).join();
        }
        // the ring is full: the frames after the 64th wait in their socket's handler
        Await.await("a full ring", Duration.ofSeconds(10), () -> ring.remainingCapacity() == 0);
        startRouter();
        for (int i = 0; i < 200; i++)
        {
            final JsonNode answer = client.next();
            assertEquals(200, answer.get("status").intValue(), answer.toString());
            assertEquals("r" + i, answer.get("room").textValue());
        }
    }

    /**
     * A request whose handling throws (here a filter nested far deeper than any frame may bring, put in the ring
     * directly) is answered 500 in its room, and the router goes on with the next one instead of polling the same
     * event forever.
     */
    @Test
    void aRequestThatThrowsIsAnswered500AndTheRouterGoesOn() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = start(1024, true, client);
        assertEquals(200, ask(socket, client, "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"1\"}")
            .get("status").intValue());
        final long connectionId = server.connections().nextId() - 1;

        ObjectNode filter = JsonNodeFactory.instance.objectNode().putObject("exists").put("field", "a");
        for (int depth = 0; depth < 100_000; depth++)
        {
            final ObjectNode not = JsonNodeFactory.instance.objectNode();
            not.set("not", filter);
            filter = not;
        }
        final ObjectNode poison = JsonNodeFactory.instance.objectNode().put("controller", "realtime")
            .put("action", "validate").put("requestId", "poison");
        poison.set("body", filter);
        assertTrue(ring.onRequest(connectionId, KuzzleRequest.of(poison)));

        final JsonNode refused = client.next();
        assertEquals("poison", refused.get("room").textValue(), refused.toString());
        assertEquals(500, refused.get("status").intValue());
        assertEquals("core.fatal.unexpected_error", refused.get("error").get("id").textValue());
        assertEquals(1, router.unexpectedErrors());

        final JsonNode after = ask(socket, client, "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"2\"}");
        assertEquals(200, after.get("status").intValue());
    }
}
