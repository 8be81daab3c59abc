package io.herald.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code herald bench latency}: publish→notification latency through a running Herald, per delivery, into
 * HdrHistogram. Publishes go out at a fixed rate and carry their <em>intended</em> send time, so a stalled server is
 * charged for every publish it delayed (coordinated omission corrected). Per publish, the time until its last
 * receiver got it (time-to-last-receiver) goes into a second histogram.
 * <p>
 * Two shapes: {@code --subscriptions N} distinct filters ({@code equals} on a topic) spread over the connections,
 * each publish matching one of them; or {@code --fanout}: every connection on the same filter, each publish
 * delivered to all of them.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Publish->notification latency through a running Herald (./herald up), or a NATS server.")
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

    @Option(names = "--target", description = "herald (Kuzzle API) or nats (a NATS server's WebSocket listener, a " +
        "subject per topic) (default: ${DEFAULT-VALUE}).")
    String target = "herald";

    @Mixin
    DocumentSize documentSize = new DocumentSize();

    private String pad = "";

    @Option(names = "--pacer", description = "How the publisher waits for a publish's time: spin (parks while " +
        "far, spins the last 150 us: on time, but a core's worth of spinning at 20,000/s) or park (parks only; late " +
        "by the scheduler's wake-up, ~50-100 us here, which counts as latency since publishes carry their intended " +
        "time, and the publishes that fell due meanwhile leave together) (default: ${DEFAULT-VALUE}).")
    String pacer = "spin";

    @Option(names = "--json", description = "Write the settings and figures (with the percentile distribution) here.")
    File json;

    @Option(names = "--plot", description = "Draw the percentile distribution into this PNG file.")
    File plot;

    @Option(names = "--timeline", description = "Write a CSV line per 100 ms of the run (warm-up included): " +
        "deliveries received, their largest latency, and how late the publisher sent its latest publish.")
    File timeline;

    private static final int SLOTS_PER_SECOND = 10;

    private final AtomicLong refused = new AtomicLong();
    /** Time-to-last-receiver of the last run, one value per publish. */
    private Histogram lastReceiver;

    public void run()
    {
        if (!"spin".equals(pacer) && !"park".equals(pacer))
        {
            throw new IllegalArgumentException("--pacer must be spin or park, not " + pacer);
        }
        pad = documentSize.pad();
        try
        {
            final Histogram histogram = measure();
            System.out.println(BenchReport.line(target + " publish->notification", histogram, expected(), rate) +
                " refused_publishes=" + refused.get());
            System.out.println(BenchReport.line(target + " publish->last receiver", lastReceiver,
                (long)rate * seconds, rate, "publishes"));
            if (null != json)
            {
                final ObjectNode result = BenchResults.object();
                result.put("scenario", fanout ? "fanout" : "latency").put("target", target).put("pacer", pacer)
                    .put("documentBytes", documentSize.documentBytes).put("url", url.toString())
                    .put("connections", connections).put("subscriptions", fanout ? connections : subscriptions)
                    .put("ratePerSecond", rate).put("seconds", seconds).put("warmupSeconds", warmup)
                    .put("expectedDeliveries", expected()).put("refusedPublishes", refused.get());
                result.set("latency", BenchResults.latency(histogram));
                result.set("lastReceiver", BenchResults.latency(lastReceiver));
                BenchResults.write(json, result);
            }
            if (null != plot)
            {
                final Map<String, double[][]> curves = new LinkedHashMap<>();
                curves.put(target + " per delivery", BenchResults.distribution(histogram));
                if (fanout)
                {
                    curves.put(target + " last receiver", BenchResults.distribution(lastReceiver));
                }
                BenchResults.plot(plot, target + (fanout ? " fan-out, " : ", ") + rate + " publishes/s", curves);
            }
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int slot(final long sinceOriginNs, final int slots)
    {
        return (int)Math.min(slots - 1, Math.max(0, sinceOriginNs / (TimeUnit.SECONDS.toNanos(1) / SLOTS_PER_SECOND)));
    }

    private void writeTimeline(
        final AtomicLongArray deliveries, final AtomicLongArray maxNs, final AtomicLongArray sendLateNs)
        throws IOException
    {
        try (PrintWriter out = new PrintWriter(timeline, StandardCharsets.UTF_8))
        {
            out.println("ms,deliveries,max_latency_us,max_send_late_us");
            for (int i = 0; i < deliveries.length(); i++)
            {
                out.printf("%d,%d,%d,%d%n", i * 1000 / SLOTS_PER_SECOND, deliveries.get(i),
                    TimeUnit.NANOSECONDS.toMicros(maxNs.get(i)), TimeUnit.NANOSECONDS.toMicros(sendLateNs.get(i)));
            }
        }
    }

    private long expected()
    {
        return (long)rate * seconds * (fanout ? connections : 1);
    }

    Histogram measure() throws Exception
    {
        final BenchTarget protocol = BenchTarget.of(target);
        final EventLoopGroup group = BenchSocket.group(1);
        final Recorder recorder = new Recorder(3);
        final Recorder lastReceivers = new Recorder(3);
        final AtomicLong recordFrom = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong origin = new AtomicLong();
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final long count = (long)rate * (warmup + seconds);
        final int receivers = fanout ? connections : 1;
        // per publish (by its index), the receivers it has not reached yet: the last one records time-to-last-receiver
        final AtomicIntegerArray waiting = new AtomicIntegerArray(Math.toIntExact(count));
        final int slots = (warmup + seconds + 3) * SLOTS_PER_SECOND;
        final AtomicLongArray slotDeliveries = new AtomicLongArray(slots);
        final AtomicLongArray slotMaxNs = new AtomicLongArray(slots);
        final AtomicLongArray slotSendLateNs = new AtomicLongArray(slots);
        for (int i = 0; i < count; i++)
        {
            waiting.set(i, receivers);
        }
        refused.set(0);
        final List<BenchSocket> sockets = new ArrayList<>();
        try
        {
            final int total = fanout ? connections : subscriptions;
            final CountDownLatch subscribed = new CountDownLatch(total);
            final int[] perConnection = new int[connections];
            for (int s = 0; s < total; s++)
            {
                perConnection[s % connections]++;
            }
            for (int c = 0; c < connections; c++)
            {
                final int mine = perConnection[c];
                sockets.add(BenchSocket.connect(group, url, protocol, (frame) ->
                {
                    final long now = System.nanoTime();
                    BenchReport.forEachSent(frame, (sent) ->
                    {
                        if (null != timeline)
                        {
                            final int slot = slot(now - origin.get(), slots);
                            slotDeliveries.incrementAndGet(slot);
                            slotMaxNs.accumulateAndGet(slot, now - sent, Math::max);
                        }
                        if (sent >= recordFrom.get())
                        {
                            recorder.recordValue(Math.max(0, now - sent));
                            final long index = Math.round((sent - origin.get()) / (double)intervalNs);
                            if (index >= 0 && index < count && waiting.decrementAndGet((int)index) == 0)
                            {
                                lastReceivers.recordValue(Math.max(0, now - sent));
                            }
                        }
                    });
                    for (int confirmed = protocol.confirmedSubscriptions(frame, mine); confirmed > 0; confirmed--)
                    {
                        subscribed.countDown();
                    }
                }));
            }
            for (int s = 0; s < total; s++)
            {
                sockets.get(s % connections).send(protocol.subscribe("s" + s, fanout ? "all" : "t" + s));
            }
            final String after = protocol.afterSubscriptions();
            for (int c = 0; null != after && c < connections; c++)
            {
                sockets.get(c).send(after);
            }
            if (!subscribed.await(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("subscriptions not all answered: " + subscribed.getCount() + " left");
            }
            final BenchSocket publisher = BenchSocket.connect(group, url, protocol, (frame) ->
            {
                if (protocol.refusal(frame) && refused.getAndIncrement() == 0)
                {
                    System.err.println("publish refused: " + frame.toString(StandardCharsets.UTF_8));
                }
            });
            sockets.add(publisher);
            System.err.printf("%s: %d subscriptions on %d connections%s; publishing %d/s for %d s warm-up + %d s%n",
                target, total, connections, fanout ? " (fan-out: one filter)" : "", rate, warmup, seconds);
            final boolean parking = "park".equals(pacer);
            final long start = System.nanoTime();
            origin.set(start);
            recordFrom.set(start + TimeUnit.SECONDS.toNanos(warmup));
            long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
            for (long i = 0; i < count; i++)
            {
                final long intended = start + i * intervalNs;
                if (parking)
                {
                    BenchReport.parkUntil(intended);
                }
                else
                {
                    BenchReport.sleepUntil(intended);
                }
                publisher.send(protocol.publish(fanout ? "all" : "t" + (i % total), intended, pad));
                if (null != timeline)
                {
                    final long sentAt = System.nanoTime();
                    slotSendLateNs.accumulateAndGet(slot(sentAt - start, slots), sentAt - intended, Math::max);
                }
                if (intended > nextProgress && seconds >= 10)
                {
                    nextProgress += TimeUnit.SECONDS.toNanos(5);
                    System.err.printf("  %d/%d publishes sent%n", i + 1, count);
                }
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            lastReceiver = lastReceivers.getIntervalHistogram();
            if (null != timeline)
            {
                writeTimeline(slotDeliveries, slotMaxNs, slotSendLateNs);
            }
            return recorder.getIntervalHistogram();
        }
        finally
        {
            sockets.forEach(BenchSocket::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
