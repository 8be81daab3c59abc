package io.herald.transport.edge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * The edge's client listener: one port (Kuzzle's 7512), Netty I/O threads, and the {@link ProtocolPlugin}s found on the
 * classpath (WebSocket and HTTP ship) sharing it. The server never closes a client with code 1000 (the SDK would not
 * reconnect): shutting down says 1001.
 */
public final class EdgeServer implements AutoCloseable
{
    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final EventLoopGroup group;
    private final EdgeConnections connections = new EdgeConnections();
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final RequestSink sink;
    private Channel listener;
    private List<String> protocols = List.of();
    private long httpRequestTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long httpIdleTimeoutNs = TimeUnit.SECONDS.toNanos(60);
    private final QuietErrors quietErrors = new QuietErrors();

    public EdgeServer(final String host, final int port, final int ioThreads, final int maxFrameBytes,
        final RequestSink sink)
    {
        this.host = host;
        this.port = port;
        this.maxFrameBytes = maxFrameBytes;
        this.sink = sink;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    }

    /**
     * @see EdgeConnections#maxPendingBytes
     * @return this.
     */
    public EdgeServer maxPendingBytes(final long bytes)
    {
        connections.maxPendingBytes(bytes);
        return this;
    }

    /**
     * @param requestTimeoutNs an HTTP request (a WebSocket handshake included) must arrive whole within this of its
     *                         first byte, or it is answered 408 and its socket closed.
     * @param idleTimeoutNs    an HTTP socket that sends nothing this long, before its first request or between two,
     *                         is closed; WebSocket connections are not concerned.
     * @return this.
     */
    public EdgeServer httpTimeouts(final long requestTimeoutNs, final long idleTimeoutNs)
    {
        this.httpRequestTimeoutNs = requestTimeoutNs;
        this.httpIdleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /**
     * @return connections that ended on a client's error (reset, broken pipe, a frame refused), not logged.
     */
    public long clientErrors()
    {
        return quietErrors.clientErrors();
    }

    public EdgeServer start() throws InterruptedException
    {
        final List<ProtocolPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(ProtocolPlugin.class, EdgeServer.class.getClassLoader()).forEach(plugins::add);
        plugins.sort(Comparator.comparingInt(ProtocolPlugin::order));
        if (plugins.isEmpty())
        {
            throw new IllegalStateException("no protocol plugin on the classpath");
        }
        final ProtocolPlugin.Context context = new ProtocolPlugin.Context(connections, sink, maxFrameBytes);
        listener = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    clients.add(channel);
                    channel.pipeline()
                        .addLast(new HttpDeadlines(httpRequestTimeoutNs, httpIdleTimeoutNs))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpBodyAggregator(maxFrameBytes));
                    for (final ProtocolPlugin plugin : plugins)
                    {
                        plugin.install(channel.pipeline(), context);
                    }
                    channel.pipeline().addLast(quietErrors);
                }
            })
            .bind(host, port).sync().channel();
        protocols = plugins.stream().map(ProtocolPlugin::name).toList();
        return this;
    }

    /**
     * @return the protocols served, in pipeline order.
     */
    public List<String> protocols()
    {
        return protocols;
    }

    /**
     * @return the port bound (useful when started on port 0).
     */
    public int port()
    {
        return ((InetSocketAddress)listener.localAddress()).getPort();
    }

    public EdgeConnections connections()
    {
        return connections;
    }

    /**
     * Stops listening, tells every client the server is going away (1001), and stops the I/O threads.
     */
    public void close()
    {
        if (null != listener)
        {
            listener.close().syncUninterruptibly();
        }
        clients.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server stopping"))
            .awaitUninterruptibly(1_000);
        clients.close().awaitUninterruptibly(1_000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
