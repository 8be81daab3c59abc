package io.herald.tools;

import io.herald.tools.bench.BenchCommand;
import io.herald.tools.config.ConfigException;
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
        EdgeCommand.class,
        NodeCommand.class,
        StatCommand.class,
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
        System.exit(new CommandLine(new HeraldCommand())
            .setExecutionExceptionHandler((ex, commandLine, parsed) ->
            {
                if (ex instanceof ConfigException)
                {
                    // a bad config names its file and key: the message is the whole story
                    commandLine.getErr().println("herald: " + ex.getMessage());
                    return 2;
                }
                throw ex;
            })
            .execute(args));
    }
}
