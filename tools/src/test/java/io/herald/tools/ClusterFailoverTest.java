package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.testing.TestClient;
import io.herald.tools.bench.MetricsText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code herald node} processes and an edge ({@link TestCluster}); the real kuzzle-sdk subscribes and publishes
 * steadily while the leader is killed with -9: no connection closes, every acknowledged publish is notified exactly
 * once, publishes keep flowing, subscribes resume after the election, and the killed node, restarted, rejoins. A full
 * restart keeps the subscriptions of open connections.
 */
class ClusterFailoverTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File E2E = new File("..", "e2e");

    @TempDir
    File data;

    private TestCluster cluster;

    @AfterEach
    void stop()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void killingTheLeaderLosesNothingAcknowledgedAndTheNodeComesBack() throws Exception
    {
        killUnderLoad(true);
    }

    @Test
    void killingAFollowerLosesNothingAcknowledgedAndTheNodeComesBack() throws Exception
    {
        killUnderLoad(false);
    }

    private void killUnderLoad(final boolean theLeader) throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(3).start(data);
        final JsonNode before = cluster.awaitStatus(3);
        final int leader = theLeader ? before.get("leader").intValue() : (before.get("leader").intValue() + 1) % 3;

        final File killFile = new File(data, "killed-at");
        final E2eScript script = new E2eScript("failover.js", Map.of("HERALD_PORT",
            Integer.toString(cluster.wsPort()), "SECONDS_TO_RUN", "10", "KILL_FILE", killFile.getAbsolutePath()));
        script.awaitReady();
        TimeUnit.SECONDS.sleep(3);
        final long killedAt = System.currentTimeMillis();
        cluster.kill(leader);
        Files.writeString(killFile.toPath(), Long.toString(killedAt));
        cluster.restart(leader);

        final String output = script.finish();
        System.out.println("failover (" + (theLeader ? "leader " : "follower ") + leader + " killed): " + output);
        final JsonNode result = E2eScript.result(output);
        assertTrue(result.get("acked").intValue() > 500, output);
        assertEquals(0, result.get("refused").intValue(), output);
        assertEquals(0, result.get("missing").intValue(), "acknowledged publishes never notified: " + output);
        assertEquals(0, result.get("duplicates").intValue(), "notified twice: " + output);
        assertEquals(0, result.get("disconnected").intValue(), "a client connection closed: " + output);
        assertTrue(result.get("subscribeResumedAfterMs").intValue() >= 0, "subscribes never resumed: " + output);

        // the restarted node rejoins the cluster: it sees a leader again, and the edge sees all three nodes up
        assertTrue(cluster.nodeSeesALeader(leader));
        final JsonNode after = cluster.awaitStatus(3);
        assertTrue(after.get("nodes").get(leader).get("pid").longValue() != before.get("nodes").get(leader)
            .get("pid").longValue(), "the restarted node is a new process: " + after);
        assertEquals(List.of(), cluster.edgeErrors(), "no edge component may report an error");
    }

    /**
     * Four kuzzle-sdk connections issue a subscribe, join or unsubscribe every 20 ms each while the leader is killed
     * with -9 (and restarted): every write is answered with success (those in flight at the kill go again to the new
     * leader and apply once), the edge answers each request once, and the rooms every node lists equal what the
     * clients were told.
     */
    @Test
    void writesIssuedThroughALeaderKillAreEachAnsweredOnceWithSuccess() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(3).start(data);
        final int leader = cluster.awaitStatus(3).get("leader").intValue();
        final File killFile = new File(data, "killed-at");
        final E2eScript script = new E2eScript("writes-failover.js", Map.of("HERALD_PORT",
            Integer.toString(cluster.wsPort()), "SECONDS_TO_RUN", "8", "CONNECTIONS", "4", "KILL_FILE",
            killFile.getAbsolutePath()));
        script.awaitReady();
        TimeUnit.SECONDS.sleep(2); // writes flowing before the kill
        final long killedAt = System.currentTimeMillis();
        cluster.kill(leader);
        Files.writeString(killFile.toPath(), Long.toString(killedAt));
        cluster.restart(leader);

        final String output = script.finish();
        final Map<String, Long> metrics = edgeMetrics();
        System.out.println("writes through a leader kill: " + output + "; edge: " + metrics);
        final JsonNode result = E2eScript.result(output);
        assertTrue(result.get("issued").intValue() > 300, output);
        assertTrue(result.get("nearKill").intValue() > 0, "writes were issued around the kill: " + output);
        assertEquals(0, result.get("failed").intValue(), "every write answered with success: " + output);
        assertEquals(0, result.get("disconnected").intValue(), "no client connection closed: " + output);
        assertTrue(result.get("listsAgree").booleanValue(), "every node lists what the clients hold: " + output);
        assertEquals(metrics.get("herald_requests_total"), metrics.get("herald_answers_total"),
            "every request answered once: " + metrics);
        assertEquals(List.of(), cluster.edgeErrors(), "no edge component may report an error");
    }

    /**
     * Edge B starts for the first time, the node restarts (kill -9), then B is killed and starts again, all while
     * edge A publishes 200/s: a subscriber on B, from the moment its subscribe is acknowledged, gets every publish A
     * has acknowledged, exactly once. A node learns where B reads from B's reset in the cluster log (replayed by a
     * restarted node too), not from B's next status request up to a second later; the test never waits for B to hear
     * the nodes.
     */
    @Test
    void anEdgeGetsOtherEdgesPublishesFromItsFirstSubscribeThroughNodeAndEdgeRestarts() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(1).start(data);
        final int edgeB = 4;
        final E2eScript script = new E2eScript("edge-restart.js", Map.of("HERALD_PORT_A",
            Integer.toString(cluster.wsPort()), "HERALD_PORT_B", Integer.toString(cluster.edgePort(edgeB)),
            "SECONDS_TO_RUN", "50", "AFTER_SECONDS", "3"));
        script.awaitReady();
        final Process first = cluster.startEdge(edgeB);
        TimeUnit.SECONDS.sleep(2); // A publishing to B's subscriber
        cluster.kill(0);
        cluster.restart(0);
        cluster.awaitStatus(1);
        TimeUnit.SECONDS.sleep(2); // and again, through the restarted node
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        cluster.startEdge(edgeB);

        final String output = script.finish();
        System.out.println("edge B started, node and B restarted under A's publishes: " + output);
        assertEquals(0, script.exitValue(), output);
        final JsonNode result = E2eScript.result(output);
        assertTrue(result.get("beforeLost").booleanValue(), output);
        for (final String subscriber : List.of("before", "after"))
        {
            final JsonNode verdict = result.get(subscriber);
            assertTrue(verdict.get("subscribed").booleanValue(), subscriber + ": " + output);
            assertTrue(verdict.get("due").intValue() > 50, subscriber + ": " + output);
            assertEquals(0, verdict.get("missing").intValue(), subscriber + " missed publishes: " + output);
            assertEquals(0, verdict.get("duplicates").intValue(), subscriber + " got publishes twice: " + output);
        }
        assertEquals(List.of(), cluster.edgeErrors(), "no edge component may report an error");
    }

    /**
     * @return the edge's counters by name (labels summed).
     */
    private Map<String, Long> edgeMetrics() throws Exception
    {
        final URI metrics = URI.create("http://127.0.0.1:" + cluster.wsPort() + "/metrics");
        return MetricsText.sumsByName(HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
            HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * An edge process killed with -9 while a client is subscribed on it: once its cluster session times out and its
     * grace period ends (2 s + 1 s here), the cluster drops its subscriptions and a "users: all" subscriber on the
     * surviving edge hears the user leave with the volatile it subscribed with.
     */
    @Test
    void aKilledEdgesSubscriptionsAreDroppedAndItsUsersToldOut() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(1).withNodeSetting("cluster.session.timeout", "2s")
            .withNodeSetting("cluster.edge.expiry", "1s").start(data);
        final Process doomed = cluster.startEdge(2);
        TestCluster.awaitEdgeHearsNodes(cluster.edgePort(2), 1);

        final E2eScript script = new E2eScript("edge-death.js", Map.of(
            "HERALD_PORT_A", Integer.toString(cluster.wsPort()), "HERALD_PORT_B", Integer.toString(cluster.edgePort(2))));
        script.awaitReady();
        final long killedAt = System.nanoTime();
        doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        final String output = script.finish();
        final long outAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("edge killed: " + output + " (within " + outAfterMs + " ms of the kill)");
        assertEquals(0, script.exitValue(), output);
        final JsonNode result = E2eScript.result(output);
        assertEquals(1, result.get("count").intValue(), "the dead edge's subscription left the room: " + output);
        assertEquals("doomed", result.get("volatile").get("name").textValue(), output);
        assertTrue(outAfterMs >= 2_000, "not before the session timeout: " + outAfterMs + " ms");
        assertEquals(List.of(), cluster.edgeErrors(), "no edge component may report an error");
    }

    /**
     * An edge frozen (SIGSTOP) longer than its session timeout and grace period comes back to a cluster that gave it
     * up: it closes its client connections, and the SDK reconnects and subscribes again by itself.
     */
    @Test
    void anEdgeGivenUpClosesItsConnectionsAndItsClientsComeBack() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(1).withNodeSetting("cluster.session.timeout", "2s")
            .withNodeSetting("cluster.edge.expiry", "1s").start(data);
        final Process frozen = cluster.startEdge(3);
        TestCluster.awaitEdgeHearsNodes(cluster.edgePort(3), 1);

        final E2eScript script = new E2eScript("edge-freeze.js", Map.of(
            "HERALD_PORT_A", Integer.toString(cluster.wsPort()), "HERALD_PORT_B", Integer.toString(cluster.edgePort(3))));
        script.awaitReady();
        signal("STOP", frozen);
        TimeUnit.MILLISECONDS.sleep(5_000);
        signal("CONT", frozen);

        final String output = script.finish();
        System.out.println("edge frozen 5 s: " + output);
        assertEquals(0, script.exitValue(), () -> output + "\nedge log:\n" +
            readQuietly(new File(data, "edge-3.log")));
        final JsonNode result = E2eScript.result(output);
        assertTrue(result.get("reconnected").intValue() >= 1, output);
    }

    /**
     * A script of {@code e2e/} run with node: it prints "ready" once set up, its result as a JSON line last.
     */
    private static final class E2eScript
    {
        private final String file;
        private final Process process;
        private final BufferedReader out;

        E2eScript(final String file, final Map<String, String> environment) throws IOException
        {
            this.file = file;
            final ProcessBuilder builder = new ProcessBuilder("node", file).directory(E2E).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void awaitReady() throws IOException
        {
            final String first = out.readLine();
            assertEquals("ready", first, () -> file + " did not get ready: " + first + "\n" + rest());
        }

        /**
         * @return what the script printed after "ready", once it ended (within 60 s).
         */
        String finish() throws InterruptedException
        {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), file + " did not finish");
            return rest();
        }

        int exitValue()
        {
            return process.exitValue();
        }

        private String rest()
        {
            return out.lines().reduce("", (a, b) -> a + b + "\n").trim();
        }

        /**
         * @return the JSON of the output's last line.
         */
        static JsonNode result(final String output) throws IOException
        {
            return JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
        }
    }

    private static String readQuietly(final File file)
    {
        try
        {
            return Files.readString(file.toPath());
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void signal(final String name, final Process process) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
    }

    /**
     * Every node stops (kill -9) and starts again on its data: the subscriptions of connections still open on the edge
     * come back from the snapshots and the log, and the same socket is notified again without resubscribing.
     */
    private String statusQuietly()
    {
        try
        {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                cluster.wsPort() + "/_cluster/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final Exception ex)
        {
            return String.valueOf(ex);
        }
    }

    @Test
    void aFullClusterRestartKeepsTheSubscriptionsOfOpenConnections() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(3).start(data);
        final TestClient client = new TestClient();
        final LinkedBlockingQueue<String> received = client.messages;
        final WebSocket socket = TestClient.connect(client, cluster.wsPort(), "/");
        socket.sendText("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"s\"," +
            "\"index\":\"i\",\"collection\":\"c\",\"body\":{\"equals\":{\"k\":\"v\"}}}", true).join();
        assertTrue(received.poll(10, TimeUnit.SECONDS).contains("\"status\":200"), "subscribed");

        for (int node = 0; node < 3; node++)
        {
            cluster.kill(node);
        }
        for (int node = 0; node < 3; node++)
        {
            cluster.restart(node);
        }
        cluster.awaitStatus(3);

        // the same socket, never resubscribed: a publish from another connection reaches it
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final List<String> answers = new ArrayList<>();
        String notification = null;
        while (null == notification && System.nanoTime() < deadline)
        {
            final HttpResponse<String> published = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.wsPort() + "/i/c/_publish"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            answers.add(published.statusCode() + " " + published.body());
            if (published.statusCode() == 200)
            {
                notification = received.poll(5, TimeUnit.SECONDS);
            }
            else
            {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        final String seen = String.join("\n", answers);
        final String last = notification;
        assertTrue(null != last && last.contains("\"type\":\"document\""),
            () -> "the subscription survived the restart: " + last + "; publishes answered:\n" + seen +
            "\nmessages on the socket: " + received + "\ncluster: " + statusQuietly());
        assertFalse(socket.isInputClosed(), "the client connection stayed open");
        socket.abort();
    }
}
