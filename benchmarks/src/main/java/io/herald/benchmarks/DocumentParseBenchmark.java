package io.herald.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.filter.Document;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reading a published document on the node: into the flat {@link Document} (what a node does) against Jackson's tree
 * (what it did). {@code size}: a 60-byte document, as the harnesses publish, or a 2 KB one with nested objects,
 * arrays, numbers and escaped text, as applications publish. Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DocumentParseBenchmark
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({ "small", "2KB" })
    public String size;

    private final Document document = new Document();
    private byte[] bytes;

    @Setup
    public void setUp()
    {
        bytes = ("small".equals(size) ? small() : twoKilobytes()).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public int flat()
    {
        document.parse(bytes, 0, bytes.length, null);
        return document.size(document.root());
    }

    @Benchmark
    public int jacksonTree() throws IOException
    {
        final JsonNode tree = JSON.readTree(bytes, 0, bytes.length);
        return tree.size();
    }

    @Benchmark
    public int jacksonTokens() throws IOException
    {
        int tokens = 0;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(bytes, 0, bytes.length))
        {
            while (null != parser.nextToken())
            {
                tokens++;
            }
        }
        return tokens;
    }

    static String small()
    {
        return "{\"topic\":\"t500\",\"price\":42,\"text\":\"a published document\"}";
    }

    static String twoKilobytes()
    {
        final StringBuilder json = new StringBuilder("{\"_id\":\"order-8f1c\",\"customer\":{\"name\":\"Zoë \\\"Z\\\" Müller\"," +
            "\"tier\":\"gold\",\"address\":{\"city\":\"Montpellier\",\"zip\":\"34000\",\"location\":" +
            "{\"lat\":43.6108,\"lon\":3.8767}}},\"tags\":[\"express\",\"fragile\",\"gift\"],\"lines\":[");
        for (int i = 0; json.length() < 1_900; i++)
        {
            json.append(i > 0 ? "," : "").append("{\"sku\":\"SKU-").append(1000 + i).append("\",\"qty\":").append(i % 7 + 1)
                .append(",\"price\":").append(9.99 + i).append(",\"note\":\"line ").append(i).append(" \\u00e9\"}");
        }
        return json.append("],\"total\":1234.5,\"paid\":true,\"coupon\":null}").toString();
    }
}
