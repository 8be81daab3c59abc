package io.herald.tools;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * Server roles that are not built yet: they say so and exit with status 2, rather than pretend to run.
 */
public abstract class NotYetCommand implements Callable<Integer>
{
    private final String what;

    NotYetCommand(final String what)
    {
        this.what = what;
    }

    public Integer call()
    {
        System.err.println("herald: " + what + " is not built yet: `./herald up` runs an edge and a node in one process.");
        return 2;
    }

    @Command(name = "stat", description = "Show a running edge's counters and connection table.")
    public static final class Stat extends NotYetCommand
    {
        public Stat()
        {
            super("herald stat");
        }
    }
}
