package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Herald cluster for system tests: {@code aCluster().withNodes(3).start(dir)} runs each node as its own
 * {@code herald node} JVM (logs in {@code <dir>/node-<id>.log}) on loopback, and an edge in the test's JVM on its own
 * media driver. Nodes can be killed (-9) and restarted on their data; the edge's {@code cluster:status} says how the
 * cluster is.
 */
final class TestCluster implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final File data;
    private final String members;
    private final Process[] nodes;
    private final List<Throwable> edgeErrors = new CopyOnWriteArrayList<>();
    private EdgeProcess edge;
    private final List<String> nodeSettings;
    private final int base;
    private final List<Process> extraEdges = new ArrayList<>();
    private int wsPort;

    private TestCluster(
        final File data, final String members, final int nodeCount, final List<String> nodeSettings, final int base)
    {
        this.data = data;
        this.members = members;
        this.nodes = new Process[nodeCount];
        this.nodeSettings = List.copyOf(nodeSettings);
        this.base = base;
    }

    static Builder aCluster()
    {
        return new Builder();
    }

    /**
     * How the cluster starts.
     */
    static final class Builder
    {
        private int nodes = 3;
        private final List<String> nodeSettings = new ArrayList<>();

        Builder withNodes(final int count)
        {
            nodes = count;
            return this;
        }

        /**
         * A {@code key=value} setting for every node.
         */
        Builder withNodeSetting(final String key, final String value)
        {
            nodeSettings.add(key + "=" + value);
            return this;
        }

        /**
         * Starts the nodes and the edge, and waits until the edge sees every node up and a leader.
         */
        TestCluster start(final File data) throws Exception
        {
            final int base = KuzzleSdkEndToEndTest.freeUdpPorts(10 * nodes + 10);
            final StringBuilder members = new StringBuilder();
            for (int id = 0; id < nodes; id++)
            {
                members.append(id == 0 ? "" : ",").append("localhost:").append(base + 10 * id);
            }
            final TestCluster cluster = new TestCluster(data, members.toString(), nodes, nodeSettings, base);
            try
            {
                for (int id = 0; id < nodes; id++)
                {
                    cluster.restart(id);
                }
                try (ServerSocket probe = new ServerSocket(0))
                {
                    cluster.wsPort = probe.getLocalPort();
                }
                cluster.edge = EdgeProcess.start(TestConfig.defaults().with(Map.of(
                    "cluster.members", members.toString(), "edge.answer.port", Integer.toString(base + 10 * nodes),
                    "edge.host", "127.0.0.1", "edge.mqtt.port", "0")), data, null, cluster.wsPort, cluster.edgeErrors::add);
                cluster.awaitStatus(nodes);
                return cluster;
            }
            catch (final Exception | AssertionError ex)
            {
                cluster.close();
                throw ex;
            }
        }
    }

    /**
     * @return a {@code herald <arguments>} JVM on this test's classpath with Herald's JVM flags, output to a file.
     */
    static Process herald(final List<String> arguments, final File output) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(Files.readString(Path.of("target", "classes", "herald-jvm.options")).trim()
            .split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeraldCommand.class.getName()));
        command.addAll(arguments);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (null != output)
        {
            builder.redirectOutput(output);
        }
        return builder.start();
    }

    int wsPort()
    {
        return wsPort;
    }

    /**
     * @return errors the edge's components reported.
     */
    List<Throwable> edgeErrors()
    {
        return edgeErrors;
    }

    /**
     * @return a node's current process.
     */
    Process process(final int node)
    {
        return nodes[node];
    }

    void kill(final int node) throws InterruptedException
    {
        nodes[node].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Starts (or starts again) a node on its data directory.
     */
    void restart(final int node) throws IOException
    {
        final List<String> arguments = new ArrayList<>(List.of("node", "--data", data.getAbsolutePath(), "--id",
            Integer.toString(node), "--set", "cluster.members=" + members));
        nodeSettings.forEach((setting) -> arguments.addAll(List.of("--set", setting)));
        nodes[node] = herald(arguments, new File(data, "node-" + node + ".log"));
    }

    /**
     * Starts another edge as its own {@code herald edge} JVM (log in {@code <dir>/edge-<id>.log}) and waits until it
     * listens.
     *
     * @return the process; its WebSocket port is {@link #edgePort(int)}.
     */
    Process startEdge(final int edgeId) throws Exception
    {
        final File log = new File(data, "edge-" + edgeId + ".log");
        final int answerPort = base + 10 * nodes.length + edgeId;
        final Process edge = herald(List.of("edge", "--data", data.getAbsolutePath(),
            "--set", "cluster.members=" + members, "--set", "edge.id=" + edgeId, "--set", "edge.host=127.0.0.1",
            "--set", "edge.port=" + edgePort(edgeId), "--set", "edge.answer.port=" + answerPort,
            "--set", "edge.mqtt.port=0", "--set", "edge.warmup=0s"), log);
        extraEdges.add(edge);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(log.exists() && Files.readString(log.toPath()).contains("listening on")))
        {
            if (!edge.isAlive() || System.nanoTime() > deadline)
            {
                throw new AssertionError("edge " + edgeId + " did not start: " +
                    (log.exists() ? Files.readString(log.toPath()) : "no log"));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return edge;
    }

    /**
     * @return the WebSocket port of an edge started by {@link #startEdge(int)}.
     */
    int edgePort(final int edgeId)
    {
        return base + 10 * nodes.length + 5 + edgeId;
    }

    /**
     * @return true once the node itself (its cluster directory) names a leader, within 30 s.
     */
    boolean nodeSeesALeader(final int node) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            final ClusterMembership membership = new ClusterMembership();
            try
            {
                if (ClusterTool.listMembers(membership, new File(data, "node-" + node + "/cluster"), 1_000) &&
                    membership.leaderMemberId >= 0)
                {
                    return true;
                }
            }
            catch (final RuntimeException ex)
            {
                // the node is (re)starting: its driver or mark file is not there yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return false;
    }

    /**
     * @return {@code GET /_cluster/status}'s result once it names a leader that calls itself leader and has {@code up}
     *         nodes up (within 30 s).
     */
    JsonNode awaitStatus(final int up) throws Exception
    {
        return awaitStatus(wsPort, up);
    }

    /**
     * Waits until the edge on a port hears every one of {@code nodes} nodes (within 30 s). A node answers an edge's
     * status request on the channel the request names, which is how the node learns where that edge reads: once the
     * edge hears a node, the node can send it notifications of other edges' publishes.
     */
    static void awaitEdgeHearsNodes(final int port, final int nodes) throws Exception
    {
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (System.nanoTime() < deadline)
        {
            final JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/_cluster/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("result");
            last = status.toString();
            int heard = 0;
            for (final JsonNode node : status.path("nodes"))
            {
                heard += "up".equals(node.path("state").textValue()) ? 1 : 0;
            }
            if (heard == nodes)
            {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("the edge on port " + port + " did not hear " + nodes + " node(s): " + last);
    }

    /**
     * @param port the WebSocket/HTTP port of the edge to ask (an edge hears from a node once the node has its status
     *             request, which is how a node learns where to send that edge notifications of other edges' publishes).
     * @return as {@link #awaitStatus(int)}, from that edge.
     */
    JsonNode awaitStatus(final int port, final int up) throws Exception
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
            final int leader = result.get("leader").intValue();
            final boolean leaderOk = leader >= 0 && leader < result.get("nodes").size() &&
                "leader".equals(result.get("nodes").get(leader).path("role").textValue());
            if (leaderOk && upNodes == up)
            {
                return result;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        final StringBuilder logs = new StringBuilder();
        for (int node = 0; null != result && node < result.get("nodes").size(); node++)
        {
            if (!"up".equals(result.get("nodes").get(node).path("state").textValue()))
            {
                logs.append("\n--- node-").append(node).append(".log, last lines:\n").append(tail(node, 30));
            }
        }
        throw new AssertionError("cluster status never showed a leader and " + up + " nodes up: " + result + logs);
    }

    private String tail(final int node, final int lines)
    {
        try
        {
            final List<String> all = Files.readAllLines(new File(data, "node-" + node + ".log").toPath());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    public void close()
    {
        if (null != edge)
        {
            edge.close();
        }
        final List<Process> all = new ArrayList<>(extraEdges);
        for (final Process node : nodes)
        {
            if (null != node)
            {
                all.add(node);
            }
        }
        all.forEach(Process::destroyForcibly);
        for (final Process process : all)
        {
            try
            {
                process.waitFor(10, TimeUnit.SECONDS); // the next test must not share the CPU with dying JVMs
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
