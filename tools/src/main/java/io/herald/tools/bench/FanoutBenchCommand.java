package io.herald.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * {@code herald bench fanout}: deliveries per second through a running server. N subscriber connections, each with
 * one subscription ({@code equals} on one of T topics); k publishers publish round the topics as fast as the server
 * accepts, each keeping a window of publishes unanswered (Herald answers every publish; NATS a {@code PING} after a
 * batch). Counts what the subscribers receive over the measured seconds, checks at the end that every accepted
 * publish reached every subscriber of its topic, and records publish→notification latency under that load (from
 * the send time: a saturated closed loop, not a paced one — see {@code herald bench latency} for that).
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
    description = "Deliveries per second through a running Herald (./herald up), or a NATS server, as fast as it " +
        "accepts publishes.")
public final class FanoutBenchCommand implements Runnable
{
    @Option(names = "--url", description = "The server's WebSocket URL (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:7512");

    @Option(names = "--target", description = "herald or nats (default: ${DEFAULT-VALUE}).")
    String target = "herald";

    @Option(names = "--subscribers", description = "Subscriber connections, one subscription each " +
        "(default: ${DEFAULT-VALUE}).")
    int subscribers = 1_000;

    @Option(names = "--topics", description = "Topics the subscribers are spread over; each publish reaches " +
        "subscribers/topics of them (default: ${DEFAULT-VALUE}).")
    int topics = 1;

    @Option(names = "--publishers", description = "Publishing connections (default: ${DEFAULT-VALUE}).")
    int publishers = 4;

    @Option(names = "--window", description = "Unanswered publishes per publisher (default: ${DEFAULT-VALUE}).")
    int window = 16;

