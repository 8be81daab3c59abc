package io.herald.tools;

import io.herald.tools.bench.BenchCommand;
import io.herald.tools.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.regex.Pattern;

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
        ErrorsCommand.class,
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

    /** A message that only names the exception it wraps ("java.util.concurrent.ExecutionException: ..."). */
    private static final Pattern WRAPPED = Pattern.compile("[\\w.$]+(Exception|Error)\\b");

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
                // anything else: the first message in its causes that is not just a wrapped exception ("Connection
                // refused: /127.0.0.1:7512"), and the stack trace on request
                Throwable cause = ex;
                while (null != cause.getCause() && cause.getCause() != cause &&
                    (null == cause.getMessage() || WRAPPED.matcher(cause.getMessage()).lookingAt()))
                {
                    cause = cause.getCause();
                }
                commandLine.getErr().println("herald: " + (null == cause.getMessage() ?
                    cause.getClass().getSimpleName() : cause.getMessage()) +
                    (null == System.getenv("HERALD_DEBUG") ? " (HERALD_DEBUG=1 shows the stack trace)" : ""));
                if (null != System.getenv("HERALD_DEBUG"))
                {
                    ex.printStackTrace(commandLine.getErr());
                }
                return ex instanceof IllegalArgumentException ? 2 : 1;
            })
            .execute(args));
    }
}
