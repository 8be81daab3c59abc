package io.herald.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code herald bench}: workloads that measure Herald.
 */
@Command(
    name = "bench",
    description = "Run a benchmark workload.",
    subcommands = { FiltersBenchCommand.class, LatencyBenchCommand.class, FanoutBenchCommand.class,
        ConnectionsBenchCommand.class, FailoverBenchCommand.class, FuzzBenchCommand.class,
        FloorBenchCommand.class, PlotBenchCommand.class })
public final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
