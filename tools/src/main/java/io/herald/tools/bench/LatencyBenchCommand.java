package io.herald.tools.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code herald bench latency}: publish→notification latency through a running Herald, per delivery, into
 * HdrHistogram. Publishes go out at a fixed rate and carry their <em>intended</em> send time, so a stalled server is
 * charged for every publish it delayed (coordinated omission corrected).
 * <p>
 * Two shapes: {@code --subscriptions N} distinct filters ({@code equals} on a topic) spread over the connections,
 * each publish matching one of them; or {@code --fanout}: every connection on the same filter, each publish
 * delivered to all of them.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Publish->notification latency through a running Herald (./herald up).")
public final class LatencyBenchCommand implements Runnable
{
    @Option(names = "--url", description = "Herald's WebSocket URL (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:7512");

    @Option(names = "--connections", description = "Subscriber connections (default: ${DEFAULT-VALUE}).")
    int connections = 100;

    @Option(names = "--subscriptions", description = "Distinct subscriptions, spread over the connections " +
        "(default: ${DEFAULT-VALUE}); ignored with --fanout.")
    int subscriptions = 1_000;

    @Option(names = "--fanout", description = "Every connection subscribes to the same filter.")
    boolean fanout;

    @Option(names = "--rate", description = "Publishes per second (default: ${DEFAULT-VALUE}).")
    int rate = 1_000;

    @Option(names = "--seconds", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--warmup", description = "Warm-up seconds, not recorded (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    private final AtomicLong refused = new AtomicLong();

    public void run()
    {
        try
        {
            final Histogram histogram = measure();
            System.out.println(BenchReport.line("herald publish->notification", histogram, expected(), rate) +
                " refused_publishes=" + refused.get());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private long expected()
    {
        return (long)rate * seconds * (fanout ? connections : 1);
    }

    Histogram measure() throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final Recorder recorder = new Recorder(3);
        final AtomicLong recordFrom = new AtomicLong(Long.MAX_VALUE);
        refused.set(0);
        final List<BenchSocket> sockets = new ArrayList<>();
        try
        {
            final int total = fanout ? connections : subscriptions;
            final CountDownLatch subscribed = new CountDownLatch(total);
            for (int c = 0; c < connections; c++)
            {
                sockets.add(BenchSocket.connect(group, url, (frame) ->
                {
                    final long sent = BenchReport.sentField(frame);
                    if (sent != BenchReport.NO_FIELD)
                    {
                        if (sent >= recordFrom.get())
                        {
                            recorder.recordValue(Math.max(0, System.nanoTime() - sent));
                        }
                        return;
                    }
                    final String text = frame.toString(StandardCharsets.UTF_8);
                    if (text.contains("\"action\":\"subscribe\""))
                    {
                        if (!text.contains("\"status\":200"))
                        {
                            System.err.println("subscribe failed: " + text);
                        }
                        subscribed.countDown();
                    }
                }));
            }
            for (int s = 0; s < total; s++)
            {
                sockets.get(s % connections).send("{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
                    "\"requestId\":\"s" + s + "\",\"index\":\"bench\",\"collection\":\"latency\"," +
                    "\"body\":{\"equals\":{\"topic\":\"" + (fanout ? "all" : "t" + s) + "\"}}}");
            }
            if (!subscribed.await(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("subscriptions not all answered: " + subscribed.getCount() + " left");
            }
            final BenchSocket publisher = BenchSocket.connect(group, url, (frame) ->
            {
                final String text = frame.toString(StandardCharsets.UTF_8);
                if (!text.contains("\"status\":200") && refused.getAndIncrement() == 0)
                {
                    System.err.println("publish refused: " + text);
                }
            });
            sockets.add(publisher);
            System.err.printf("%d subscriptions on %d connections%s; publishing %d/s for %d s warm-up + %d s%n",
                total, connections, fanout ? " (fan-out: one filter)" : "", rate, warmup, seconds);
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            final long start = System.nanoTime();
            recordFrom.set(start + TimeUnit.SECONDS.toNanos(warmup));
            final long count = (long)rate * (warmup + seconds);
            for (long i = 0; i < count; i++)
            {
                final long intended = start + i * intervalNs;
                BenchReport.sleepUntil(intended);
                publisher.send("{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"bench\"," +
                    "\"collection\":\"latency\",\"body\":{\"topic\":\"" + (fanout ? "all" : "t" + (i % total)) +
                    "\",\"sent\":" + intended + "}}");
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            return recorder.getIntervalHistogram();
        }
        finally
        {
            sockets.forEach(BenchSocket::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
