package io.herald.tools.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.herald.tools.config.IdleStrategies;
import io.herald.transport.node.DriverDirectory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code herald bench floor}: what publish→notification latency cannot go below on this machine, measured with the
 * same tools Herald uses — a bare Netty WebSocket echo (client → server → client, the publisher's and the
 * subscriber's hops) and an Aeron UDP round trip (edge → node → edge) on an embedded media driver with the
 * shared-host profile's threading and idling. The floor is their sum.
 */
@Command(name = "floor", mixinStandardHelpOptions = true,
    description = "Netty WebSocket echo and Aeron UDP round trip on this machine: the latency floor.")
public final class FloorBenchCommand implements Runnable
{
    @Option(names = "--rate", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    int rate = 1_000;

    @Option(names = "--seconds", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--warmup", description = "Warm-up seconds, not recorded (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--idle", description = "Idle strategy of the Aeron driver and echo thread " +
        "(default: ${DEFAULT-VALUE}, as the shared-host profile).")
    String idle = "backoff";

    public void run()
    {
        try
        {
            final long expected = (long)rate * seconds;
            System.out.println(BenchReport.line("netty websocket echo", websocketEcho(), expected, rate));
            System.out.println(BenchReport.line("aeron udp round trip", aeronRoundTrip(), expected, rate));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private Histogram websocketEcho() throws Exception
    {
        final EventLoopGroup server = BenchSocket.group(1);
        final EventLoopGroup client = BenchSocket.group(1);
        try
        {
            final Channel listener = new ServerBootstrap()
                .group(server)
                .channel(BenchSocket.TRANSPORT.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                            new WebSocketServerProtocolHandler("/", null, false, 1 << 20),
                            new SimpleChannelInboundHandler<TextWebSocketFrame>()
                            {
                                protected void channelRead0(final ChannelHandlerContext ctx,
                                    final TextWebSocketFrame frame)
                                {
                                    ctx.writeAndFlush(new TextWebSocketFrame(frame.text()));
                                }
                            });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
            final int port = ((InetSocketAddress)listener.localAddress()).getPort();
            final Recorder recorder = new Recorder(3);
            final long[] recordFrom = { Long.MAX_VALUE };
            final BenchSocket socket = BenchSocket.connect(client, URI.create("ws://127.0.0.1:" + port + "/"),
                (frame) ->
                {
                    final long sent = BenchReport.sentField(frame);
                    if (sent != BenchReport.NO_FIELD && sent >= recordFrom[0])
                    {
                        recorder.recordValue(Math.max(0, System.nanoTime() - sent));
                    }
                });
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            final long start = System.nanoTime();
            recordFrom[0] = start + TimeUnit.SECONDS.toNanos(warmup);
            for (long i = 0, n = (long)rate * (warmup + seconds); i < n; i++)
            {
                final long intended = start + i * intervalNs;
                BenchReport.sleepUntil(intended);
                socket.send("{\"controller\":\"realtime\",\"action\":\"publish\",\"body\":{\"sent\":" + intended +
                    "}}");
            }
            TimeUnit.SECONDS.sleep(1);
            socket.close();
            listener.close().sync();
            return recorder.getIntervalHistogram();
        }
        finally
        {
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Histogram aeronRoundTrip() throws Exception
    {
        final File dir = Files.createTempDirectory("herald-floor").toFile();
        final IdleStrategy driverIdle = IdleStrategies.of(idle).get();
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(DriverDirectory.forDriver(dir).getAbsolutePath())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(driverIdle)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())))
        {
            final int pingPort = freeUdpPort();
            final int pongPort = freeUdpPort();
            final Publication ping = aeron.addPublication("aeron:udp?endpoint=localhost:" + pingPort, 1);
            final Subscription pingIn = aeron.addSubscription("aeron:udp?endpoint=localhost:" + pingPort, 1);
            final Publication pong = aeron.addPublication("aeron:udp?endpoint=localhost:" + pongPort, 2);
            final Subscription pongIn = aeron.addSubscription("aeron:udp?endpoint=localhost:" + pongPort, 2);
            while (!ping.isConnected() || !pong.isConnected())
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            // the "node": echoes every message back, idling like the node's service does
            final Thread echo = new Thread(() ->
            {
                final IdleStrategy echoIdle = IdleStrategies.of(idle).get();
                final FragmentAssembler handler = new FragmentAssembler((buffer, offset, length, header) ->
                {
                    while (pong.offer(buffer, offset, length) < 0)
                    {
                        Thread.onSpinWait();
                    }
                });
                while (running.get())
                {
                    echoIdle.idle(pingIn.poll(handler, 16));
                }
            }, "floor-echo");
            echo.start();
            final Recorder recorder = new Recorder(3);
            final long[] recordFrom = { Long.MAX_VALUE };
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            final FragmentAssembler onPong = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final long sent = buffer.getLong(offset);
                if (sent >= recordFrom[0])
                {
                    recorder.recordValue(Math.max(0, System.nanoTime() - sent));
                }
            });
            // the "edge": sends at a fixed rate, polls answers while it waits, like the router agent
            final IdleStrategy edgeIdle = IdleStrategies.of(idle).get();
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            final long start = System.nanoTime();
            recordFrom[0] = start + TimeUnit.SECONDS.toNanos(warmup);
            final long end = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
            long next = start;
            while (next < end)
            {
                if (System.nanoTime() >= next)
                {
                    message.putLong(0, next);
                    while (ping.offer(message, 0, 32) < 0)
                    {
                        // back pressure or an admin action: the message must still go, late (and charged for it)
                        pongIn.poll(onPong, 16);
                    }
                    next += intervalNs;
                }
                edgeIdle.idle(pongIn.poll(onPong, 16));
            }
            final long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < drain)
            {
                edgeIdle.idle(pongIn.poll(onPong, 16));
            }
            running.set(false);
            echo.join();
            return recorder.getIntervalHistogram();
        }
        finally
        {
            org.agrona.IoUtil.delete(dir, true);
        }
    }

    private static int freeUdpPort() throws Exception
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
