package io.herald.tools;

import io.herald.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code herald}: the launcher's entry point.
 */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = HeraldVersion.class,
    description = "Herald, a clustered realtime pub/sub server speaking the Kuzzle 2 realtime API.",
    subcommands = {
        UpCommand.class,
        NotYetCommand.Edge.class,
        NotYetCommand.Node.class,
        NotYetCommand.Stat.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class HeraldCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new HeraldCommand()).execute(args));
    }
}
