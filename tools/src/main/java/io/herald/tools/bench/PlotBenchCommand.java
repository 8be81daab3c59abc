package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code herald bench plot}: one percentile plot (PNG) of the latency distributions of one or more runs written with
 * {@code --json}, e.g. Herald and NATS side by side.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Draw the percentile distributions of runs saved with --json into one PNG.")
public final class PlotBenchCommand implements Callable<Integer>
{
    @Option(names = "--out", required = true, description = "The PNG file to write.")
    File out;

    @Option(names = "--title", description = "The plot's title (default: ${DEFAULT-VALUE}).")
    String title = "publish->notification latency";

    @Parameters(arity = "1..*", description = "Result files (JSON) of herald bench latency --json.")
    List<File> results;

    public Integer call() throws Exception
    {
        final Map<String, double[][]> runs = new LinkedHashMap<>();
        for (final File result : results)
        {
            final JsonNode json = BenchResults.read(result);
            final String name = json.path("target").asText("run") + " (" + result.getName() + ")";
            runs.put(name, BenchResults.distribution(json));
        }
        BenchResults.plot(out, title, runs);
        System.out.println("wrote " + out);
        return 0;
    }
}
