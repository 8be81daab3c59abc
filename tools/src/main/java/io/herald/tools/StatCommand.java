package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.edge.ConnectionTable;
import io.herald.transport.node.DriverDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code herald stat}: a running edge's connection table, read live from its Chronicle Map file (another process;
 * the edge is not asked anything), then the cluster as that edge sees it (its {@code GET /_cluster/status}).
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show an edge's connection table and the counters of the edge and nodes under --data (read live " +
        "from their files), or with --node the nodes' counters only.")
public final class StatCommand implements Callable<Integer>
{
    @Mixin
    ConfigOptions options;

    @Option(names = "--node", description = "Only the counters of the nodes under --data (on a host without an edge).")
    boolean nodeOnly;

    public Integer call() throws Exception
    {
        final HeraldConfig config = options.load();
        if (nodeOnly)
        {
            return printCounters(null) > 0 ? 0 : fail("no node counters under " + options.data +
                " (is a node running with --data " + options.data + "?)");
        }
        final int edgeId = config.get(HeraldSettings.EDGE_ID);
        final File directory = EdgeProcess.directory(options.data, edgeId);
        final long now = System.currentTimeMillis();
        final List<String> lines = new ArrayList<>();
        final long[] totals = new long[3];
        final long[] pid = { -1 };
        final boolean found = ConnectionTable.read(directory, (row) ->
        {
            pid[0] = row.getEdgePid();
            totals[0] += row.getRequestsIn();
            totals[1] += row.getNotificationsOut();
            totals[2] += row.getSubscriptionCount();
            lines.add(String.format(Locale.ROOT, "%12d  %-9s  %-28s  %10s  %10d  %12d  %6d",
                row.getConnectionId(), ConnectionTable.protocolName(row.getProtocol()),
                row.getRemoteAddress(), age(now - row.getConnectedAtMs()), row.getRequestsIn(),
                row.getNotificationsOut(), row.getSubscriptionCount()));
        });
        if (!found)
        {
            return fail("no connection table in " + directory + " (is an edge with edge.id=" + edgeId +
                " running with --data " + options.data + "?)");
        }
        final boolean alive = pid[0] < 0 || ProcessHandle.of(pid[0]).map(ProcessHandle::isAlive).orElse(false);
        System.out.printf(Locale.ROOT, "edge %d%s: %d connection(s), %d request(s) in, %d notification(s) out, " +
            "%d subscription(s)%n", edgeId, pid[0] < 0 ? "" : " (pid " + pid[0] + (alive ? "" : ", not running") + ")",
            lines.size(), totals[0], totals[1], totals[2]);
        if (!lines.isEmpty())
        {
            System.out.printf(Locale.ROOT, "%12s  %-9s  %-28s  %10s  %10s  %12s  %6s%n", "connection", "protocol",
                "remote", "connected", "requests", "notified", "subs");
            lines.forEach(System.out::println);
        }
        printCounters(directory);
        printCluster(config);
        return 0;
    }

    /**
     * Herald's counters, live, from the media drivers under the data directory: this edge's own, and the nodes' (an
     * edge sharing a process with a node counts in that node's driver).
     */
    private int printCounters(final File edgeDirectory)
    {
        final List<File> drivers = new ArrayList<>();
        if (null != edgeDirectory)
        {
            drivers.addAll(DriverDirectory.candidates(edgeDirectory));
        }
        final File[] nodes = options.data.listFiles((file) -> file.isDirectory() && file.getName().startsWith("node-"));
        if (null != nodes)
        {
            Arrays.sort(nodes);
            for (final File node : nodes)
            {
                drivers.addAll(DriverDirectory.candidates(node));
            }
        }
        int printed = 0;
        for (final File driver : drivers)
        {
            final Map<String, Long> counters = CountersFile.read(driver);
            if (!counters.isEmpty())
            {
                System.out.println("counters in " + driver + ":");
                counters.forEach((label, value) -> System.out.printf(Locale.ROOT, "  %-72s %12d%n", label, value));
                printed += counters.size();
            }
        }
        return printed;
    }

    private static int fail(final String message)
    {
        System.out.println("herald: " + message);
        return 1;
    }

    /**
     * The cluster as the running edge sees it ({@code GET /_cluster/status} on its port).
     */
    private static void printCluster(final HeraldConfig config)
    {
        final int port = config.get(HeraldSettings.EDGE_PORT);
        final JsonNode status;
        try
        {
            final HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_cluster/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            status = new ObjectMapper().readTree(response.body()).path("result");
        }
        catch (final IOException | InterruptedException ex)
        {
            System.out.println("cluster: no edge answering on port " + port + " (" + ex.getClass().getSimpleName() + ")");
            return;
        }
        System.out.printf(Locale.ROOT, "cluster: leader %d, %d read failover(s) at this edge%n",
            status.path("leader").asInt(-1), status.path("edgeFailovers").asLong());
        System.out.printf(Locale.ROOT, "%6s  %-16s  %-8s  %-10s  %8s  %14s  %6s  %10s%n", "node", "host", "state", "role",
            "pid", "log position", "rooms", "heard");
        for (final JsonNode node : status.path("nodes"))
        {
            System.out.printf(Locale.ROOT, "%6d  %-16s  %-8s  %-10s  %8s  %14s  %6s  %10s%n", node.path("id").asInt(),
                node.path("host").asText(), node.path("state").asText(), node.path("role").asText("-"),
                node.has("pid") ? node.path("pid").asText() : "-",
                node.has("appliedLogPosition") ? node.path("appliedLogPosition").asText() : "-",
                node.has("rooms") ? node.path("rooms").asText() : "-",
                node.has("lastHeardMsAgo") ? node.path("lastHeardMsAgo").asText() + " ms ago" : "never");
        }
    }

    private static String age(final long ms)
    {
        final Duration duration = Duration.ofMillis(Math.max(0, ms));
        return duration.toHours() > 0 ? duration.toHours() + "h" + duration.toMinutesPart() + "m" :
            duration.toMinutes() > 0 ? duration.toMinutes() + "m" + duration.toSecondsPart() + "s" :
            duration.toSeconds() + "s";
    }
}
