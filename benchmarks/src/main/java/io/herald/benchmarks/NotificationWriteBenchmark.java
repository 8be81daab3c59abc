package io.herald.benchmarks;

import com.sun.management.ThreadMXBean;
import io.herald.transport.edge.EdgeConnections;
import io.herald.transport.edge.SocketTransport;
import io.herald.transport.edge.plugin.websocket.WebSocketFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's notification write, on real loopback sockets: the benchmark thread plays the router and hands one
 * notification for {@code connections} WebSocket connections to {@link EdgeConnections.Deliveries} (one framed buffer
 * per event loop, written to each connection below the WebSocket encoder), then waits until the clients have read
 * every byte. One operation is one publish (or {@code publishes}) delivered to every connection. Run with {@code -prof gc}: B/op divided by
 * {@code connections} is the allocation per delivery, the event loop's and the clients' reads included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Dio.netty.leakDetection.level=disabled" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NotificationWriteBenchmark
{
    @Param({ "1", "100", "1000" })
    public int connections;

    @Param({ "200", "2048" })
    public int documentBytes;

    /**
     * Publishes per operation, each handed over as its own batch the way the router sends one per duty cycle: with
     * more than one, the loop falls behind and flushes each connection once for several (what a loaded edge does).
     */
    @Param({ "1" })
    public int publishes;

    private final EdgeConnections edge = new EdgeConnections();
    private final AtomicLong received = new AtomicLong();
    private final ConcurrentLinkedQueue<Channel> accepted = new ConcurrentLinkedQueue<>();
    private EventLoopGroup serverLoop;
    private EventLoopGroup clientLoop;
    private Channel server;
    private Channel[] clients;
    private long[] ids;
    private byte[] notification;
    private long frameBytes;
    private EdgeConnections.Deliveries deliveries;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final SocketTransport transport = SocketTransport.of("auto");
        serverLoop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory()); // herald up's one I/O thread
        clientLoop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        server = new ServerBootstrap().group(serverLoop).channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>()
            {
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(new WebSocket13FrameEncoder(false));
                    accepted.add(channel);
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        final Bootstrap client = new Bootstrap().group(clientLoop)
            .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
            // the clients read into pooled buffers, so that what they allocate does not count as the edge's
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(new Counting());
        clients = new Channel[connections];
        for (int i = 0; i < connections; i++)
        {
            clients[i] = client.connect(server.localAddress()).sync().channel();
        }
        ids = new long[connections];
        for (int i = 0; i < connections; i++)
        {
            Channel channel;
            while (null == (channel = accepted.poll()))
            {
                Thread.onSpinWait();
            }
            ids[i] = edge.open(channel, "websocket", WebSocketFrames.WRITER);
        }
        notification = notification(documentBytes);
        frameBytes = notification.length + (notification.length < 126 ? 2 : notification.length <= 0xFFFF ? 4 : 10);
        deliveries = edge.newDeliveries();
    }

    /**
     * Counts what the clients read.
     */
    @ChannelHandler.Sharable
    private final class Counting extends ChannelInboundHandlerAdapter
    {
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            final ByteBuf bytes = (ByteBuf)message;
            received.addAndGet(bytes.readableBytes());
            bytes.release();
        }
    }

    /**
     * A document notification as the router sends it, with a body of about {@code bytes}.
     */
    private static byte[] notification(final int bytes)
    {
        final char[] padding = new char[Math.max(0, bytes - 60)];
        Arrays.fill(padding, 'x');
        return ("{\"type\":\"document\",\"status\":200,\"controller\":\"realtime\",\"action\":\"publish\"," +
            "\"event\":\"publish\",\"scope\":\"in\",\"index\":\"bench\",\"collection\":\"c\",\"protocol\":\"websocket\"," +
            "\"requestId\":\"5f1c0e84-2b1e-4a7d-9d43-6f3a1b2c9e11\",\"timestamp\":1764766800000,\"node\":\"node\"," +
            "\"volatile\":null,\"result\":{\"_source\":{\"topic\":\"all\",\"pad\":\"" + new String(padding) +
            "\",\"_kuzzle_info\":{\"author\":\"-1\",\"createdAt\":1764766800000}}},\"room\":\"a1b2c3-all\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    /** By thread name: bytes allocated and CPU nanoseconds used so far. */
    private final Map<String, long[]> usedBefore = new HashMap<>();
    private long opsBefore;
    private long ops;

    @Setup(Level.Iteration)
    public void startCounting()
    {
        usedBefore.clear();
        usedBefore.putAll(usedPerThread());
        opsBefore = ops;
    }

    /**
     * With -Dherald.bench.threads=true: allocation and CPU time per operation by thread, after each iteration (the
     * event loop's CPU per operation, divided by connections times publishes, is the edge's cost of a delivery,
     * kernel included, without the clients' reads that share the machine).
     */
    @TearDown(Level.Iteration)
    public void printPerThread()
    {
        if (Boolean.getBoolean("herald.bench.threads"))
        {
            final long done = Math.max(1, ops - opsBefore);
            usedPerThread().forEach((name, used) ->
            {
                final long[] before = usedBefore.getOrDefault(name, new long[2]);
                final long allocated = used[0] - before[0];
                final long cpu = used[1] - before[1];
                if (allocated > 0 || cpu > 0)
                {
                    System.out.printf("  %s: %.1f B/op, %.0f ns CPU/op%n", name, (double)allocated / done,
                        (double)cpu / done);
                }
            });
        }
    }

    private static Map<String, long[]> usedPerThread()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Map<String, long[]> result = new HashMap<>();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (null != info)
            {
                final long id = info.getThreadId();
                result.merge(info.getThreadName(),
                    new long[] { threads.getThreadAllocatedBytes(id), threads.getThreadCpuTime(id) },
                    (a, b) -> new long[] { a[0] + b[0], a[1] + b[1] });
            }
        }
        return result;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        for (final Channel channel : clients)
        {
            channel.close().sync();
        }
        server.close().sync();
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /**
     * One publish to every connection: handed to the event loop, framed once, written and flushed to each, read by
     * every client.
     */
    @Benchmark
    public long deliver()
    {
        final long expected = received.get() + frameBytes * connections * publishes;
        for (int p = 0; p < publishes; p++)
        {
            for (int i = 0; i < connections; i++)
            {
                deliveries.add(ids[i], notification);
            }
            deliveries.send();
        }
        ops++;
        long now;
        while ((now = received.get()) < expected)
        {
            Thread.onSpinWait();
        }
        return now;
    }
}
