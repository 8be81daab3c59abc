package io.herald.benchmarks;

import io.herald.engine.kuzzle.DocumentNotification;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A publish frame on the edge, from its bytes to the document sent to the nodes (the body with
 * {@code _kuzzle_info}): read as a tree and the body written again from it ({@code tree}, what the edge did), or read
 * with the body only tokenized, its text kept and {@code _kuzzle_info} appended to it ({@code text}, what it does). The first half runs
 * on the I/O thread, the second on the router's. {@code size}: the harnesses' small document or a 2 KB one. Run
 * with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublishSourceBenchmark
{
    @Param({ "small", "2KB" })
    public String size;

    private byte[] frame;

    @Setup
    public void setUp()
    {
        final String body = "small".equals(size) ? DocumentParseBenchmark.small() :
            DocumentParseBenchmark.twoKilobytes();
        frame = ("{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"bench\",\"collection\":\"c\"," +
            "\"requestId\":\"4f1c8a2e-0d5b-4c52-9a3e-7b1f6d2c9e01\",\"body\":" + body +
            ",\"volatile\":{\"sdkInstanceId\":\"b5f0\",\"sdkName\":\"js@7.17.1\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String tree() throws IOException
    {
        final KuzzleRequest request = KuzzleRequest.of(RequestJson.read(new ByteArrayInputStream(frame)), "websocket");
        return DocumentNotification.source(request.objectBody(), "kuid", 1_764_000_000_000L);
    }

    @Benchmark
    public String text() throws IOException
    {
        final KuzzleRequest request = KuzzleRequest.of(RequestJson.readFrame(frame, 0, frame.length), "websocket");
        return DocumentNotification.source(request.bodyText(), "kuid", 1_764_000_000_000L);
    }
}
