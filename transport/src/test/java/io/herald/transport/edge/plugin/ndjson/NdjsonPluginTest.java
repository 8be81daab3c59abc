package io.herald.transport.edge.plugin.ndjson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.transport.edge.EdgeContext;
import io.herald.transport.edge.EdgeServer;
import io.herald.transport.edge.RequestRing;
import io.herald.transport.edge.RouterAgent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example plugin, found on the classpath like any third-party plugin, serves Kuzzle requests over its own TCP
 * listener through the edge's router: what a plugin needs is one package and one {@code META-INF/services} line.
 */
class NdjsonPluginTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private EdgeServer server;
    private AgentRunner router;

    @AfterEach
    void stop()
    {
        if (null != router)
        {
            router.close();
        }
        server.close();
        assertEquals(List.of(), errors, "the router may report no error");
    }

    @Test
    void requestsOverLineDelimitedJsonAreAnsweredByTheEdge() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final RequestRing ring = new RequestRing(1024);
        server = new EdgeServer("127.0.0.1", 0, 1, 1 << 16, ring)
            .pluginSettings(Map.of(NdjsonPlugin.PORT_SETTING, Integer.toString(port))).start();
        assertTrue(server.protocols().contains("ndjson"), server.protocols().toString());
        router = new AgentRunner(new BackoffIdleStrategy(), errors::add, null,
            new RouterAgent(new EdgeContext().ring(ring).connections(server.connections()).version("0.1.0")
                .pollLimit(64).publicApi(server.publicApi())));
        AgentRunner.startOnThread(router);

        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            final BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8));
            out.write(("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"1\"}\n" +
                "{\"requestId\":\"2\",\"controller\":\"realtime\",\"action\":\"validate\"," +
                "\"body\":{\"equals\":{\"a\":1}}}\n" +
                "{\"requestId\":\"3\",\"oops\n" +
                "{\"controller\":\"server\",\"action\":\"publicApi\",\"requestId\":\"4\"}\n")
                .getBytes(StandardCharsets.UTF_8));
            // answers come by room: one a plugin gives itself (a broken line) may overtake the router's
            final Map<String, JsonNode> answers = new HashMap<>();
            for (int i = 0; i < 4; i++)
            {
                final JsonNode answer = JSON.readTree(in.readLine());
                answers.put(answer.get("room").textValue(), answer);
            }
            assertTrue(answers.get("1").get("result").get("now").longValue() > 0, answers.toString());
            assertEquals(true, answers.get("2").get("result").get("valid").booleanValue(), answers.toString());
            assertEquals(400, answers.get("3").get("status").intValue());
            assertEquals("/:index/:collection/_publish", answers.get("4").get("result").get("realtime")
                .get("publish").get("http").get(0).get("url").textValue());
        }
    }
}
