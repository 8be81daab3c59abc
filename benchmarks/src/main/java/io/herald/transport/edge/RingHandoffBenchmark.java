package io.herald.transport.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lmax.disruptor.EventPoller;
import io.herald.engine.kuzzle.KuzzleRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The edge's hand-off from an I/O thread to the router: one producer thread offers a parsed request to the
 * {@link RequestRing} (the Disruptor ring, spinning while it is full), one consumer thread polls it the way the
 * router agent does. The producer's rate is the hand-off rate; run with {@code -prof gc} for allocation per hand-off
 * (the request itself is parsed once, before the benchmark). It lives in the ring's package to reach its poller.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingHandoffBenchmark
{
    private RequestRing ring;
    private EventPoller<RequestEvent> poller;
    private EventPoller.Handler<RequestEvent> handler;
    private KuzzleRequest request;
    private long consumed;

    @Setup
    public void setUp() throws Exception
    {
        ring = new RequestRing(16_384);
        poller = ring.newPoller();
        handler = (event, sequence, endOfBatch) ->
        {
            consumed += event.connectionId;
            return true;
        };
        request = KuzzleRequest.of(new ObjectMapper().readTree("{\"controller\":\"realtime\",\"action\":" +
            "\"publish\",\"index\":\"i\",\"collection\":\"c\",\"body\":{\"topic\":\"t1\"}}"));
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer()
    {
        while (!ring.onRequest(1L, request))
        {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long poll() throws Exception
    {
        poller.poll(handler);
        return consumed;
    }
}