    @Option(names = "--seconds", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--warmup", description = "Warm-up seconds, not counted (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--sources", description = "Loopback source addresses (default: ${DEFAULT-VALUE}).")
    int sources = 4;

    @Mixin
    DocumentSize documentSize = new DocumentSize();

    private String pad = "";

    @Option(names = "--json", description = "Write the settings and figures here.")
    File json;

    private final LongAdder delivered = new LongAdder();
    /** WebSocket frames that carried deliveries: a server may put several messages in one frame (NATS does). */
    private final LongAdder deliveryFrames = new LongAdder();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Each event loop's latencies, recorded by that loop only. */
    private final ConcurrentHashMap<Thread, SingleWriterRecorder> recorders = new ConcurrentHashMap<>();

    public void run()
    {
        pad = documentSize.pad();
        if (subscribers % topics != 0)
        {
            throw new IllegalArgumentException("--subscribers must be a multiple of --topics");
        }
        try
        {
            measure();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void measure() throws Exception
    {
        final BenchTarget protocol = BenchTarget.of(target);
        final EventLoopGroup group = BenchSocket.group(2);
        final List<BenchSocket> sockets = new ArrayList<>();
        try
        {
            final CountDownLatch subscribed = new CountDownLatch(subscribers);
            sockets.addAll(BenchSocket.openMany(group, url, protocol, subscribers,
                BenchSocket.loopbackSources(sources), 256, () -> new Receiver(protocol, subscribed)));
            if (sockets.size() < subscribers)
            {
                throw new IllegalStateException("only " + sockets.size() + " of " + subscribers + " subscribers " +
                    "connected");
            }
            for (int s = 0; s < subscribers; s++)
            {
                final BenchSocket socket = sockets.get(s);
                socket.send(protocol.subscribe("s" + s, "t" + (s % topics)));
                if (null != protocol.afterSubscriptions())
                {
                    socket.send(protocol.afterSubscriptions());
                }
            }
            if (!subscribed.await(120, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("subscriptions not all answered: " + subscribed.getCount() + " left");
            }
            final List<Publisher> publishing = new ArrayList<>();
            for (int p = 0; p < publishers; p++)
            {
                final Publisher publisher = new Publisher(protocol, p);
                publisher.socket = BenchSocket.connect(group, url, protocol, publisher::onFrame);
                sockets.add(publisher.socket);
                publishing.add(publisher);
            }
            System.err.printf("%s: %d subscribers over %d topic(s), %d publishers with %d publishes in flight each; " +
                "%d s warm-up + %d s%n", target, subscribers, topics, publishers, window, warmup, seconds);
            running.set(true);
            publishing.forEach(Publisher::start);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
            recorders.values().forEach(SingleWriterRecorder::reset);
            final long start = System.nanoTime();
            final long deliveredAtStart = delivered.sum();
            final long acceptedAtStart = accepted.get();
            for (int s = 1; s <= seconds; s++)
            {
                final long before = delivered.sum();
                LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(s) - System.nanoTime());
                if (seconds >= 10 && s % 5 == 0)
                {
                    System.err.printf("  %d s: %,d deliveries/s%n", s, delivered.sum() - before);
                }
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;
            final long deliveredInWindow = delivered.sum() - deliveredAtStart;
            final long acceptedInWindow = accepted.get() - acceptedAtStart;
            final Histogram histogram = new Histogram(3);
            recorders.values().forEach((recorder) -> histogram.add(recorder.getIntervalHistogram()));
            running.set(false);
            final long expected = awaitQuiet() * (subscribers / topics);
            final long received = delivered.sum();
            final long closed = sockets.stream().filter((socket) -> !socket.isOpen()).count();
            final double deliveriesPerSecond = deliveredInWindow / elapsed;
            System.out.printf(Locale.ROOT, "%s fanout: subscribers=%d topics=%d publishers=%d window=%d " +
                    "deliveries/s=%.0f publishes/s=%.0f latency p50=%.1fms p99=%.1fms max=%.1fms " +
                    "delivered=%d/%d deliveries_per_frame=%.2f refused_publishes=%d closed_connections=%d%n",
                target, subscribers, topics, publishers, window, deliveriesPerSecond, acceptedInWindow / elapsed,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getMaxValue() / 1e6, received, expected,
                received / (double)Math.max(1, deliveryFrames.sum()), refused.get(), closed);
            if (null != json)
            {
                final ObjectNode result = BenchResults.object();
                result.put("scenario", "fanout-throughput").put("target", target)
                    .put("documentBytes", documentSize.documentBytes).put("url", url.toString())
                    .put("subscribers", subscribers).put("topics", topics).put("publishers", publishers)
                    .put("window", window).put("seconds", seconds).put("warmupSeconds", warmup)
                    .put("deliveriesPerSecond", Math.round(deliveriesPerSecond))
                    .put("publishesPerSecond", Math.round(acceptedInWindow / elapsed))
                    .put("delivered", received).put("expectedDeliveries", expected)
                    .put("deliveriesPerFrame", received / (double)Math.max(1, deliveryFrames.sum()))
                    .put("refusedPublishes", refused.get()).put("closedConnections", closed);
                result.set("latency", BenchResults.latency(histogram));
                BenchResults.write(json, result);
            }
        }
        finally
        {
            running.set(false);
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Waits until the last answers and deliveries are in: nothing new for a second (at most 60 s).
     *
     * @return the publishes the server accepted in the whole run.
     */
    private long awaitQuiet()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (System.nanoTime() < deadline)
        {
            final long now = delivered.sum() + accepted.get() + refused.get();
            if (now == last)
            {
                break;
            }
            last = now;
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        return accepted.get();
    }

    /**
     * One publishing connection: a window of publishes in flight, refilled from its event loop as answers come.
     * Herald answers each publish (batches of one); for NATS a batch of half the window ends with a {@code PING}.
     */
    private final class Publisher
    {
        private final BenchTarget protocol;
        private final int batch;
        private final String flush;
        private int nextTopic;
        BenchSocket socket;

        Publisher(final BenchTarget protocol, final int index)
        {
            this.protocol = protocol;
            this.flush = protocol.flush();
            this.batch = null == flush ? 1 : Math.max(1, window / 2);
            this.nextTopic = index % topics;
        }

        void start()
        {
            socket.eventLoop().execute(() ->
            {
                for (int sent = 0; sent < window; sent += batch)
                {
                    sendBatch();
                }
            });
        }

        void onFrame(final ByteBuf frame)
        {
            final int answers = protocol.publishAnswers(frame);
            if (answers == 0)
            {
                return;
            }
            if (protocol.refusal(frame))
            {
                if (refused.getAndIncrement() == 0)
                {
                    System.err.println("publish refused: " + frame.toString(StandardCharsets.UTF_8));
                }
            }
            else
            {
                accepted.addAndGet((long)batch * answers);
            }
            for (int i = 0; i < answers && running.get(); i++)
            {
                sendBatch();
            }
        }

        private void sendBatch()
        {
            for (int i = 0; i < batch; i++)
            {
                socket.send(protocol.publish("t" + nextTopic, System.nanoTime(), pad));
                nextTopic = (nextTopic + 1) % topics;
            }
            if (null != flush)
            {
                socket.send(flush);
            }
        }
    }

    /**
     * A subscriber connection's frames: counted, and each delivery's latency recorded by its event loop's recorder,
     * with nothing allocated per frame (the time a frame came is a field, not a value captured by a new lambda).
     */
    private final class Receiver implements Consumer<ByteBuf>, LongConsumer
    {
        private final BenchTarget protocol;
        private final CountDownLatch subscribed;
        private SingleWriterRecorder recorder;
        private long now;

        Receiver(final BenchTarget protocol, final CountDownLatch subscribed)
        {
            this.protocol = protocol;
            this.subscribed = subscribed;
        }

        public void accept(final ByteBuf frame)
        {
            if (null == recorder)
            {
                recorder = recorders.computeIfAbsent(Thread.currentThread(), (loop) -> new SingleWriterRecorder(3));
            }
            now = System.nanoTime();
            final int deliveries = BenchReport.forEachSent(frame, this);
            if (deliveries > 0)
            {
                delivered.add(deliveries);
                deliveryFrames.increment();
            }
            else if (protocol.confirmedSubscriptions(frame, 1) > 0)
            {
                subscribed.countDown();
            }
        }

        public void accept(final long sent)
        {
            recorder.recordValue(Math.max(0, now - sent));
        }
    }
}
