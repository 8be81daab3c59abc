package io.herald.transport.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.herald.codecs.BooleanType;
import io.herald.codecs.NotificationListDecoder;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.engine.registry.Users;
import io.herald.tools.config.IdleStrategies;
import io.herald.transport.edge.ReadLink;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One publish from the edge to a node and its notification list back, over Aeron, through the real parts: the edge's
 * {@link ReadLink} encodes the publish request (SBE) and offers it on the node's read channel, the node's
 * {@link ReadServer} (on its own thread, as the service's background work) decodes it, parses the document, matches
 * it against 1,000 {@code equals} subscriptions and answers the one matched channel on the edge's answer channel, and
 * the benchmark thread (the router) polls until the last chunk of the answer arrived. No cluster log is involved: a
 * publish is a read, any node answers it.
 * <p>
 * {@code transport}: {@code ipc} (both ends in one driver's memory) or {@code udp} (loopback, the driver's sender and
 * receiver on the path). {@code idle}: the idle strategy of the node thread and of the driver (one SHARED thread),
 * named as in the config files; the benchmark thread spins, as it measures. Run with {@code -prof gc}: the figure is
 * the allocation of every thread in the JVM (edge, node and driver) per round trip.
 * It lives in the read server's package to reach it.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadRoundTripBenchmark
{
    private static final int EDGE_ID = 1;
    private static final int SUBSCRIPTIONS = 1_000;
    private static final String INDEX = "bench";
    private static final String COLLECTION = "c";
    /** What the kuzzle-sdk sends with every request: a request id and its volatile data. */
    private static final String REQUEST_ID = "0d3b8c9e-6f1a-4d52-9b7e-2c4f8a1e5d30";
    private static final String VOLATILE = "{\"sdkInstanceId\":\"9a7c1e2f-3b4d-4e5f-8a6b-7c8d9e0f1a2b\"," +
        "\"sdkName\":\"js@7.17.1\"}";

    @Param({ "ipc", "udp" })
    public String transport;

    @Param({ "backoff", "yielding" })
    public String idle;

    private File dir;
    private MediaDriver driver;
    private Aeron aeron;
    private ReadLink edge;
    private ReadServer node;
    private Thread nodeThread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Answers answers = new Answers();
    private long correlationId;
    private String document;

    @Setup
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("herald-jmh-read").toFile();
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(new File(dir, "driver").getAbsolutePath())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.of(idle).get())
            .termBufferSparseFile(true)
            .publicationTermBufferLength(1024 * 1024)
            .ipcTermBufferLength(1024 * 1024));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final String readChannel = "ipc".equals(transport) ? "aeron:ipc" : "aeron:udp?endpoint=localhost:" + udpPort();
        final String answerChannel = "ipc".equals(transport) ?
            "aeron:ipc" : "aeron:udp?endpoint=localhost:" + udpPort();

        final ObjectMapper json = new ObjectMapper();
        final SubscriptionRegistry registry = new SubscriptionRegistry(new FilterEngine());
        for (int i = 0; i < SUBSCRIPTIONS; i++)
        {
            registry.subscribe(Connections.key(EDGE_ID, i), INDEX, COLLECTION,
                json.readTree("{\"equals\":{\"topic\":\"t" + i + "\"}}"), Scope.ALL, Users.NONE);
        }
        document = "{\"topic\":\"t" + (SUBSCRIPTIONS / 2) + "\",\"price\":42,\"text\":\"a published document\"}";

        node = new ReadServer(aeron, readChannel, registry, () -> 0, () -> 0L, () -> 0, () -> 0L);
        edge = new ReadLink(aeron, readChannel, answerChannel, EDGE_ID);
        nodeThread = new Thread(() ->
        {
            final IdleStrategy nodeIdle = IdleStrategies.of(idle).get();
            while (running.get())
            {
                nodeIdle.idle(node.doWork(System.nanoTime()));
            }
        }, "jmh-node");
        nodeThread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!edge.connected(0))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the node's read channel did not connect: " + readChannel);
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        // the first answer also creates and connects the node's publication to the answer channel
        roundTrip();
    }

    @TearDown
    public void tearDown() throws Exception
    {
        running.set(false);
        nodeThread.join();
        edge.close();
        aeron.close();
        driver.close();
        IoUtil.delete(dir, true);
    }

    @Benchmark
    public long roundTrip()
    {
        final long id = ++correlationId;
        while (!edge.publish(id, 0, id, 0, INDEX, COLLECTION, document, "", REQUEST_ID, VOLATILE, "websocket"))
        {
            Thread.onSpinWait();
        }
        answers.reset(id);
        while (!answers.done)
        {
            if (0 == edge.poll(answers))
            {
                Thread.onSpinWait();
            }
        }
        if (1 != answers.connections)
        {
            throw new IllegalStateException("the publish matched " + answers.connections + " connections, not 1");
        }
        return answers.connections;
    }

    private static int udpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * Counts the connections of one publish's answer, as the router reads them, until its last chunk.
     */
    private static final class Answers implements ReadLink.Lists
    {
        private long expected;
        private int connections;
        private boolean done;

        void reset(final long correlationId)
        {
            expected = correlationId;
            connections = 0;
            done = false;
        }

        public void onNotificationList(final long correlationId, final NotificationListDecoder list)
        {
            if (correlationId != expected)
            {
                return;
            }
            for (final NotificationListDecoder.ChannelsDecoder channel : list.channels())
            {
                for (final NotificationListDecoder.ChannelsDecoder.ConnectionsDecoder ignored : channel.connections())
                {
                    connections++;
                }
                channel.skipChannel();
            }
            done = BooleanType.TRUE == list.last();
        }

        public void onCount(final long correlationId, final int count)
        {
        }

        public void onList(final long correlationId, final String json)
        {
        }

        public void onError(final long correlationId, final int status, final String errorId, final String message)
        {
            throw new IllegalStateException("the node answered " + status + " " + errorId + ": " + message);
        }
    }
}
