package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code herald up}: an edge and a one-member cluster node in one process, through the same code paths a multi-node
 * deployment uses (cluster log for writes, Aeron side channel for reads).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start an edge and a node in one process on ws://localhost:7512 (--nodes N: N node processes).")
public final class UpCommand implements Callable<Integer>
{
    /**
     * UDP ports on localhost: one node uses 20010-20015 (with the edge's answers); with --nodes, node i takes 5
     * ports from 20010 + 10 i and the edge's answers come on 20005.
     */
    private static final int BASE_PORT = 20010;

    @Mixin
    ConfigOptions options;

    @Option(names = "--nodes", description = "Nodes to start: 1 runs in this process, more run as separate JVMs " +
        "(default: ${DEFAULT-VALUE}).")
    int nodes = 1;

    @Option(names = "--restart-nodes", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "With --nodes: start a node again, on its data, when its process dies (default: true).")
    boolean restartNodes = true;

    /** With --nodes: the node processes by id; a supervisor replaces one that died until stopping. */
    private Process[] children;
    private volatile boolean stopping;

    public Integer call() throws Exception
    {
        final HeraldConfig settings = options.load();
        if (nodes < 1 || nodes > 9)
        {
            System.err.println("herald: --nodes must be between 1 and 9");
            return 2;
        }
        return nodes == 1 ? oneProcess(settings) : separateNodes(settings);
    }

    private int oneProcess(final HeraldConfig settings) throws InterruptedException
    {
        // The barrier's signal hook waits for close(): everything is closed before the JVM is let go, so the driver
        // directory is removed and the next start is clean.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (EmbeddedHerald herald = EmbeddedHerald.start(settings, options.data, BASE_PORT,
                settings.get(HeraldSettings.EDGE_PORT), null))
            {
                System.out.println("herald: listening on " + EdgeProcess.listening(
                    settings.get(HeraldSettings.EDGE_HOST), herald.port(), herald.isTls(), herald.mqttPort(),
                    herald.protocols(), herald.transport()) +
                    ". Ctrl-C stops.");
                System.out.flush();
                barrier.await();
                System.out.println("herald: stopping");
            }
            System.out.println("herald: stopped");
            System.out.flush();
        }
        return 0;
    }

    /**
     * {@code --nodes N}: N {@code herald node} JVMs (started clean, logs in {@code <data>/node-<id>.log}) and the edge
     * in this process; a node that dies is started again on its data ({@link #supervise}); Ctrl-C stops the edge,
     * then the nodes.
     */
    private int separateNodes(final HeraldConfig settings) throws Exception
    {
        final StringBuilder members = new StringBuilder();
        for (int id = 0; id < nodes; id++)
        {
            members.append(id == 0 ? "" : ",").append("localhost:").append(BASE_PORT + 10 * id);
        }
        final HeraldConfig config = settings.with(Map.of(HeraldSettings.CLUSTER_MEMBERS.key(), members.toString(),
            HeraldSettings.EDGE_AERON_HOST.key(), "localhost",
            HeraldSettings.EDGE_ANSWER_PORT.key(), Integer.toString(BASE_PORT - 5)));
        children = new Process[nodes];
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try
            {
                Files.createDirectories(options.data.toPath());
                for (int id = 0; id < nodes; id++)
                {
                    supervise(id, startNode(id, members.toString(), true), members.toString());
                }
                System.out.println("herald: " + nodes + " nodes starting (" + members + "), logs in " + options.data +
                    "/node-<id>.log");
                System.out.flush();
                try (EdgeProcess edge = EdgeProcess.start(config, options.data, null,
                    config.get(HeraldSettings.EDGE_PORT), null))
                {
                    System.out.println("herald: listening on " + edge.listening(config.get(HeraldSettings.EDGE_HOST)) +
                        " in front of " + nodes + " nodes. Ctrl-C stops.");
                    System.out.flush();
                    barrier.await();
                    System.out.println("herald: stopping");
                }
            }
            finally
            {
                final List<Process> running;
                synchronized (this)
                {
                    stopping = true;
                    running = new ArrayList<>(List.of(children));
                }
                for (final Process child : running)
                {
                    if (null != child)
                    {
                        child.toHandle().destroy();
                    }
                }
                for (final Process child : running)
                {
                    if (null != child && !child.waitFor(20, TimeUnit.SECONDS))
                    {
                        child.destroyForcibly();
                    }
                }
            }
            System.out.println("herald: stopped");
            System.out.flush();
        }
        return 0;
    }

    /**
     * Keeps a node process: when it dies while Herald is not stopping (a crash, a {@code kill -9}), it is started
     * again after a second, on its data (not clean: it rejoins the cluster and catches up from the others).
     */
    private void supervise(final int id, final Process node, final String members)
    {
        synchronized (this)
        {
            children[id] = node;
        }
        node.onExit().thenAccept((exited) ->
        {
            if (stopping || !restartNodes)
            {
                if (!stopping)
                {
                    System.out.println("herald: node " + id + " exited (code " + exited.exitValue() + "); not " +
                        "restarted (--no-restart-nodes)");
                }
                return;
            }
            System.out.println("herald: node " + id + " exited (code " + exited.exitValue() + "); starting it " +
                "again on its data in 1 s");
            System.out.flush();
            try
            {
                TimeUnit.SECONDS.sleep(1);
                synchronized (this)
                {
                    if (!stopping)
                    {
                        supervise(id, startNode(id, members, false), members);
                    }
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                System.err.println("herald: node " + id + " could not be started again: " + ex);
            }
        });
    }

    private Process startNode(final int id, final String members, final boolean clean) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeraldCommand.class.getName(), "node",
            "--id", Integer.toString(id), "--data", options.data.getPath(),
            "--set", HeraldSettings.CLUSTER_MEMBERS.key() + "=" + members));
        if (clean)
        {
            command.add("--clean");
        }
        if (null != options.config)
        {
            command.addAll(List.of("--config", options.config.toString()));
        }
        for (final Map.Entry<String, String> override : options.overrides.entrySet())
        {
            if (!override.getKey().equals(HeraldSettings.CLUSTER_MEMBERS.key()))
            {
                command.addAll(List.of("--set", override.getKey() + "=" + override.getValue()));
            }
        }
        final File log = new File(options.data, "node-" + id + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(clean ? ProcessBuilder.Redirect.to(log) : ProcessBuilder.Redirect.appendTo(log)).start();
    }
}
