package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which node the failover scenario kills, and the checks before it does: the node must run on this machine and be a
 * Herald node.
 */
final class ClusterVictims
{
    private ClusterVictims()
    {
    }

    static int victim(final JsonNode status, final String role)
    {
        final int leader = status.path("leader").asInt(-1);
        if ("leader".equals(role))
        {
            return leader;
        }
        final JsonNode nodes = status.path("nodes");
        for (int node = 0; node < nodes.size(); node++)
        {
            if (node != leader && "follower".equals(nodes.path(node).path("role").asText()))
            {
                return node;
            }
        }
        throw new IllegalStateException("no follower to kill in " + status);
    }

    /**
     * @return the process of a node, after checking it runs on this machine and is a Herald node.
     */
    static ProcessHandle nodeProcess(final int node, final long pid)
    {
        final ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
            "node " + node + " reports pid " + pid + ", which is not a process on this machine: the failover " +
            "scenario kills nodes itself, so run it where the nodes run"));
        final String command = commandLine(process);
        if (!command.contains(" node ") || !command.contains("--id " + node))
        {
            throw new IllegalStateException("pid " + pid + " (node " + node + ") does not look like a Herald node " +
                "(" + command + "): not killing it");
        }
        return process;
    }

    /**
     * @return a process's whole command line: Linux's {@code /proc/<pid>/cmdline} where there is one (Java's
     * {@code ProcessHandle.Info} cuts long ones, and a JVM's class path makes it long), else what Java reports.
     */
    static String commandLine(final ProcessHandle process)
    {
        try
        {
            final byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ');
        }
        catch (final IOException ex)
        {
            return process.info().commandLine().orElse("");
        }
    }

}
