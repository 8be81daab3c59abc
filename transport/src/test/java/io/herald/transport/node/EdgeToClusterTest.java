package io.herald.transport.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.testing.TestClient;
import io.herald.transport.edge.ClusterLink;
import io.herald.transport.edge.EdgeContext;
import io.herald.transport.edge.EdgeServer;
import io.herald.transport.edge.ReadLink;
import io.herald.transport.edge.RequestRing;
import io.herald.transport.edge.RouterAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A WebSocket client's subscribe travels the whole write path: Netty → ring → router → SBE on the cluster ingress →
 * the log → the node service → egress → router → the socket, with a real one-member Aeron Cluster.
 */
class EdgeToClusterTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private ClusterNode node;
    private Aeron aeron;
    private EdgeServer server;
    private AgentRunner runner;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(runner, server, aeron, node);
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private static JsonNode ask(final WebSocket socket, final TestClient client, final String request) throws Exception
    {
        socket.sendText(request, true).join();
        final String answer = client.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(answer, "no answer to " + request);
        return JSON.readTree(answer);
    }

    @BeforeEach
    void start() throws Exception
    {
        final int ingress = TestPorts.freeUdpPort();
        final String members = TestPorts.oneMember(ingress);
        final String readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        node = ClusterNode.launch(0, members, base, true, 500,
            new NodeService(new FilterEngineContext(), readChannel), errors::add);
        final String answerChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        final ClusterLink link = new ClusterLink(new AeronCluster.Context()
            .aeronDirectoryName(node.aeronDirectoryName())
            .ingressChannel("aeron:udp?term-length=128k")
            .ingressEndpoints("0=localhost:" + ingress)
            .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k"), 1, answerChannel);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
        final ReadLink reads = new ReadLink(aeron, readChannel, answerChannel, 1);
        final RequestRing ring = new RequestRing(1024);
        server = new EdgeServer("127.0.0.1", 0, 1, 1 << 16, ring).start();
        runner = new AgentRunner(new BackoffIdleStrategy(), errors::add, null,
            new RouterAgent(new EdgeContext().ring(ring).connections(server.connections()).version("0.1.0").pollLimit(64)
                .clusterLink(link).readLink(reads)));
        AgentRunner.startOnThread(runner);
    }

    private WebSocket connect(final TestClient client)
    {
        return HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port()), client).join();
    }

    @Test
    void publishNotifiesEverySubscriberOnceWithThePublishersVolatile() throws Exception
    {
        final TestClient a = new TestClient();
        final TestClient b = new TestClient();
        final TestClient publisher = new TestClient();
        final WebSocket socketA = connect(a);
        final WebSocket socketB = connect(b);
        final WebSocket socketP = connect(publisher);
        final String roomA = ask(socketA, a, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"a1\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"equals\":{\"a\":1}}}")
            .get("result").get("channel").textValue();
        final String roomB = ask(socketB, b, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"b1\",\"index\":\"idx\",\"collection\":\"col\"," +
            "\"body\":{\"range\":{\"n\":{\"gt\":0}}}}").get("result").get("channel").textValue();

        final JsonNode published = ask(socketP, publisher, "{\"controller\":\"realtime\",\"action\":\"publish\"," +
            "\"requestId\":\"p1\",\"index\":\"idx\",\"collection\":\"col\",\"_id\":\"doc-1\"," +
            "\"body\":{\"a\":1,\"n\":5},\"volatile\":{\"sdkInstanceId\":\"pub\"}}");
        assertEquals(JSON.readTree("{\"published\":true}"), published.get("result"));

        final JsonNode toA = JSON.readTree(a.messages.poll(10, TimeUnit.SECONDS));
        assertEquals(roomA, toA.get("room").textValue());
        assertEquals("document", toA.get("type").textValue());
        assertEquals("p1", toA.get("requestId").textValue());
        assertEquals("pub", toA.get("volatile").get("sdkInstanceId").textValue());
        assertEquals("doc-1", toA.get("result").get("_id").textValue());
        assertEquals(1, toA.get("result").get("_source").get("a").intValue());
        assertEquals("-1", toA.get("result").get("_source").get("_kuzzle_info").get("author").textValue());
        final JsonNode toB = JSON.readTree(b.messages.poll(10, TimeUnit.SECONDS));
        assertEquals(roomB, toB.get("room").textValue());

        final HttpResponse<String> curl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/idx/col/_publish?_id=doc-2"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, curl.statusCode(), curl.body());
        assertEquals(JSON.readTree("{\"published\":true}"), JSON.readTree(curl.body()).get("result"));
        final JsonNode viaHttp = JSON.readTree(a.messages.poll(10, TimeUnit.SECONDS));
        assertEquals("doc-2", viaHttp.get("result").get("_id").textValue());

        final JsonNode nobody = ask(socketP, publisher, "{\"controller\":\"realtime\",\"action\":\"publish\"," +
            "\"requestId\":\"p2\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"a\":2,\"n\":-1}}");
        assertEquals(200, nobody.get("status").intValue());
        final JsonNode third = ask(socketP, publisher, "{\"controller\":\"realtime\",\"action\":\"publish\"," +
            "\"requestId\":\"p3\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"a\":1}}");
        assertEquals(200, third.get("status").intValue());
        // A's next notification is the third publish's: the second one reached nobody
        assertEquals("p3", JSON.readTree(a.messages.poll(10, TimeUnit.SECONDS)).get("requestId").textValue());
        assertNull(b.messages.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void subscribeJoinAndUnsubscribeGoThroughTheCluster() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = connect(client);
        final String room = new FilterEngine().normalize("idx/col", JSON.readTree("{\"exists\":\"name\"}")).id();

        final JsonNode subscribed = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"s1\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"exists\":\"name\"}," +
            "\"volatile\":{\"sdkInstanceId\":\"x\"}}");
        assertEquals("s1", subscribed.get("room").textValue());
        assertEquals(200, subscribed.get("status").intValue());
        assertEquals(room, subscribed.get("result").get("roomId").textValue());
        assertEquals(room + "-an", subscribed.get("result").get("channel").textValue());

        final JsonNode badFilter = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"s2\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"exist\":\"name\"}}");
        assertEquals("s2", badFilter.get("room").textValue());
        assertEquals(400, badFilter.get("status").intValue());
        assertEquals("api.assert.koncorde_dsl_error", badFilter.get("error").get("id").textValue());
        assertEquals("\"exist\": unknown keyword", badFilter.get("error").get("message").textValue());

        final JsonNode joined = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"join\"," +
            "\"requestId\":\"j1\",\"body\":{\"roomId\":\"" + room + "\"},\"users\":\"all\"}");
        assertEquals(room + "-aa", joined.get("result").get("channel").textValue());
        final JsonNode joinedNotification = client.notifications.isEmpty() ? client.next() : client.notifications.poll();
        assertEquals("user", joinedNotification.get("type").textValue());
        assertEquals("in", joinedNotification.get("user").textValue());
        assertEquals(room + "-aa", joinedNotification.get("room").textValue());
        final JsonNode count = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"count\"," +
            "\"requestId\":\"c1\",\"body\":{\"roomId\":\"" + room + "\"}}");
        assertEquals(1, count.get("result").get("count").intValue(), count.toString());
        final JsonNode list = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"list\"," +
            "\"requestId\":\"l1\"}");
        assertEquals(JSON.readTree("{\"idx\":{\"col\":{\"" + room + "\":1}}}"), list.get("result"));
        final JsonNode valid = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"validate\"," +
            "\"requestId\":\"v1\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"exists\":\"a\"}}");
        assertEquals(JSON.readTree("{\"valid\":true}"), valid.get("result"));
        final JsonNode invalid = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"validate\"," +
            "\"requestId\":\"v2\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{\"exist\":\"a\"}}");
        assertEquals(false, invalid.get("result").get("valid").booleanValue());
        assertEquals("\"exist\": unknown keyword", invalid.get("result").get("errorMessages").get(0).textValue());
        final JsonNode noRoom = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"join\"," +
            "\"requestId\":\"j2\",\"body\":{\"roomId\":\"nope\"}}");
        assertEquals(404, noRoom.get("status").intValue());

        final JsonNode left = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"unsubscribe\"," +
            "\"requestId\":\"u1\",\"body\":{\"roomId\":\"" + room + "\"}}");
        assertEquals(JSON.readTree("{\"roomId\":\"" + room + "\"}"), left.get("result"));
        final JsonNode again = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"unsubscribe\"," +
            "\"requestId\":\"u2\",\"body\":{\"roomId\":\"" + room + "\"}}");
        assertEquals(412, again.get("status").intValue());
        assertEquals("core.realtime.not_subscribed", again.get("error").get("id").textValue());

        final JsonNode badScope = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
            "\"requestId\":\"s3\",\"index\":\"idx\",\"collection\":\"col\",\"body\":{},\"scope\":\"sideways\"}");
        assertEquals("api.assert.invalid_argument", badScope.get("error").get("id").textValue());
        final JsonNode gone = ask(socket, client, "{\"controller\":\"realtime\",\"action\":\"count\"," +
            "\"requestId\":\"c2\",\"body\":{\"roomId\":\"" + room + "\"}}");
        assertEquals(404, gone.get("status").intValue());
        assertEquals("core.realtime.room_not_found", gone.get("error").get("id").textValue());
    }
}
