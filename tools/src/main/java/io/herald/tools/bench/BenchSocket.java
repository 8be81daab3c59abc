package io.herald.tools.bench;

import io.herald.transport.edge.SocketTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client WebSocket of the load harness (Netty, like the edge): data frames (text or binary) in, a callback per
 * frame with its bytes (valid during the call only), on the event loop's thread; frames out as text, or binary for
 * targets that speak binary (NATS).
 */
final class BenchSocket
{
    /**
     * The harness's sockets: Linux's epoll where it loads, as the edge's (the JDK's selector cost the harness more per
     * read, and the harness shares this machine's cores with the server it measures), else NIO;
     * {@code -Dherald.bench.transport=nio} (or epoll, io_uring) chooses.
     */
    static final SocketTransport TRANSPORT = SocketTransport.of(System.getProperty("herald.bench.transport", "auto"));

    private final Channel channel;
    private final boolean binary;
    /** Plain TCP carrying whole MQTT packets ({@code mqtt://}), no WebSocket. */
    private final boolean raw;

    /**
     * @return event loops of the harness's transport, for {@link #connect} and {@link #openMany}.
     */
    static EventLoopGroup group(final int threads)
    {
        return new MultiThreadIoEventLoopGroup(threads, TRANSPORT.ioHandlerFactory());
    }

    private BenchSocket(final Channel channel, final boolean binary)
    {
        this(channel, binary, false);
    }

    private BenchSocket(final Channel channel, final boolean binary, final boolean raw)
    {
        this.channel = channel;
        this.binary = binary;
        this.raw = raw;
    }

    /**
     * Connects and completes the handshake (blocks up to 10 s); text frames.
     */
    static BenchSocket connect(final EventLoopGroup group, final URI uri, final Consumer<ByteBuf> onFrame)
        throws Exception
    {
        return connect(group, uri, null, onFrame);
    }

    /**
     * Connects and completes the handshake (blocks up to 10 s), speaking a target's framing: its first frame is sent,
     * and the frames it answers (keep-alives) are answered here, after the callback.
     *
     * @param target null: text frames, nothing sent or answered by the socket itself.
     */
    static BenchSocket connect(
        final EventLoopGroup group, final URI uri, final BenchTarget target, final Consumer<ByteBuf> onFrame)
        throws Exception
    {
        return open(group, uri, target, null, onFrame).get(10, TimeUnit.SECONDS);
    }

    /**
     * Starts connecting without waiting: the future completes once the handshake is done and the target's first
     * frame is sent, or fails with the connect or handshake error.
     *
     * @param localAddress the source address to connect from (several loopback addresses give more ephemeral
     *                     ports than one), or null for the system's choice.
     */
    static CompletableFuture<BenchSocket> open(
        final EventLoopGroup group,
        final URI uri,
        final BenchTarget target,
        final InetAddress localAddress,
        final Consumer<ByteBuf> onFrame)
    {
        return open(group, uri, target, localAddress, 1 << 20, onFrame);
    }

