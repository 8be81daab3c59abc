package io.herald.tools.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client WebSocket of the load harness (Netty, like the edge): text frames in, a callback per frame with its bytes
 * (valid during the call only), on the event loop's thread.
 */
final class BenchSocket
{
    private final Channel channel;

    private BenchSocket(final Channel channel)
    {
        this.channel = channel;
    }

    /**
     * Connects and completes the handshake (blocks up to 10 s).
     */
    static BenchSocket connect(final EventLoopGroup group, final URI uri, final Consumer<ByteBuf> onFrame)
        throws Exception
    {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Channel channel = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(1 << 16),
                        // the harness must not be the bottleneck: no UTF-8 validation, frames read as bytes
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(uri)
                            .version(WebSocketVersion.V13)
                            .maxFramePayloadLength(1 << 20)
                            .withUTF8Validator(false)
                            .build()),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>()
                        {
                            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
                            {
                                if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                    .HANDSHAKE_COMPLETE)
                                {
                                    ready.complete(null);
                                }
                                ctx.fireUserEventTriggered(event);
                            }

                            protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame)
                            {
                                onFrame.accept(frame.content());
                            }

                            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                            {
                                ready.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
                }
            })
            .connect(uri.getHost(), uri.getPort()).sync().channel();
        ready.get(10, TimeUnit.SECONDS);
        return new BenchSocket(channel);
    }

    void send(final String text)
    {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    void close()
    {
        channel.close().syncUninterruptibly();
    }
}
