package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.EventLoopGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code herald bench fuzz}: seeded hostile input against a running Herald for a while, with a witness client that
 * must lose nothing. Hostile WebSocket connections send {@link HostileFrames} (each keeping a few requests
 * unanswered at a time); throwaway connections send text that is not UTF-8 (the server must close them, 1007) or reset
 * their socket mid-frame; {@link HostileHttp} sends malformed and slow HTTP. Meanwhile the witness publishes a
 * numbered document every 10 ms and a subscriber of its own checks each acknowledged one arrives once.
 * <p>
 * At the end: every frame that carried a readable {@code requestId} must have been answered in that room, the
 * witness must have lost nothing, and the server must still answer. Exit status 0 when all three hold, 1 otherwise.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = "Seeded hostile WebSocket frames and HTTP requests against a running Herald, with a witness client " +
        "that must lose nothing; every request with a readable requestId must be answered in its room.")
public final class FuzzBenchCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", description = "The server's WebSocket URL (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:7512");

    @Option(names = "--seed", description = "Seed of the hostile input (default: the current time, printed).")
    long seed = System.currentTimeMillis();

    @Option(names = "--seconds", description = "How long hostile input is sent (default: ${DEFAULT-VALUE}).")
    int seconds = 180;

    @Option(names = "--connections", description = "Hostile WebSocket connections (default: ${DEFAULT-VALUE}).")
    int connections = 8;

    @Option(names = "--window", description = "Unanswered requests per hostile connection (default: " +
        "${DEFAULT-VALUE}).")
    int window = 4;

    @Option(names = "--max-frame-bytes", description = "The server's edge.max.frame.bytes (default: " +
        "${DEFAULT-VALUE}).")
    int maxFrameBytes = 1 << 20;

    @Option(names = "--http-request-timeout", description = "The server's edge.http.request.timeout, seconds: " +
        "slow requests must be cut by then (default: ${DEFAULT-VALUE}).")
    int httpRequestTimeoutSeconds = 10;

    @Option(names = "--json", description = "Also write the results to this file, as JSON.")
    File json;

    private final ConcurrentHashMap<String, Long> outstanding = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();

    public Integer call() throws Exception
    {
        System.out.println("herald bench fuzz: seed " + seed + ", " + seconds + " s against " + url);
        final long pid = ProcessMemory.listeningOn(url.getPort());
        final ProcessMemory.Sample before = memory(pid);
        final EventLoopGroup group = BenchSocket.group(2);
        final FuzzWitness witness = new FuzzWitness(group, url);
        final HostileHttp http = new HostileHttp(url.getHost(), url.getPort(), seed + 1, httpRequestTimeoutSeconds);
        final Thread httpThread = new Thread(() -> http.run(TimeUnit.SECONDS.toNanos(seconds)), "fuzz-http");
        try
        {
            witness.start();
            httpThread.start();
            final List<Hostile> hostile = new ArrayList<>();
            for (int i = 0; i < connections; i++)
            {
                hostile.add(new Hostile(group, new HostileFrames(seed * 31 + i, "f" + i + "-", maxFrameBytes)));
            }
            final HostileFrames closers = new HostileFrames(seed * 17, "x-", maxFrameBytes);
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long nextCloser = System.nanoTime();
            int reopened = 0;
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end)
            {
                int sent = 0;
                for (int i = 0; i < hostile.size(); i++)
                {
                    if (!hostile.get(i).socket.isOpen())
                    {
                        // its unanswered requests stay on the list: the server owed them an answer
                        count("hostile connections closed by the server");
                        reopened++;
                        hostile.set(i, new Hostile(group, new HostileFrames(seed * 31 + connections * reopened + i,
                            "r" + reopened + "-" + i + "-", maxFrameBytes)));
                    }
                    sent += hostile.get(i).sendWhileRoom();
                }
                if (System.nanoTime() - nextCloser > 0)
                {
                    nextCloser = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    closeWithInvalidUtf8(group, closers.invalidUtf8());
                }
                if (System.nanoTime() - nextProgress > 0)
                {
                    nextProgress += TimeUnit.SECONDS.toNanos(10);
                    System.out.println("  " + counter("frames sent") + " frames, " + outstanding.size() +
                        " awaiting an answer, witness " + witness.summary());
                }
                if (0 == sent)
                {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
            httpThread.join(TimeUnit.SECONDS.toMillis(httpRequestTimeoutSeconds + 30));
            final long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!outstanding.isEmpty() && System.nanoTime() < drainEnd)
            {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            witness.stop();
            final boolean answers = witness.serverAnswers();
            final ProcessMemory.Sample after = memory(pid);
            return report(witness, http, answers, before, after);
        }
        finally
        {
            witness.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private int report(
        final FuzzWitness witness, final HostileHttp http, final boolean serverAnswers,
        final ProcessMemory.Sample before, final ProcessMemory.Sample after) throws IOException
    {
        final ObjectNode result = JSON.createObjectNode().put("seed", seed).put("seconds", seconds);
        final ObjectNode frames = result.putObject("frames");
        new TreeMap<>(counters).forEach((name, value) -> frames.put(name, value.get()));
        final ObjectNode byStatus = result.putObject("answersByStatus");
        new TreeMap<>(statuses).forEach((status, value) -> byStatus.put(status, value.get()));
        result.put("unanswered", outstanding.size());
        result.set("witness", witness.toJson());
        result.set("http", http.toJson());
        result.put("serverAnswersAfter", serverAnswers);
        if (null != before && null != after)
        {
            final ObjectNode memory = result.putObject("serverMemoryMB");
            memory.set("before", megabytes(before));
            memory.set("after", megabytes(after));
        }
        final boolean passed = outstanding.isEmpty() && witness.lost() == 0 && witness.duplicated() == 0 &&
            serverAnswers && http.failures() == 0;
        result.put("passed", passed);
        if (!outstanding.isEmpty())
        {
            result.put("unansweredExamples", String.join(", ", outstanding.keySet().stream().limit(10).toList()));
        }
        final String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (null != json)
        {
            JSON.writerWithDefaultPrettyPrinter().writeValue(json, result);
        }
        return passed ? 0 : 1;
    }

    private static ObjectNode megabytes(final ProcessMemory.Sample sample)
    {
        return JSON.createObjectNode().put("rss", sample.rss() >> 20).put("rssAnon", sample.rssAnon() >> 20)
            .put("rssFile", sample.rssFile() >> 20).put("heapLive", sample.heapUsed() >> 20)
            .put("heapCommitted", sample.heapCommitted() >> 20).put("directBuffers", sample.directBuffers() >> 20);
    }

    private static ProcessMemory.Sample memory(final long pid)
    {
        if (pid < 0)
        {
            return null;
        }
        try (ProcessMemory memory = ProcessMemory.of(pid))
        {
            return memory.sample();
        }
        catch (final Exception ex)
        {
            System.err.println("herald bench fuzz: cannot read the server's memory: " + ex.getMessage());
            return null;
        }
    }

    /**
     * Text that is not UTF-8, on a connection of its own: the server must close it (1007), not answer it.
     */
    private void closeWithInvalidUtf8(final EventLoopGroup group, final HostileFrames.Frame frame)
    {
        try
        {
            final BenchSocket socket = BenchSocket.open(group, url, null, null, maxFrameBytes * 2, (data) -> { })
                .get(10, TimeUnit.SECONDS);
            socket.closeFuture().addListener((future) -> count("invalid UTF-8 connections closed by the server"));
            socket.sendBytes(frame.payload(), false);
            count("invalid UTF-8 frames sent");
        }
        catch (final Exception ex)
        {
            count("throwaway connections refused");
        }
    }

    private void count(final String name)
    {
        counters.computeIfAbsent(name, (key) -> new AtomicLong()).incrementAndGet();
    }

    private long counter(final String name)
    {
        final AtomicLong value = counters.get(name);
        return null == value ? 0 : value.get();
    }

    /**
     * A hostile connection: sends frames while fewer than {@code window} of its requests await an answer, and takes
     * answers off the list by their room.
     */
    private final class Hostile
    {
        private final BenchSocket socket;
        private final HostileFrames frames;
        private final AtomicLong awaiting = new AtomicLong();

        Hostile(final EventLoopGroup group, final HostileFrames frames) throws Exception
        {
            this.frames = frames;
            this.socket = BenchSocket.open(group, url, null, null, maxFrameBytes * 2, this::onFrame)
                .get(10, TimeUnit.SECONDS);
        }

        int sendWhileRoom()
        {
            int sent = 0;
            while (awaiting.get() < window && socket.isOpen() && sent < 64)
            {
                final HostileFrames.Frame frame = frames.next();
                if (null != frame.requestId())
                {
                    if (null != outstanding.putIfAbsent(frame.requestId(), System.nanoTime()))
                    {
                        continue;
                    }
                    awaiting.incrementAndGet();
                }
                socket.sendBytes(frame.payload(), frame.binary());
                count("frames sent");
                count("kind " + frame.kind());
                sent++;
            }
            return sent;
        }

        private void onFrame(final ByteBuf data)
        {
            final JsonNode message;
            try
            {
                message = JSON.readTree((InputStream)new ByteBufInputStream(data.duplicate()));
            }
            catch (final IOException ex)
            {
                count("unreadable frames from the server");
                return;
            }
            if (message.has("type"))
            {
                count("notifications received");
                return;
            }
            if (message.has("p"))
            {
                count("heartbeats answered");
                return;
            }
            final String room = message.path("room").asText(null);
            statuses.computeIfAbsent(Integer.toString(message.path("status").asInt()), (key) -> new AtomicLong())
                .incrementAndGet();
            if (null != room && null != outstanding.remove(room))
            {
                awaiting.decrementAndGet();
                count("answers in their room");
            }
            else if (null == room)
            {
                count("answers without a room (nothing to read one from)");
            }
            else
            {
                count("answers to rooms not awaited");
            }
        }
    }
}
