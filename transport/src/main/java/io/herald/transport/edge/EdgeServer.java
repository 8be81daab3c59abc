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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The edge's client listener: WebSocket on any path of one port (Kuzzle's 7512), and Kuzzle's HTTP routes on the same
 * port ({@link HttpRequestHandler}), Netty I/O threads. Frames up to
 * {@code maxFrameBytes} are requests; larger ones up to 16 times that get an error and the connection stays open;
 * beyond that Netty closes the socket (1009). The server never closes a client with code 1000 (the SDK would not
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

    public EdgeServer(final String host, final int port, final int ioThreads, final int maxFrameBytes,
        final RequestSink sink)
    {
        this.host = host;
        this.port = port;
        this.maxFrameBytes = maxFrameBytes;
        this.sink = sink;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    }

    public EdgeServer start() throws InterruptedException
    {
        final int hardLimit = (int)Math.min(Integer.MAX_VALUE - 1L, 16L * maxFrameBytes);
        final WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/")
            .checkStartsWith(true)
            .maxFramePayloadLength(hardLimit)
            .handleCloseFrames(true)
            .build();
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
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new HttpRequestHandler(connections, sink, maxFrameBytes))
                        .addLast(new WebSocketServerProtocolHandler(webSocket))
                        .addLast(new WebSocketFrameAggregator(hardLimit))
                        .addLast(new WebSocketFrameHandler(connections, sink, maxFrameBytes));
                }
            })
            .bind(host, port).sync().channel();
        return this;
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
