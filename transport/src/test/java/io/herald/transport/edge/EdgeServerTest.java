package io.herald.transport.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.engine.testing.Await;
import io.herald.engine.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket listener on a real socket with the JDK's WebSocket client: requests reach the sink and answers come
 * back by connection id; heartbeats, pings and bad input are handled without closing the connection.
 */
class EdgeServerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FRAME = 4_096;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private EdgeServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Echoes every request with a success response carrying the connection id. */
    private final RequestSink echo = new RequestSink()
    {
        private final ThreadLocal<ResponseWriter> writers = ThreadLocal.withInitial(ResponseWriter::new);

        public void onOpen(final long connectionId, final String protocol, final String remoteAddress)
        {
            events.add("open " + connectionId + " " + protocol);
        }

        public boolean onRequest(final long connectionId, final KuzzleRequest request)
        {
            if ("overload".equals(request.action()))
            {
                return false;
            }
            server.connections().sendText(connectionId, writers.get().success(request,
                JsonNodeFactory.instance.objectNode().put("connection", connectionId)));
            return true;
        }

        public void onClose(final long connectionId)
        {
            events.add("close " + connectionId);
        }
    };

    @BeforeEach
    void start() throws InterruptedException
    {
        server = new EdgeServer("127.0.0.1", 0, 1, MAX_FRAME, echo).start();
        // the protocol plugins come from META-INF/services, in pipeline order (the test tree adds an example one)
        assertEquals(List.of("http", "websocket", "mqtt"),
            server.protocols().stream().filter((name) -> !"ndjson".equals(name)).toList());
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private WebSocket connect(final TestClient client)
    {
        return TestClient.connect(client, server.port(), "/any/path");
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        Await.await("the condition", Duration.ofSeconds(5), condition);
    }

    @Test
    void requestsReachTheSinkAndAnswersComeBackByConnection() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = connect(client);
        await(() -> events.size() == 1);
        assertTrue(events.get(0).matches("open \\d+ websocket"), events.toString());

        socket.sendText("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"r1\"}", true).join();
        final JsonNode response = client.next();
        assertEquals("r1", response.get("room").textValue());
        assertEquals(200, response.get("status").intValue());
        assertEquals(events.get(0).split(" ")[1], response.get("result").get("connection").asText());

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        await(() -> events.size() == 2);
        assertTrue(events.get(1).startsWith("close "));
        await(() -> server.connections().size() == 0);
    }

    @Test
    void heartbeatsAndPingsAreAnswered() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = connect(client);
        socket.sendText("{\"p\":1}", true).join();
        assertEquals("{\"p\":2}", client.messages.poll(5, TimeUnit.SECONDS));
        socket.sendPing(ByteBuffer.wrap(new byte[] { 1 })).join();
        assertEquals("pong", client.pongs.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void badInputGetsAKuzzleErrorAndTheConnectionStaysUsable() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = connect(client);

        socket.sendText("{not json", true).join();
        final JsonNode notJson = client.next();
        assertEquals(400, notJson.get("status").intValue());
        assertEquals("network.entrypoint.invalid_request", notJson.get("error").get("id").textValue());

        socket.sendText("{\"requestId\":\"r2\",\"body\":{\"x\":[1,2,}}", true).join();
        assertEquals("r2", client.next().get("room").textValue());

        socket.sendText("{\"requestId\":\"r3\",\"controller\":42}", true).join();
        final JsonNode wrongType = client.next();
        assertEquals("r3", wrongType.get("room").textValue());
        assertEquals("api.assert.invalid_type", wrongType.get("error").get("id").textValue());

        socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
        assertEquals("network.entrypoint.invalid_request", client.next().get("error").get("id").textValue());

        final String big = "{\"requestId\":\"r4\",\"body\":{\"pad\":\"" + "x".repeat(MAX_FRAME) + "\"}}";
        socket.sendText(big, true).join();
        final JsonNode tooLarge = client.next();
        assertEquals("r4", tooLarge.get("room").textValue());
        assertEquals(413, tooLarge.get("status").intValue());

        socket.sendText("{\"requestId\":\"r5\",\"action\":\"overload\"}", true).join();
        assertEquals(503, client.next().get("status").intValue());

        socket.sendText("{\"requestId\":\"r6\",\"controller\":\"server\",\"action\":\"now\"}", true).join();
        final JsonNode stillFine = client.next();
        assertEquals("r6", stillFine.get("room").textValue());
        assertEquals(200, stillFine.get("status").intValue());
        assertFalse(client.closed.isDone());
    }

    @Test
    void stoppingTheServerSaysGoingAwayNotNormalClosure() throws Exception
    {
        final TestClient client = new TestClient();
        connect(client);
        await(() -> server.connections().size() == 1);
        server.close();
        assertEquals(1001, client.closed.get(5, TimeUnit.SECONDS));
        server = new EdgeServer("127.0.0.1", 0, 1, MAX_FRAME, echo).start();
    }

    /**
     * Notifications are framed once per event loop by the edge itself: every length class of RFC 6455 (7-bit, 16-bit
     * and 64-bit lengths, and their edges) reaches the client whole, the same frame shared by two connections.
     */
    @Test
    void notificationsOfEveryLengthArriveWhole() throws Exception
    {
        final TestClient first = new TestClient();
        final TestClient second = new TestClient();
        connect(first);
        connect(second);
        await(() -> events.size() == 2);
        final long[] ids = { Long.parseLong(events.get(0).split(" ")[1]), Long.parseLong(events.get(1).split(" ")[1]) };
        for (final int length : new int[] { 10, 125, 126, 127, 65_535, 65_536, 200_000 })
        {
            final String json = "{\"p\":\"" + "y".repeat(length - 8) + "\"}";
            final EdgeConnections.Deliveries deliveries = server.connections().newDeliveries();
            final byte[] frame = json.getBytes(StandardCharsets.UTF_8);
            for (final long id : ids)
            {
                assertTrue(deliveries.add(id, frame));
            }
            deliveries.send();
            for (final TestClient client : List.of(first, second))
            {
                assertEquals(json, client.messages.poll(10, TimeUnit.SECONDS), length + " bytes");
            }
        }
    }

    /**
     * A client that stops reading while notifications keep coming is closed once it leaves more than the limit
     * unread; a client reading alongside it gets every notification and stays connected.
     */
    @Test
    void aClientThatStopsReadingIsClosedAsASlowConsumerAndTheOthersGetEverything() throws Exception
    {
        server.close();
        final long limit = 256 * 1024;
        server = new EdgeServer("127.0.0.1", 0, 1, MAX_FRAME, echo).maxPendingBytes(limit).start();
        final TestClient fast = new TestClient();
        final WebSocket fastSocket = connect(fast);
        await(() -> events.size() == 1);
        final long fastId = Long.parseLong(events.get(0).split(" ")[1]);
        // the JDK client reads its socket only as far as its listener asks: this one never asks
        HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocket.Listener()
            {
                public void onOpen(final WebSocket webSocket)
                {
                }
            }).join();
        await(() -> events.size() == 2);
        final long slowId = Long.parseLong(events.get(1).split(" ")[1]);

        final byte[] notification = ("{\"type\":\"document\",\"padding\":\"" + "x".repeat(16_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        // 32 MB in all: more than the kernel's socket buffers on both sides plus the limit
        for (; sent < 2_000; sent++)
        {
            final EdgeConnections.Deliveries deliveries = server.connections().newDeliveries();
            assertTrue(deliveries.add(fastId, notification));
            deliveries.add(slowId, notification);
            deliveries.send();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!events.contains("close " + slowId) && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertTrue(events.contains("close " + slowId), "the slow consumer was not closed: " + events);
        assertEquals(1, server.connections().slowConsumers());

        for (int i = 0; i < sent; i++)
        {
            final String message = fast.messages.poll(10, TimeUnit.SECONDS);
            assertTrue(null != message && message.length() == notification.length, "notification " + i);
        }
        fastSocket.sendText("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"after\"}", true)
            .join();
        assertEquals("after", fast.next().get("room").textValue());
        assertFalse(fast.closed.isDone());
        assertFalse(events.contains("close " + fastId));
    }

    @Test
    void httpRoutesBecomeRequestsAndUnknownOnesAJsonError() throws IOException, InterruptedException
    {
        final HttpResponse<String> now = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/_now")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, now.statusCode());
        final JsonNode answer = JSON.readTree(now.body());
        assertTrue(answer.get("result").has("connection"), now.body());
        assertEquals(answer.get("requestId").textValue(), answer.get("room").textValue());

        final HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/_nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("api.process.action_not_found", JSON.readTree(unknown.body()).get("error").get("id").textValue());

        final HttpResponse<String> badBody = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/idx/col/_publish"))
            .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badBody.statusCode());
        await(() -> server.connections().size() == 0);
    }
}
