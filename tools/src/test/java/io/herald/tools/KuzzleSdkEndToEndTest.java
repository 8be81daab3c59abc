package io.herald.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official, unchanged kuzzle-sdk (npm, installed in {@code e2e/} by the build) against an embedded Herald:
 * {@code node --test e2e/realtime.test.js}.
 */
class KuzzleSdkEndToEndTest
{
    private static final File E2E = new File("..", "e2e");

    @TempDir
    File data;

    /**
     * @return the first of {@code count} consecutive UDP ports free now, below Linux's ephemeral range (32768 and up)
     * so that no socket the system numbers itself meanwhile (an Aeron publication's source port) takes one of them.
     */
    static int freeUdpPorts(final int count) throws Exception
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(21_000, 32_700 - count);
            final List<DatagramSocket> sockets = new ArrayList<>();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    sockets.add(new DatagramSocket(base + i));
                }
                return base;
            }
            catch (final SocketException ex)
            {
                // taken: try another range
            }
            finally
            {
                sockets.forEach(DatagramSocket::close);
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive UDP ports");
    }

    @Test
    void kuzzleSdkRealtimeSuitePasses() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults(), data, freeUdpPorts(6), 0,
            errors::add))
        {
            runSdkSuite(herald.port());
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    /**
     * {@code herald node} and {@code herald edge} as two processes, each with its own media driver, talking UDP; the
     * same SDK suite; SIGTERM stops both cleanly.
     */
    @Test
    void kuzzleSdkSuitePassesAgainstSeparateEdgeAndNodeProcesses() throws Exception
    {
        final int base = freeUdpPorts(6);
        final int wsPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            wsPort = probe.getLocalPort();
        }
        final List<String> common = List.of("--data", data.getAbsolutePath(),
            "--set", "cluster.members=localhost:" + base, "--set", "edge.answer.port=" + (base + 5),
            "--set", "edge.port=" + wsPort, "--set", "edge.host=127.0.0.1", "--set", "edge.mqtt.port=0",
            "--set", "edge.warmup=0s");
        final Process node = herald("node", common);
        final Process edge = herald("edge", common);
        Process restarted = null;
        try
        {
            final BufferedReader edgeOut = new BufferedReader(new InputStreamReader(edge.getInputStream(),
                StandardCharsets.UTF_8));
            final StringBuilder started = new StringBuilder();
            for (String line = edgeOut.readLine(); null != line; line = edgeOut.readLine())
            {
                started.append(line).append('\n');
                if (line.contains("listening on"))
                {
                    break;
                }
            }
            assertTrue(started.toString().contains("listening on ws://127.0.0.1:" + wsPort), started.toString());

            runSdkSuite(wsPort);

            // the node dies (kill -9) and comes back on the same data: it replays its log, the edge opens a new
            // cluster session by itself, and the suite passes again through the same edge
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            restarted = herald("node", common);
            awaitWritesServed(wsPort, TimeUnit.SECONDS.toNanos(60));
            runSdkSuite(wsPort);

            edge.toHandle().destroy(); // SIGTERM, streams left open (Process.destroy closes them)
            assertTrue(edge.waitFor(20, TimeUnit.SECONDS), "the edge did not stop on SIGTERM");
            final String edgeRest = new String(edge.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(edgeRest.contains("herald: edge stopped"), edgeRest);
            restarted.toHandle().destroy();
            assertTrue(restarted.waitFor(20, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
            final String nodeOut = new String(restarted.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(nodeOut.contains("herald: node 0 stopped"), nodeOut);
            assertTrue(nodeOut.contains("node 0 of 1 started"), nodeOut);
            assertEquals(List.of(), List.of(new File(data, "node-0/driver"), new File(data, "edge-1/driver"),
                new File(data, "edge-1/connections-v1.dat")).stream()
                .filter(File::exists).toList(), "driver directories and the connection table are removed on stop");
        }
        finally
        {
            edge.destroyForcibly();
            node.destroyForcibly();
            if (null != restarted)
            {
                restarted.destroyForcibly();
            }
        }
    }

    private static Process herald(final String role, final List<String> arguments) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(role));
        command.addAll(arguments);
        return TestCluster.herald(command, null);
    }

    /**
     * Waits until the edge serves writes again (a restarted node replays its log and the edge opens a new cluster
     * session: a few seconds): a subscribe is asked every second until one is answered 200. The suite then runs once.
     */
    private static void awaitWritesServed(final int port, final long timeoutNs) throws Exception
    {
        final long deadline = System.nanoTime() + timeoutNs;
        final HttpClient http = HttpClient.newHttpClient();
        String last = "nothing";
        for (int attempt = 0; System.nanoTime() < deadline; attempt++)
        {
            final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
            final WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"),
                new WebSocket.Listener()
                {
                    public CompletionStage<?> onText(
                        final WebSocket webSocket, final CharSequence data, final boolean lastPart)
                    {
                        answers.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
            socket.sendText("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"ready-" + attempt +
                "\",\"index\":\"ready\",\"collection\":\"probe\",\"body\":{}}", true).join();
            final String answer = answers.poll(6, TimeUnit.SECONDS);
            socket.abort();
            if (null != answer && answer.contains("\"status\":200"))
            {
                return;
            }
            last = String.valueOf(answer);
            TimeUnit.SECONDS.sleep(1);
        }
        throw new AssertionError("the edge did not serve writes again within the time: " + last);
    }

    private static void runSdkSuite(final int port) throws Exception
    {
        E2eSuite.run("realtime.test.js", Map.of("HERALD_PORT", Integer.toString(port)), 90);
    }
}
