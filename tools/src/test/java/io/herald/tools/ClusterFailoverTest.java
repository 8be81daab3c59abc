package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import io.herald.tools.config.HeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code herald node} processes and an edge; the real kuzzle-sdk subscribes and publishes steadily while the
 * leader is killed with -9: no connection closes, every acknowledged publish is notified exactly once, publishes keep
 * flowing, subscribes resume after the election, and the killed node, restarted, rejoins.
 */
class ClusterFailoverTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File E2E = new File("..", "e2e");

    @TempDir
    File data;

    private final List<Process> processes = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private EdgeProcess edge;

    @AfterEach
    void stop()
    {
        if (null != edge)
        {
            edge.close();
        }
        processes.forEach(Process::destroyForcibly);
    }

    private Process node(final int id, final String members) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Files.readString(Path.of("target", "classes", "herald-jvm.options")).trim()
            .split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeraldCommand.class.getName(), "node",
            "--data", data.getAbsolutePath(), "--id", Integer.toString(id), "--set", "cluster.members=" + members));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(new File(data, "node-" + id + ".log")).start();
        processes.add(process);
        return process;
    }

    private int leader(final int askNode) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            final ClusterMembership membership = new ClusterMembership();
            try
            {
                if (ClusterTool.listMembers(membership, new File(data, "node-" + askNode + "/cluster"), 1_000) &&
                    membership.leaderMemberId >= 0)
                {
                    return membership.leaderMemberId;
                }
            }
            catch (final RuntimeException ex)
            {
                // the node is (re)starting: its driver or mark file is not there yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no leader seen by node " + askNode);
    }

    /**
     * @param leader the leader expected, or -1 for any (then the named leader must call itself leader).
     * @return {@code GET /_cluster/status}'s result once it names the leader and has {@code up} nodes up.
     */
    private static JsonNode awaitStatus(final int port, final int leader, final int up) throws Exception
    {
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode result = null;
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/_cluster/status")).build(),
                HttpResponse.BodyHandlers.ofString());
            result = JSON.readTree(response.body()).get("result");
            int upNodes = 0;
            for (final JsonNode node : result.get("nodes"))
            {
                upNodes += "up".equals(node.get("state").textValue()) ? 1 : 0;
            }
            final int named = result.get("leader").intValue();
            final boolean leaderOk = leader >= 0 ? named == leader : named >= 0 &&
                named < result.get("nodes").size() && result.get("nodes").get(named).has("role") &&
                "leader".equals(result.get("nodes").get(named).get("role").textValue());
            if (leaderOk && upNodes == up)
            {
                return result;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("cluster status never showed leader " + leader + " and " + up + " nodes up: " +
            result);
    }

    @Test
    void killingTheLeaderLosesNothingAcknowledgedAndTheNodeComesBack() throws Exception
    {
        final int base = 40_000 + (int)(ProcessHandle.current().pid() % 200) * 100;
        final String members = "localhost:" + base + ",localhost:" + (base + 10) + ",localhost:" + (base + 20);
        final List<Process> nodes = new ArrayList<>(List.of(node(0, members), node(1, members), node(2, members)));
        final int wsPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            wsPort = probe.getLocalPort();
        }
        final HeraldConfig config = HeraldConfig.defaults().with(Map.of("cluster.members", members,
            "edge.answer.port", Integer.toString(base + 30), "edge.host", "127.0.0.1"));
        edge = EdgeProcess.start(config, data, null, wsPort, errors::add);
        final JsonNode before = awaitStatus(wsPort, -1, 3);
        final int leader = before.get("leader").intValue();

        final ProcessBuilder script = new ProcessBuilder("node", "failover.js").directory(E2E)
            .redirectErrorStream(true);
        script.environment().put("HERALD_PORT", Integer.toString(wsPort));
        script.environment().put("SECONDS_TO_RUN", "10");
        final File killFile = new File(data, "killed-at");
        script.environment().put("KILL_FILE", killFile.getAbsolutePath());
        final Process run = script.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(),
            StandardCharsets.UTF_8));
        final String ready = out.readLine();
        assertEquals("ready", ready, "the failover script did not start publishing");
        TimeUnit.SECONDS.sleep(3);
        final long killedAt = System.currentTimeMillis();
        nodes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.writeString(killFile.toPath(), Long.toString(killedAt));
        nodes.set(leader, node(leader, members));

        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the failover script did not finish");
        final String output = new String(out.lines().reduce("", (a, b) -> a + b + "\n")).trim();
        System.out.println("failover (leader " + leader + " killed): " + output);
        final JsonNode result = JSON.readTree(output.substring(output.lastIndexOf('{')));
        assertTrue(result.get("acked").intValue() > 500, output);
        assertEquals(0, result.get("refused").intValue(), output);
        assertEquals(0, result.get("missing").intValue(), "acknowledged publishes never notified: " + output);
        assertEquals(0, result.get("duplicates").intValue(), "notified twice: " + output);
        assertEquals(0, result.get("disconnected").intValue(), "a client connection closed: " + output);
        assertTrue(result.get("subscribeResumedAfterMs").intValue() >= 0, "subscribes never resumed: " + output);

        // the restarted node rejoins the cluster: it sees a leader again, and the edge sees all three nodes up
        assertTrue(leader(leader) >= 0);
        final JsonNode after = awaitStatus(wsPort, -1, 3);
        assertTrue(after.get("nodes").get(leader).get("pid").longValue() != before.get("nodes").get(leader)
            .get("pid").longValue(), "the restarted node is a new process: " + after);
        assertEquals(List.of(), errors, "no edge component may report an error");
    }

    /**
     * Every node stops (kill -9) and starts again on its data: the subscriptions of connections still open on the edge
     * come back from the snapshots and the log, and the same socket is notified again without resubscribing.
     */
    @Test
    void aFullClusterRestartKeepsTheSubscriptionsOfOpenConnections() throws Exception
    {
        final int base = 45_000 + (int)(ProcessHandle.current().pid() % 150) * 100;
        final String members = "localhost:" + base + ",localhost:" + (base + 10) + ",localhost:" + (base + 20);
        final List<Process> nodes = new ArrayList<>(List.of(node(0, members), node(1, members), node(2, members)));
        final int wsPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            wsPort = probe.getLocalPort();
        }
        edge = EdgeProcess.start(HeraldConfig.defaults().with(Map.of("cluster.members", members,
            "edge.answer.port", Integer.toString(base + 30), "edge.host", "127.0.0.1")), data, null, wsPort,
            errors::add);
        awaitStatus(wsPort, -1, 3);

        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + wsPort + "/"), new WebSocket.Listener()
            {
                private final StringBuilder text = new StringBuilder();

                public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
                {
                    text.append(data);
                    if (last)
                    {
                        received.add(text.toString());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).join();
        socket.sendText("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"s\"," +
            "\"index\":\"i\",\"collection\":\"c\",\"body\":{\"equals\":{\"k\":\"v\"}}}", true).join();
        assertTrue(received.poll(10, TimeUnit.SECONDS).contains("\"status\":200"), "subscribed");

        for (final Process node : nodes)
        {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (int id = 0; id < 3; id++)
        {
            nodes.set(id, node(id, members));
        }
        awaitStatus(wsPort, -1, 3);

        // the same socket, never resubscribed: a publish from another connection reaches it
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String notification = null;
        while (null == notification && System.nanoTime() < deadline)
        {
            final HttpResponse<String> published = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + wsPort + "/i/c/_publish"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            if (published.statusCode() == 200)
            {
                notification = received.poll(5, TimeUnit.SECONDS);
            }
            else
            {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        assertTrue(null != notification && notification.contains("\"type\":\"document\""),
            "the subscription survived the restart: " + notification);
        assertFalse(socket.isInputClosed(), "the client connection stayed open");
        socket.abort();
    }
}