    /**
     * @param maxFrameBytes the largest frame accepted from the server.
     * @see #open(EventLoopGroup, URI, BenchTarget, InetAddress, Consumer)
     */
    static CompletableFuture<BenchSocket> open(
        final EventLoopGroup group,
        final URI uri,
        final BenchTarget target,
        final InetAddress localAddress,
        final int maxFrameBytes,
        final Consumer<ByteBuf> onFrame)
    {
        final boolean binary = null != target && target.binaryFrames();
        final CompletableFuture<BenchSocket> ready = new CompletableFuture<>();
        if ("mqtt".equals(uri.getScheme()))
        {
            return connect(mqttBootstrap(group, target, maxFrameBytes, onFrame, ready), uri, localAddress, ready);
        }
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(TRANSPORT.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel ch)
                {
                    final Consumer<ByteBuf> frames = (frame) ->
                    {
                        onFrame.accept(frame);
                        final String reply = null == target ? null : target.reply(frame);
                        if (null != reply)
                        {
                            ch.writeAndFlush(frame(reply, binary));
                        }
                    };
                    ch.pipeline().addLast(
                        // frames are read where they lie (FrameReader), Netty's codec does the handshake only: the
                        // harness must not be the bottleneck
                        new FrameReader(maxFrameBytes, frames),
                        new HttpClientCodec(),
                        new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(uri)
                            .version(WebSocketVersion.V13)
                            .maxFramePayloadLength(maxFrameBytes)
                            .withUTF8Validator(false)
                            .build()),
                        new ChannelInboundHandlerAdapter()
                        {
                            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
                            {
                                if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                    .HANDSHAKE_COMPLETE)
                                {
                                    final BenchSocket socket = new BenchSocket(ctx.channel(), binary);
                                    final String hello = null == target ? null : target.hello();
                                    if (null != hello)
                                    {
                                        socket.send(hello);
                                    }
                                    ready.complete(socket);
                                }
                                ctx.fireUserEventTriggered(event);
                            }

                            public void channelInactive(final ChannelHandlerContext ctx)
                            {
                                ready.completeExceptionally(new IllegalStateException("closed before the handshake"));
                                ctx.fireChannelInactive();
                            }

                            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                            {
                                ready.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
                }
            });
        return connect(bootstrap, uri, localAddress, ready);
    }

    private static CompletableFuture<BenchSocket> connect(
        final Bootstrap bootstrap, final URI uri, final InetAddress localAddress,
        final CompletableFuture<BenchSocket> ready)
    {
        final InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
        final ChannelFuture connected = null == localAddress ? bootstrap.connect(remote) :
            bootstrap.connect(remote, new InetSocketAddress(localAddress, 0));
        connected.addListener((ChannelFuture future) ->
        {
            if (!future.isSuccess())
            {
                ready.completeExceptionally(future.cause());
            }
        });
        return ready;
    }

    /**
     * MQTT over TCP: whole packets to the callback (see {@link MqttBenchTarget}); the target's CONNECT goes first.
     */
    private static Bootstrap mqttBootstrap(
        final EventLoopGroup group, final BenchTarget target, final int maxFrameBytes,
        final Consumer<ByteBuf> onFrame, final CompletableFuture<BenchSocket> ready)
    {
        return new Bootstrap()
            .group(group)
            .channel(TRANSPORT.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new MqttPackets(maxFrameBytes), new SimpleChannelInboundHandler<ByteBuf>()
                    {
                        public void channelActive(final ChannelHandlerContext ctx)
                        {
                            final BenchSocket socket = new BenchSocket(ctx.channel(), true, true);
                            socket.send(target.hello());
                            ready.complete(socket);
                            ctx.fireChannelActive();
                        }

                        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf packet)
                        {
                            onFrame.accept(packet);
                            final String reply = target.reply(packet);
                            if (null != reply)
                            {
                                ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.ISO_8859_1));
                            }
                        }

                        public void channelInactive(final ChannelHandlerContext ctx)
                        {
                            ready.completeExceptionally(new IllegalStateException("closed before CONNECT"));
                            ctx.fireChannelInactive();
                        }

                        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                        {
                            ready.completeExceptionally(cause);
                            ctx.close();
                        }
                    });
                }
            });
    }

    /**
     * Splits a TCP stream into whole MQTT packets (a type byte, the remaining length in 1 to 4 bytes, the rest).
     */
    private static final class MqttPackets extends ByteToMessageDecoder
    {
        private final int maxPacketBytes;

        MqttPackets(final int maxPacketBytes)
        {
            this.maxPacketBytes = maxPacketBytes;
        }

        protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
        {
            final int start = in.readerIndex();
            int i = start + 1;
            int length = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (i >= in.writerIndex())
                {
                    return;
                }
                final byte b = in.getByte(i++);
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            if (length > maxPacketBytes)
            {
                throw new IllegalStateException("an MQTT packet of " + length + " bytes");
            }
            if (in.writerIndex() - start >= i - start + length)
            {
                out.add(in.readRetainedSlice(i - start + length));
            }
        }
    }

    /**
     * Opens connections, at most {@code inFlight} handshakes under way at once, from the source addresses in turn;
     * progress every 5 s and failures (counted, the first one shown) on stderr.
     *
     * @param onFrame makes each connection's frame callback.
     * @return the connections opened (fewer than asked when some failed).
     */
    static List<BenchSocket> openMany(
        final EventLoopGroup group,
        final URI uri,
        final BenchTarget target,
        final int count,
        final InetAddress[] sources,
        final int inFlight,
        final Supplier<Consumer<ByteBuf>> onFrame) throws InterruptedException
    {
        final Semaphore slots = new Semaphore(inFlight);
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        final List<BenchSocket> opened = Collections.synchronizedList(new ArrayList<>(Math.max(0, count)));
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < count; i++)
        {
            slots.acquire();
            open(group, uri, target, sources[i % sources.length], onFrame.get()).whenComplete((socket, failure) ->
            {
                if (null == failure)
                {
                    opened.add(socket);
                }
                else if (failed.getAndIncrement() == 0)
                {
                    firstFailure.set(failure);
                }
                slots.release();
            });
            if (System.nanoTime() > nextProgress)
            {
                nextProgress += TimeUnit.SECONDS.toNanos(5);
                System.err.printf("  %d/%d connections opened%n", opened.size(), count);
            }
        }
        slots.acquire(inFlight);
        if (failed.get() > 0)
        {
            System.err.printf("%d connections failed, the first: %s%n", failed.get(), firstFailure.get());
        }
        return new ArrayList<>(opened);
    }

    /**
     * @return 127.0.0.1 up to 127.0.0.n: Linux answers on all of 127/8, and each source address has its own range
     * of ephemeral ports (about 28k).
     */
    static InetAddress[] loopbackSources(final int n) throws UnknownHostException
    {
        final InetAddress[] sources = new InetAddress[n];
        for (int i = 0; i < n; i++)
        {
            sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte)(i + 1)});
        }
        return sources;
    }

    EventLoop eventLoop()
    {
        return channel.eventLoop();
    }

    boolean isOpen()
    {
        return channel.isActive();
    }

    void send(final String text)
    {
        channel.writeAndFlush(raw ? Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1) : frame(text, binary));
    }

    /**
     * Sends bytes as they are, in a text or a binary frame (a text frame's bytes need not be UTF-8: hostile clients
     * send that too).
     */
    void sendBytes(final byte[] payload, final boolean binary)
    {
        channel.writeAndFlush(binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)) :
            new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
    }

    /**
     * @return completes when the connection closes.
     */
    io.netty.channel.ChannelFuture closeFuture()
    {
        return channel.closeFuture();
    }

    private static WebSocketFrame frame(final String text, final boolean binary)
    {
        return binary ? new BinaryWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)) :
            new TextWebSocketFrame(text);
    }

    void close()
    {
        channel.close().syncUninterruptibly();
    }
}
