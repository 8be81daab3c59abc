package io.herald.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code herald bench connections}: the server's memory per idle connection. Opens WebSocket connections in steps
 * (10k, 50k, 100k by default) from several loopback source addresses (one address has ~28k ephemeral ports), and at
 * each step checks that connections answer and reads the server process's memory: resident set growth per
 * connection (heap and off-heap alike), and for a JVM its live heap after a full collection.
 * <p>
 * Needs a file limit above the largest step in this process and in the server:
 * {@code benchmarks/scripts/connections.sh} raises both.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
    description = "Memory per idle connection of a running Herald edge (./herald up), or a NATS server.")
public final class ConnectionsBenchCommand implements Runnable
{
    private static final long MB = 1 << 20;

    @Option(names = "--url", description = "The server's WebSocket URL (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:7512");

    @Option(names = "--target", description = "herald or nats (default: ${DEFAULT-VALUE}).")
    String target = "herald";

    @Option(names = "--steps", split = ",", description = "Open connections at which memory is read " +
        "(default: 10000,50000,100000).")
    int[] steps = {10_000, 50_000, 100_000};

    @Option(names = "--sources", description = "Loopback source addresses to connect from, 127.0.0.1 up " +
        "(default: ${DEFAULT-VALUE}).")
    int sources = 8;

    @Option(names = "--pid", description = "The server's process (default: the one listening on the URL's port).")
    long pid = -1;

    @Option(names = "--in-flight", description = "Handshakes under way at once (default: ${DEFAULT-VALUE}).")
    int inFlight = 256;

    @Option(names = "--settle", description = "Seconds to wait at each step before reading memory " +
        "(default: ${DEFAULT-VALUE}).")
    int settleSeconds = 3;

    @Option(names = "--probes", description = "Connections asked a request at each step, spread over all of them " +
        "(default: ${DEFAULT-VALUE}).")
    int probes = 200;

    @Option(names = "--hold", description = "Seconds to keep the connections open after the last step, to " +
        "inspect the server (default: ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--json", description = "Write the settings and figures here.")
    File json;

