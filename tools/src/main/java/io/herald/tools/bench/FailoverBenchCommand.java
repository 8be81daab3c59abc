package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code herald bench failover}: steady publishing through a running multi-node Herald while the harness kills a node
 * (the leader or a follower) with SIGKILL, in rounds. Per round: publishes sent, acknowledged, refused and left
 * unanswered; acknowledged publishes a subscriber never received or received twice; the longest gap between two
 * notifications at a subscriber; publish→notification latency (each publish carries its intended send time, so a
 * stall is charged to every publish it delayed); the writes (subscribes, which need the cluster log, hence a
 * leader) sent every 50 ms from the kill on: when the one sent at the kill was answered, the longest any waited, how
 * many failed, how many the edge sent again to the new leader ({@code herald_writes_resent_total}), and when one sent
 * after the kill was first answered; and how long until the edge saw every node up again.
 * <p>
 * The nodes must run on this machine: the harness kills the pid a node reports in the edge's
 * {@code GET /_cluster/status}, after checking that the process is a Herald node. {@code herald up --nodes 3} starts
 * such a cluster and starts a killed node again; the next round begins once every node is up.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Publish steadily through a running Herald cluster (herald up --nodes 3) while killing a node.")
public final class FailoverBenchCommand implements Runnable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long PROBE_EVERY_MS = 50;

    @Option(names = "--url", description = "The edge's WebSocket URL; its HTTP status is read on the same port " +
        "(default: ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:7512");

    @Option(names = "--subscribers", description = "Subscriber connections, each receiving every publish " +
        "(default: ${DEFAULT-VALUE}).")
    int subscribers = 10;

    @Option(names = "--rate", description = "Publishes per second (default: ${DEFAULT-VALUE}).")
    int rate = 200;

    @Option(names = "--before", description = "Seconds of publishing before the kill (default: ${DEFAULT-VALUE}).")
    int before = 3;

    @Option(names = "--after", description = "Seconds of publishing after the kill (default: ${DEFAULT-VALUE}).")
    int after = 7;

    @Option(names = "--rounds", description = "Kills, each after every node is up again (default: ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(names = "--kill", description = "leader, follower, alternate (leader first) or none (a baseline round) " +
        "(default: ${DEFAULT-VALUE}).")
    String kill = "leader";

    @Option(names = "--recovery-timeout", description = "Seconds to wait for every node to be up, before the " +
        "first round and after each kill (default: ${DEFAULT-VALUE}).")
    int recoveryTimeout = 120;

    @Option(names = "--json", description = "Write the settings and the figures of every round here.")
    File json;

    @Option(names = "--plot", description = "Draw the latency percentile distribution of every round into this PNG.")
    File plot;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Recorder recorder = new Recorder(3);
    private final ConcurrentHashMap<String, Long> probesSent = new ConcurrentHashMap<>();
    private final AtomicLong resumedAtNs = new AtomicLong();
    private final AtomicLong probeFloorNs = new AtomicLong(Long.MAX_VALUE);
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();
    private final AtomicReference<String> firstWriteFailure = new AtomicReference<>();
    private final AtomicLong atKillProbeAnsweredNs = new AtomicLong();
    private final AtomicLong longestProbeNs = new AtomicLong();
    private final AtomicLong probesFailed = new AtomicLong();
    private final AtomicLong probesAnswered = new AtomicLong();
    private volatile String atKillProbe = "";
    private final AtomicLong probeSequence = new AtomicLong();
    private AtomicIntegerArray answers;
    private AtomicLongArray answeredAtNs;
    private long[] intendedNs;
    private AtomicIntegerArray[] deliveries;
    private AtomicLongArray[] arrivedAtNs;

    public void run()
    {
        if (!List.of("leader", "follower", "alternate", "none").contains(kill))
        {
            throw new IllegalArgumentException("--kill must be leader, follower, alternate or none, not " + kill);
        }
        if (rounds < 1 || rate < 1 || subscribers < 1 || before < 1 || after < 1)
        {
            throw new IllegalArgumentException("--rounds, --rate, --subscribers, --before and --after must be >= 1");
        }
        try
        {
            final List<ObjectNode> results = measure();
            if (null != json)
            {
                final ObjectNode result = BenchResults.object();
                result.put("scenario", "failover").put("target", "herald").put("url", url.toString())
                    .put("subscribers", subscribers).put("ratePerSecond", rate).put("beforeSeconds", before)
                    .put("afterSeconds", after).put("kill", kill);
                result.putArray("rounds").addAll(results);
                BenchResults.write(json, result);
            }
        }
        catch (final Exception ex)
        {
            // the harness's own errors (no cluster, nothing to kill) keep their message
            throw ex instanceof RuntimeException ? (RuntimeException)ex : new IllegalStateException(ex);
        }
    }

    private List<ObjectNode> measure() throws Exception
    {
        final int perRound = rate * (before + after);
        final int capacity = perRound * rounds;
        answers = new AtomicIntegerArray(capacity);
        answeredAtNs = new AtomicLongArray(capacity);
        intendedNs = new long[capacity];
        deliveries = new AtomicIntegerArray[subscribers];
        arrivedAtNs = new AtomicLongArray[subscribers];
        final EventLoopGroup group = BenchSocket.group(2);
        final List<BenchSocket> sockets = new ArrayList<>();
        final List<ObjectNode> results = new ArrayList<>();
        final Map<String, double[][]> curves = new LinkedHashMap<>();
        try
        {
            awaitAllUp(-1, -1);
            final CountDownLatch subscribed = new CountDownLatch(subscribers);
            for (int s = 0; s < subscribers; s++)
            {
                deliveries[s] = new AtomicIntegerArray(capacity);
                arrivedAtNs[s] = new AtomicLongArray(capacity);
                final int subscriber = s;
                final BenchSocket socket = BenchSocket.connect(group, url, (frame) ->
                    onSubscriberFrame(subscriber, frame, subscribed));
                sockets.add(socket);
                socket.send("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"s" + s +
                    "\",\"index\":\"bench\",\"collection\":\"failover\",\"body\":{\"exists\":\"seq\"}}");
            }
            if (!subscribed.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("subscriptions not all answered: " + subscribed.getCount() + " left");
            }
            final BenchSocket publisher = BenchSocket.connect(group, url, this::onPublisherFrame);
            final BenchSocket prober = BenchSocket.connect(group, url, this::onProbeFrame);
            sockets.add(publisher);
            sockets.add(prober);
            for (int round = 0; round < rounds; round++)
            {
                final ObjectNode result = round(round, round * perRound, perRound, publisher, prober);
                final long closed = sockets.stream().filter((socket) -> !socket.isOpen()).count();
                result.put("closedConnections", closed);
                results.add(result);
                System.out.println(FailoverSummary.summary(result));
                curves.put("round " + (round + 1) + " (" + result.get("killed").asText() + ")",
                    BenchResults.distribution(result));
                if (closed > 0)
                {
                    System.err.println(closed + " client connections were closed: stopping");
                    break;
                }
            }
        }
        finally
        {
            sockets.forEach(BenchSocket::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (results.size() > 1)
        {
            System.out.println(FailoverSummary.total(results));
        }
        if (null != plot)
        {
            BenchResults.plot(plot, "failover: " + rate + " publishes/s, " + subscribers + " subscribers", curves);
        }
        return results;
    }

    private ObjectNode round(
        final int round, final int from, final int count, final BenchSocket publisher, final BenchSocket prober)
        throws Exception
    {
        final String role = "alternate".equals(kill) ? (round % 2 == 0 ? "leader" : "follower") : kill;
        final JsonNode status = status();
        final int victim = "none".equals(role) ? -1 : ClusterVictims.victim(status, role);
        final long victimPid = victim < 0 ? -1 : status.path("nodes").path(victim).path("pid").asLong(-1);
        final ProcessHandle process = victim < 0 ? null : ClusterVictims.nodeProcess(victim, victimPid);
        System.err.printf("round %d: %d subscribers, %d publishes/s, %s at %d s of %d s%n", round + 1, subscribers,
            rate, victim < 0 ? "no kill" : "kill -9 of node " + victim + " (" + role + ", pid " + victimPid + ")",
            before, before + after);
        resumedAtNs.set(0);
        probeFloorNs.set(Long.MAX_VALUE);
        firstRefusal.set(null);
        firstWriteFailure.set(null);
        atKillProbeAnsweredNs.set(0);
        longestProbeNs.set(0);
        probesFailed.set(0);
        probesAnswered.set(0);
        probesSent.clear();
        final long resentBefore = edgeCounter("herald_writes_resent_total");
        recorder.reset();
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final int killAt = rate * before;
        final long start = System.nanoTime();
        long killedAtNs = 0;
        ScheduledFuture<?> probes = null;
        for (int i = 0; i < count; i++)
        {
            final long intended = start + i * intervalNs;
            BenchReport.sleepUntil(intended);
            if (i == killAt)
            {
                killedAtNs = System.nanoTime();
                if (null != process)
                {
                    process.destroyForcibly();
                }
                probeFloorNs.set(killedAtNs);
                atKillProbe = "probe-" + (probeSequence.get() + 1);
                probes = prober.eventLoop().scheduleAtFixedRate(() -> probe(prober), 0, PROBE_EVERY_MS,
                    TimeUnit.MILLISECONDS);
            }
            final int seq = from + i;
            intendedNs[seq] = intended;
            publisher.send("{\"controller\":\"realtime\",\"action\":\"publish\",\"requestId\":\"p" + seq +
                "\",\"index\":\"bench\",\"collection\":\"failover\",\"body\":{\"seq\":" + seq + ",\"sent\":" +
                intended + "}}");
        }
        LockSupport.parkNanos(DRAIN_NS);
        if (null != probes)
        {
            probes.cancel(false);
        }
        // writes that need the leader may still be waiting for one: give them the recovery timeout, not more
        final long probeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(recoveryTimeout);
        while ((0 == resumedAtNs.get() || !probesSent.isEmpty()) && System.nanoTime() < probeDeadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        final ObjectNode result = figures(round, from, count, killedAtNs);
        result.put("killed", victim < 0 ? "none" : role).put("node", victim).put("pid", victimPid);
        final long resumed = resumedAtNs.get();
        result.put("writesResumedAfterMs", 0 == resumed ? -1 : TimeUnit.NANOSECONDS.toMillis(resumed - killedAtNs));
        final long atKill = atKillProbeAnsweredNs.get();
        result.put("subscribeAtKillAnsweredAfterMs", 0 == atKill || 0 == killedAtNs ? -1 :
            TimeUnit.NANOSECONDS.toMillis(atKill - killedAtNs));
        result.put("writes", probesAnswered.get() + probesSent.size()).put("writesFailed", probesFailed.get())
            .put("writesUnanswered", probesSent.size())
            .put("longestWriteWaitMs", TimeUnit.NANOSECONDS.toMillis(longestProbeNs.get()))
            .put("writesResent", edgeCounter("herald_writes_resent_total") - resentBefore);
        if (null != firstWriteFailure.get())
        {
            result.put("firstWriteFailure", firstWriteFailure.get());
        }
        result.put("allUpAgainAfterMs", victim < 0 ? 0 : awaitAllUp(victim, victimPid) < 0 ? -1 :
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNs));
        return result;
    }

    /**
     * The figures of one round, from what the callbacks recorded.
     */
    private ObjectNode figures(final int round, final int from, final int count, final long killedAtNs)
    {
        long acked = 0;
        long refused = 0;
        long unanswered = 0;
        long longestAnswerNs = 0;
        for (int seq = from; seq < from + count; seq++)
        {
            switch (answers.get(seq))
            {
                case 1 -> acked++;
                case 2 -> refused++;
                default -> unanswered++;
            }
            if (0 != answeredAtNs.get(seq))
            {
                longestAnswerNs = Math.max(longestAnswerNs, answeredAtNs.get(seq) - intendedNs[seq]);
            }
        }
        long missed = 0;
        long twice = 0;
        long longestGapNs = 0;
        final long[] arrivals = new long[count];
        for (int s = 0; s < subscribers; s++)
        {
            int arrived = 0;
            for (int seq = from; seq < from + count; seq++)
            {
                final int times = deliveries[s].get(seq);
                if (1 == answers.get(seq) && 0 == times)
                {
                    missed++;
                }
                twice += Math.max(0, times - 1);
                if (times > 0)
                {
                    arrivals[arrived++] = arrivedAtNs[s].get(seq);
                }
            }
            Arrays.sort(arrivals, 0, arrived);
            for (int i = 1; i < arrived; i++)
            {
                longestGapNs = Math.max(longestGapNs, arrivals[i] - arrivals[i - 1]);
            }
        }
        final Histogram latency = recorder.getIntervalHistogram();
        final ObjectNode result = BenchResults.object();
        result.put("round", round + 1).put("publishes", count).put("acknowledged", acked).put("refused", refused)
            .put("unanswered", unanswered).put("missedDeliveries", missed).put("duplicateDeliveries", twice)
            .put("expectedDeliveries", acked * subscribers).put("deliveries", latency.getTotalCount())
            .put("longestGapMs", longestGapNs / 1e6).put("longestPublishAnswerMs", longestAnswerNs / 1e6);
        if (null != firstRefusal.get())
        {
            result.put("firstRefusal", firstRefusal.get());
        }
        result.set("latency", BenchResults.latency(latency));
        return result;
    }

    private void onSubscriberFrame(final int subscriber, final ByteBuf frame, final CountDownLatch subscribed)
    {
        final long now = System.nanoTime();
        final JsonNode message = parse(frame);
        if ("document".equals(message.path("type").asText()))
        {
            final JsonNode source = message.path("result").path("_source");
            final int seq = source.path("seq").asInt(-1);
            if (seq >= 0 && seq < answers.length())
            {
                if (0 == deliveries[subscriber].getAndIncrement(seq))
                {
                    arrivedAtNs[subscriber].set(seq, now);
                }
                recorder.recordValue(Math.max(0, now - source.path("sent").asLong(now)));
            }
        }
        else if ("subscribe".equals(message.path("action").asText()))
        {
            if (200 != message.path("status").asInt())
            {
                System.err.println("subscribe failed: " + message);
            }
            subscribed.countDown();
        }
    }

    private void onPublisherFrame(final ByteBuf frame)
    {
        final long now = System.nanoTime();
        final JsonNode message = parse(frame);
        final String requestId = message.path("requestId").asText("");
        if (!requestId.startsWith("p"))
        {
            return;
        }
        final int seq = Integer.parseInt(requestId.substring(1));
        final boolean ok = 200 == message.path("status").asInt();
        answers.set(seq, ok ? 1 : 2);
        answeredAtNs.set(seq, now);
        if (!ok)
        {
            firstRefusal.compareAndSet(null, message.path("status").asInt() + " " +
                message.path("error").path("id").asText() + ": " + message.path("error").path("message").asText());
        }
    }

    /**
     * A subscribe (a write: it goes through the cluster log) every {@link #PROBE_EVERY_MS} from the kill to the end
     * of the round's publishing.
     */
    private void probe(final BenchSocket prober)
    {
        final String requestId = "probe-" + probeSequence.incrementAndGet();
        probesSent.put(requestId, System.nanoTime());
        prober.send("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"" + requestId +
            "\",\"index\":\"bench\",\"collection\":\"failover-probe\",\"body\":{\"equals\":{\"probe\":1}}}");
    }

    private void onProbeFrame(final ByteBuf frame)
    {
        final long now = System.nanoTime();
        final JsonNode message = parse(frame);
        final String requestId = message.path("requestId").asText("");
        final Long sent = probesSent.remove(requestId);
        if (null == sent || sent < probeFloorNs.get())
        {
            return;
        }
        probesAnswered.incrementAndGet();
        longestProbeNs.accumulateAndGet(now - sent, Math::max);
        if (requestId.equals(atKillProbe))
        {
            atKillProbeAnsweredNs.set(now);
        }
        if (200 == message.path("status").asInt())
        {
            resumedAtNs.compareAndSet(0, now);
        }
        else
        {
            probesFailed.incrementAndGet();
            firstWriteFailure.compareAndSet(null, message.path("status").asInt() + " " +
                message.path("error").path("id").asText() + ": " + message.path("error").path("message").asText());
        }
    }

    /**
     * @return a counter of the edge's {@code /metrics} (labels summed), or 0 when it cannot be read.
     */
    private long edgeCounter(final String name)
    {
        try
        {
            final URI metrics = URI.create("http://" + url.getHost() + ":" + url.getPort() + "/metrics");
            final String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            return MetricsText.sumsByName(text).getOrDefault(name, 0L);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static JsonNode parse(final ByteBuf frame)
    {
        try
        {
            return JSON.readTree(frame.toString(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return JSON.createObjectNode();
        }
    }

    private JsonNode status() throws IOException, InterruptedException
    {
        final URI statusUri = URI.create("http://" + url.getHost() + ":" + url.getPort() + "/_cluster/status");
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(statusUri)
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("result");
    }

    /**
     * Waits until the edge sees every node up, one of them the leader, and (after a kill) the killed node back with
     * a new process.
     *
     * @return nanoseconds waited, or -1 when the recovery timeout passed.
     */
    private long awaitAllUp(final int node, final long killedPid) throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.SECONDS.toNanos(recoveryTimeout);
        String last = "no answer from " + url;
        while (System.nanoTime() < deadline)
        {
            try
            {
                final JsonNode status = status();
                last = status.toString();
                final JsonNode nodes = status.path("nodes");
                boolean allUp = nodes.size() > 1 && status.path("leader").asInt(-1) >= 0;
                for (final JsonNode each : nodes)
                {
                    allUp &= "up".equals(each.path("state").asText()) && each.path("pid").asLong(-1) > 0;
                }
                if (allUp && "leader".equals(nodes.path(status.path("leader").asInt()).path("role").asText()) &&
                    (node < 0 || nodes.path(node).path("pid").asLong() != killedPid))
                {
                    return System.nanoTime() - start;
                }
            }
            catch (final IOException ex)
            {
                last = ex.toString();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        if (node < 0)
        {
            throw new IllegalStateException("the cluster behind " + url + " did not have every node up (and more " +
                "than one node) within " + recoveryTimeout + " s; start one with herald up --nodes 3. Last status: " +
                last);
        }
        System.err.println("node " + node + " was not up again within " + recoveryTimeout + " s (is something " +
            "starting it again? herald up --nodes N does). Last status: " + last);
        return -1;
    }

}
