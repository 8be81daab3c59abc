package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.engine.filter.Document;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.Matches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code herald bench filters}: Koncorde's benchmark workload on Herald's filter engine, one JSON line per
 * keyword: registration time of N filters, matches per second of one document, filters it matched, and heap
 * bytes per registered filter.
 */
@Command(
    name = "filters",
    mixinStandardHelpOptions = true,
    description = "Koncorde's benchmark workload on Herald's filter engine; one JSON line per keyword.")
public final class FiltersBenchCommand implements Callable<Integer>
{
    @Option(names = "--filters", description = "Filters registered per keyword (default: ${DEFAULT-VALUE}).")
    int filters = 10_000;

    @Option(names = "--seconds", description = "Measured matching time per keyword (default: ${DEFAULT-VALUE}).")
    double seconds = 2;

    @Option(names = "--warmup", description = "Warm-up matching time per keyword (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 1;

    @Option(names = "--keyword", split = ",", description = "Keywords to run (default: all).")
    List<String> keywords;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    public Integer call()
    {
        for (final FilterWorkload workload : FilterWorkload.values())
        {
            if (null == keywords || keywords.contains(workload.keyword()))
            {
                System.out.println(run(workload));
                System.out.flush();
            }
        }
        return 0;
    }

    private String run(final FilterWorkload workload)
    {
        final String index = "bench/" + workload.keyword();
        // A first registration into a throwaway engine warms the JIT up; it is reported as index_cold_ms.
        final double coldMs = register(new FilterEngine(), index, workload.filters(filters, seed + 1));
        final JsonNode[] generated = workload.filters(filters, seed);
        // read once, as Koncorde's benchmark is given a JavaScript object: the figure is the match
        final Document document = new Document();
        document.parse(workload.document(seed));
        final long heapBefore = usedHeap();
        final FilterEngine engine = new FilterEngine();
        final double indexMs = register(engine, index, generated);
        final long heapAfter = usedHeap();

        final Matches matches = new Matches();
        engine.match(index, document, matches);
        final int matched = matches.size();
        matchFor(engine, index, document, matches, warmupSeconds);
        final long[] result = matchFor(engine, index, document, matches, seconds);
        final double perSecond = result[0] / (result[1] / 1e9);
        return String.format(Locale.ROOT,
            "{\"engine\":\"herald\",\"keyword\":\"%s\",\"filters\":%d,\"index_ms\":%.1f,\"matches_per_s\":%.0f," +
            "\"matched\":%d,\"heap_bytes_per_filter\":%d,\"index_cold_ms\":%.1f}",
            workload.keyword(), engine.filterCount(), indexMs, perSecond, matched,
            (heapAfter - heapBefore) / Math.max(1, engine.filterCount()), coldMs);
    }

    private static double register(final FilterEngine engine, final String index, final JsonNode[] filters)
    {
        final long start = System.nanoTime();
        for (final JsonNode filter : filters)
        {
            engine.register(index, filter);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * @return matches done and nanoseconds spent.
     */
    private static long[] matchFor(
        final FilterEngine engine, final String index, final Document document, final Matches matches,
        final double seconds)
    {
        final long deadline = System.nanoTime() + (long)(seconds * 1e9);
        final long start = System.nanoTime();
        long count = 0;
        long now;
        do
        {
            for (int i = 0; i < 1_000; i++)
            {
                engine.match(index, document, matches);
            }
            count += 1_000;
            now = System.nanoTime();
        }
        while (now < deadline);
        return new long[] { count, now - start };
    }

    private static long usedHeap()
    {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
