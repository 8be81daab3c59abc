package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An edge's warm-up before its port opens ({@code edge.warmup}): rounds of what clients do, sent by this process to
 * its own loopback listener, until the JIT compiler has gone quiet or the time allowed is over. A fresh JVM compiles
 * the request paths under the first load (on two cores, over 10 s of C2 time while publishes wait), and C2 code
 * compiled under publishes alone is thrown away when the first connections come and go (an uncommon trap in the
 * event loop); a round therefore covers the whole life of connections:
 * <ol>
 * <li>{@link #SUBSCRIBERS} connections open, each subscribing to a topic of its own ({@code equals}) and to one
 * topic they all share ({@code and} of {@code equals} and {@code range});</li>
 * <li>{@link #PUBLISHERS} connections publish round the topics as fast as they are answered, each keeping
 * {@link #WINDOW} publishes in flight: most reach one subscriber, every eighth reaches all of them (the fan-out's
 * gathered writes), every fourth carries a 2 KB document (several Aeron fragments);</li>
 * <li>every connection closes (their subscriptions go with them).</li>
 * </ol>
 * Requests the edge refuses (rights, limits) are counted and warm the refusal paths instead. Nothing is left
 * behind: the index ({@link #INDEX}) holds no subscription once the connections are closed.
 */
public final class WarmUp
{
    /** The index every warm-up request names. */
    public static final String INDEX = "herald-warmup";
    static final int SUBSCRIBERS = 24;
    static final int TOPICS = 8;
    static final int PUBLISHERS = 2;
    static final int WINDOW = 16;
    /** A round after which the compiler spent less than this share of the round compiling ends the warm-up. */
    static final double QUIET_SHARE = 0.15;
    private static final String LARGE_PAD = BenchTarget.padding(2048);

    private final URI uri;
    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();

    /**
     * What a warm-up did.
     *
     * @param rounds        rounds run.
     * @param publishes     publishes answered.
     * @param refused       requests refused (subscriptions and publishes), e.g. by the rights of anonymous users.
     * @param notifications notifications the subscriber connections received.
     * @param elapsedNs     how long it took.
     * @param ended         why it ended: the compiler went quiet, the time was over, or its connections were refused.
     * @param firstRefusal  the first refusal's answer, or null.
     * @param compiling     per round, the share of it the JIT compilers spent compiling (in percent, comma
     *                      separated; empty when the JVM does not tell).
     */
    public record Result(
        int rounds, long publishes, long refused, long notifications, long elapsedNs, String ended,
        String firstRefusal, String compiling)
    {
    }

    private WarmUp(final URI uri)
    {
        this.uri = uri;
    }

    /**
     * @param uri     the edge's loopback listener ({@code ws://127.0.0.1:<port>}).
     * @param maxNs   the longest the warm-up may take; it stops at the end of the round that passes it.
     * @param roundNs how long each round publishes.
     * @return what it did.
     * @throws InterruptedException when the starting thread is interrupted.
     */
    public static Result run(final URI uri, final long maxNs, final long roundNs) throws InterruptedException
    {
        return new WarmUp(uri).rounds(maxNs, roundNs);
    }

    private Result rounds(final long maxNs, final long roundNs) throws InterruptedException
    {
        final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        final boolean measurable = null != compiler && compiler.isCompilationTimeMonitoringSupported();
        final long start = System.nanoTime();
        final EventLoopGroup group = BenchSocket.group(1);
        int rounds = 0;
        boolean quiet = false;
        boolean connected = true;
        final StringBuilder compiling = new StringBuilder();
        try
        {
            while (connected && !quiet && System.nanoTime() - start < maxNs)
            {
                final long roundStart = System.nanoTime();
                final long compiledBefore = measurable ? compiler.getTotalCompilationTime() : 0;
                // a round that could not connect (connection limits below the warm-up's 26) ends the warm-up
                connected = round(group, roundNs);
                rounds++;
                final long roundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
                final long compiledMs = measurable ? compiler.getTotalCompilationTime() - compiledBefore : 0;
                // the first round always compiles: judge from the second on
                quiet = measurable && rounds > 1 && compiledMs < QUIET_SHARE * roundMs;
                if (measurable)
                {
                    compiling.append(rounds > 1 ? "," : "").append(100 * compiledMs / Math.max(1, roundMs));
                }
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        final String ended = quiet ? "the compiler is quiet" : !connected ? "its connections were refused" :
            "stopped at edge.warmup with the compiler still busy";
        return new Result(rounds, publishes.get(), refused.get(), notifications.get(), System.nanoTime() - start,
            ended, firstRefusal.get(), compiling.toString());
    }

    /**
     * @return false when the connections could not all be opened.
     */
    private boolean round(final EventLoopGroup group, final long roundNs) throws InterruptedException
    {
        final BenchTarget herald = BenchTarget.of("herald");
        final List<BenchSocket> sockets = new ArrayList<>();
        final List<CompletableFuture<BenchSocket>> opening = new ArrayList<>();
        final CountDownLatch subscribed = new CountDownLatch(2 * SUBSCRIBERS);
        try
        {
            for (int s = 0; s < SUBSCRIBERS; s++)
            {
                opening.add(BenchSocket.open(group, uri, herald, null, (frame) -> onSubscriberFrame(frame, subscribed)));
            }
            for (int s = 0; s < SUBSCRIBERS; s++)
            {
                final BenchSocket socket = opening.get(s).get(10, TimeUnit.SECONDS);
                sockets.add(socket);
                socket.send(subscribe("s" + s, "{\"equals\":{\"topic\":\"w" + (s % TOPICS) + "\"}}"));
                socket.send(subscribe("a" + s, "{\"and\":[{\"equals\":{\"topic\":\"all\"}}," +
                    "{\"range\":{\"n\":{\"gte\":0}}}]}"));
            }
            // the first round may meet a cluster still electing its leader: its answer comes within the edge's
            // request timeout, as a subscription or as a refusal
            subscribed.await(30, TimeUnit.SECONDS);
            final AtomicBoolean running = new AtomicBoolean(true);
            final List<Publisher> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final Publisher publisher = new Publisher(p, running);
                publisher.socket = BenchSocket.open(group, uri, herald, null, publisher).get(10, TimeUnit.SECONDS);
                sockets.add(publisher.socket);
                publishers.add(publisher);
            }
            publishers.forEach(Publisher::start);
            LockSupport.parkNanos(roundNs);
            running.set(false);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (final Publisher publisher : publishers)
            {
                while (publisher.inFlight.get() > 0 && System.nanoTime() < deadline)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }
        catch (final Exception ex)
        {
            if (ex instanceof InterruptedException)
            {
                throw (InterruptedException)ex;
            }
            firstRefusal.compareAndSet(null, "could not connect: " + ex);
            refused.incrementAndGet();
            // the subscriber connections opened in order: those after the ones taken were still opening
            for (final CompletableFuture<BenchSocket> open :
                opening.subList(Math.min(sockets.size(), opening.size()), opening.size()))
            {
                open.thenAcceptAsync(BenchSocket::close);
            }
            return false;
        }
        finally
        {
            for (final BenchSocket socket : sockets)
            {
                socket.close(); // waits until closed
            }
        }
        return true;
    }

    private void onSubscriberFrame(final ByteBuf frame, final CountDownLatch subscribed)
    {
        final String text = frame.toString(StandardCharsets.UTF_8);
        if (text.contains("\"type\":\"document\""))
        {
            notifications.incrementAndGet();
        }
        else if (text.contains("\"action\":\"subscribe\""))
        {
            if (!text.contains("\"status\":200"))
            {
                refusal(text);
            }
            subscribed.countDown();
        }
    }

    private void refusal(final String answer)
    {
        refused.incrementAndGet();
        firstRefusal.compareAndSet(null, answer);
    }

    private static String subscribe(final String requestId, final String filter)
    {
        return "{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"" + requestId + "\",\"index\":\"" +
            INDEX + "\",\"collection\":\"warmup\",\"body\":" + filter + "}";
    }

    /**
     * A publishing connection: {@link #WINDOW} publishes in flight, one more sent from its event loop per answer
     * while the round runs.
     */
    private final class Publisher implements Consumer<ByteBuf>
    {
        private final AtomicBoolean running;
        private final AtomicLong inFlight = new AtomicLong();
        private long sent;
        BenchSocket socket;

        Publisher(final int index, final AtomicBoolean running)
        {
            this.running = running;
            this.sent = index;
        }

        void start()
        {
            socket.eventLoop().execute(() ->
            {
                for (int i = 0; i < WINDOW; i++)
                {
                    publish();
                }
            });
        }

        public void accept(final ByteBuf frame)
        {
            final String answer = frame.toString(StandardCharsets.UTF_8);
            if (answer.contains("\"status\":200"))
            {
                publishes.incrementAndGet();
            }
            else
            {
                refusal(answer);
            }
            inFlight.decrementAndGet();
            if (running.get())
            {
                publish();
            }
        }

        private void publish()
        {
            final long n = sent++;
            final String topic = n % 8 == 7 ? "all" : "w" + (n % TOPICS);
            inFlight.incrementAndGet();
            socket.send("{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"" + INDEX +
                "\",\"collection\":\"warmup\",\"body\":{\"topic\":\"" + topic + "\",\"n\":" + n +
                (n % 4 == 3 ? ",\"pad\":\"" + LARGE_PAD + "\"" : "") + "}}");
        }
    }
}
