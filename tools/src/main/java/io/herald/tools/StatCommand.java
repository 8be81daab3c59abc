package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.transport.edge.ConnectionTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code herald stat}: a running edge's connection table, read live from its Chronicle Map file (another process;
 * the edge is not asked anything).
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show an edge's connection table (read live from <data>/edge-<edge.id>/).")
public final class StatCommand implements Callable<Integer>
{
    @Mixin
    ConfigOptions options;

    public Integer call() throws Exception
    {
        final HeraldConfig config = options.load();
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
                row.getConnectionId(), row.getProtocol() == ConnectionTable.PROTOCOL_WEBSOCKET ? "websocket" : "http",
                row.getRemoteAddress(), age(now - row.getConnectedAtMs()), row.getRequestsIn(),
                row.getNotificationsOut(), row.getSubscriptionCount()));
        });
        if (!found)
        {
            System.err.println("herald: no connection table in " + directory + " (is an edge with edge.id=" + edgeId +
                " running with --data " + options.data + "?)");
            return 1;
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
        return 0;
    }

    private static String age(final long ms)
    {
        final Duration duration = Duration.ofMillis(Math.max(0, ms));
        return duration.toHours() > 0 ? duration.toHours() + "h" + duration.toMinutesPart() + "m" :
            duration.toMinutes() > 0 ? duration.toMinutes() + "m" + duration.toSecondsPart() + "s" :
            duration.toSeconds() + "s";
    }
}
