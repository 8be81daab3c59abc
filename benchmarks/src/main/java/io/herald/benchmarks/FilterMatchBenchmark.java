package io.herald.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.engine.filter.Document;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Koncorde's benchmark method, per keyword: {@code filters} random filters of that keyword registered in one index,
 * then one document matched repeatedly ({@code match}), or read from its bytes and matched ({@code parseAndMatch}).
 * Run with {@code -prof gc} to see allocation per match.
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
    private final Document document = new Document();
    private byte[] bytes;
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
        bytes = workload.document(42).toString().getBytes(StandardCharsets.UTF_8);
        document.parse(bytes, 0, bytes.length, null);
    }

    /**
     * Koncorde's figure: a document already read (Koncorde is given a JavaScript object) matched again and again.
     */
    @Benchmark
    public int match()
    {
        engine.match(index, document, matches);
        return matches.size();
    }

    /**
     * What a node does per publish: read the document's bytes, then match.
     */
    @Benchmark
    public int parseAndMatch()
    {
        document.parse(bytes, 0, bytes.length, null);
        engine.match(index, document, matches);
        return matches.size();
    }
}