    public void run()
    {
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
        final long serverPid = pid > 0 ? pid : ProcessMemory.listeningOn(url.getPort());
        if (serverPid <= 0)
        {
            throw new IllegalStateException("no process listens on port " + url.getPort() + " of this machine; " +
                "start the server, or name it with --pid");
        }
        final int[] plan = stepsWithin(Math.min(openFilesLimit("self"), openFilesLimit(Long.toString(serverPid))));
        final int most = plan[plan.length - 1];
        final BenchTarget protocol = BenchTarget.of(target);
        final InetAddress[] from = BenchSocket.loopbackSources(sources);
        final ObjectNode result = BenchResults.object();
        result.put("scenario", "connections").put("target", target).put("url", url.toString())
            .put("sourceAddresses", sources).put("serverPid", serverPid);
        final ArrayNode rows = result.putArray("steps");
        final EventLoopGroup group = BenchSocket.group(2);
        final List<BenchSocket> sockets = new ArrayList<>(most);
        final AtomicReference<CountDownLatch> probeAnswers = new AtomicReference<>(new CountDownLatch(0));
        try (ProcessMemory memory = ProcessMemory.of(serverPid))
        {
            final ProcessMemory.Sample base = memory.sample();
            result.put("jvm", memory.isJvm());
            System.err.printf("%s (pid %d%s): before: rss %d MB%s%n", target, serverPid,
                memory.isJvm() ? ", a JVM" : "", base.rss() / MB,
                memory.isJvm() ? ", live heap " + base.heapUsed() / MB + " MB" : "");
            System.out.printf("%-12s %8s %10s %10s %14s %14s %14s %12s%n", "connections", "answered", "open/s",
                "rss MB", "rss B/conn", "heap B/conn", "direct B/conn", "anon B/conn");
            for (final int step : plan)
            {
                final long started = System.nanoTime();
                final int opened = sockets.size();
                sockets.addAll(BenchSocket.openMany(group, url, protocol, step - sockets.size(), from, inFlight,
                    () -> (frame) ->
                    {
                        if (protocol.probeAnswer(frame))
                        {
                            probeAnswers.get().countDown();
                        }
                    }));
                final double openPerSecond = (sockets.size() - opened) /
                    ((System.nanoTime() - started) / 1e9);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(settleSeconds));
                final int answered = probe(protocol, sockets, probeAnswers);
                final long open = sockets.stream().filter(BenchSocket::isOpen).count();
                final ProcessMemory.Sample now = memory.sample();
                final ProcessMemory.Sample grown = now.minus(base);
                System.out.printf("%-12d %8s %10.0f %10d %14s %14s %14s %12s%n", open, answered + "/" + probes,
                    openPerSecond, now.rss() / MB, perConnection(grown.rss(), open, true),
                    perConnection(grown.heapUsed(), open, memory.isJvm()),
                    perConnection(grown.directBuffers(), open, memory.isJvm()),
                    perConnection(grown.rssAnon(), open, true));
                rows.addObject()
                    .put("connections", open).put("probesAnswered", answered).put("probes", probes)
                    .put("openedPerSecond", Math.round(openPerSecond))
                    .put("rssBytes", now.rss()).put("rssGrowthBytes", grown.rss())
                    .put("rssAnonGrowthBytes", grown.rssAnon()).put("rssFileGrowthBytes", grown.rssFile())
                    .put("heapLiveGrowthBytes", grown.heapUsed()).put("heapCommittedGrowthBytes", grown.heapCommitted())
                    .put("directBufferGrowthBytes", grown.directBuffers())
                    .put("rssBytesPerConnection", grown.rss() / Math.max(1, open))
                    .put("heapLiveBytesPerConnection", grown.heapUsed() / Math.max(1, open));
                if (open < step)
                {
                    System.err.printf("only %d of %d connections open: stopping here%n", open, step);
                    break;
                }
            }
        }
        finally
        {
            if (holdSeconds > 0)
            {
                System.err.printf("holding %d connections open for %d s%n", sockets.size(), holdSeconds);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(holdSeconds));
            }
            System.err.printf("closing %d connections%n", sockets.size());
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (null != json)
        {
            BenchResults.write(json, result);
        }
    }

    /**
     * @return how many of {@code probes} connections, spread over all of them, answered a request within 10 s.
     */
    private int probe(
        final BenchTarget protocol, final List<BenchSocket> sockets, final AtomicReference<CountDownLatch> answers)
        throws InterruptedException
    {
        final int asked = Math.min(probes, sockets.size());
        final CountDownLatch latch = new CountDownLatch(asked);
        answers.set(latch);
        for (int i = 0; i < asked; i++)
        {
            sockets.get((int)((long)i * sockets.size() / asked)).send(protocol.probe());
        }
        latch.await(10, TimeUnit.SECONDS);
        return asked - (int)latch.getCount();
    }

    /**
     * @return the steps asked for that both processes' file limits allow (each process keeps 1,000 files for
     * itself), plus one step at the limit when some were dropped.
     */
    private int[] stepsWithin(final long filesLimit)
    {
        final long room = filesLimit - 1_000;
        final int[] within = Arrays.stream(steps).filter((step) -> step <= room).sorted().toArray();
        if (within.length == steps.length)
        {
            return within;
        }
        System.err.printf("the file limit (ulimit -n) of this process or the server's is %d: steps above %d " +
            "connections are left out. Raising the hard limit needs CAP_SYS_RESOURCE; " +
            "benchmarks/scripts/connections.sh raises it where it can%n", filesLimit, room);
        final int last = (int)(room / 1_000 * 1_000);
        if (last <= 0 || (within.length > 0 && within[within.length - 1] >= last))
        {
            if (within.length == 0)
            {
                throw new IllegalStateException("the file limit " + filesLimit + " leaves no room for connections");
            }
            return within;
        }
        final int[] withLast = Arrays.copyOf(within, within.length + 1);
        withLast[within.length] = last;
        return withLast;
    }

    private static String perConnection(final long bytes, final long connections, final boolean known)
    {
        return known ? Long.toString(bytes / Math.max(1, connections)) : "-";
    }

    /**
     * @return a process's soft limit of open files ({@code /proc/<pid>/limits}).
     */
    private static long openFilesLimit(final String process) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", process, "limits")))
        {
            if (line.startsWith("Max open files"))
            {
                final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }
}
