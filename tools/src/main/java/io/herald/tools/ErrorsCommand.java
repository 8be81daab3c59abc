package io.herald.tools;

import io.herald.transport.ErrorLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Callable;

/**
 * {@code herald errors}: the errors Herald's processes survived, from their error logs
 * ({@code <data>/edge-<id>/errors.dat}, {@code <data>/node-<id>/errors.dat}), each distinct error once with its count,
 * first and last times and stack trace. Works on running processes and on dead ones alike.
 */
@Command(name = "errors", mixinStandardHelpOptions = true,
    description = "Print the errors Herald's edges and nodes survived (read from <data>/*/errors.dat).")
public final class ErrorsCommand implements Callable<Integer>
{
    @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    File data = new File("herald-data");

    @Option(names = "--previous", description = "Print the previous run's logs instead (errors-previous.dat).")
    boolean previous;

    public Integer call()
    {
        final File[] processes = data.listFiles((file) -> file.isDirectory() &&
            (file.getName().startsWith("edge-") || file.getName().startsWith("node-")));
        if (null == processes || processes.length == 0)
        {
            System.out.println("herald: no edge or node directory in " + data + " (is --data right?)");
            return 1;
        }
        Arrays.sort(processes, Comparator.comparing(File::getName));
        int total = 0;
        for (final File process : processes)
        {
            final File file = new File(process, previous ? ErrorLog.PREVIOUS_FILE_NAME : ErrorLog.FILE_NAME);
            if (!file.isFile())
            {
                continue;
            }
            System.out.println("== " + process.getName() + " (" + file + ")");
            final int distinct = ErrorLog.print(file, System.out);
            System.out.println(distinct + " distinct error(s)");
            total += distinct;
        }
        System.out.println("herald: " + total + " distinct error(s) in all");
        return 0;
    }
}
