package io.herald.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.Matches;
import io.herald.tools.bench.FilterWorkload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Koncorde's benchmark method, per keyword: {@code filters} random filters of that keyword registered in one index,
 * then one document matched repeatedly. Run with {@code -prof gc} to see allocation per match.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FilterMatchBenchmark
{
    @Param({ "equals", "exists", "geoBoundingBox", "geoDistance", "geoDistanceRange", "geoPolygon", "in", "range" })
    public String keyword;

    @Param({ "10000" })
    public int filters;

    private final FilterEngine engine = new FilterEngine();
    private final Matches matches = new Matches();
    private JsonNode document;
    private String index;

    @Setup(Level.Trial)
    public void setUp()
    {
        final FilterWorkload workload = FilterWorkload.of(keyword);
        index = "bench/" + keyword;
        for (final JsonNode filter : workload.filters(filters, 42))
        {
            engine.register(index, filter);
        }
        document = workload.document(42);
    }

    @Benchmark
    public int match()
    {
        engine.match(index, document, matches);
        return matches.size();
    }
}
