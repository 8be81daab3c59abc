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
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import io.netty.buffer.Unpooled;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client WebSocket of the load harness (Netty, like the edge): data frames (text or binary) in, a callback per
 * frame with its bytes (valid during the call only), on the event loop's thread; frames out as text, or binary for
 * targets that speak binary (NATS).
 */
final class BenchSocket
{
    private final Channel channel;
    private final boolean binary;

    private BenchSocket(final Channel channel, final boolean binary)
    {
        this.channel = channel;
        this.binary = binary;
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
        final boolean binary = null != target && target.binaryFrames();
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
                        new SimpleChannelInboundHandler<WebSocketFrame>()
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

                            protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
                            {
                                if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
                                {
                                    onFrame.accept(frame.content());
                                    final String reply = null == target ? null : target.reply(frame.content());
                                    if (null != reply)
                                    {
                                        ctx.writeAndFlush(frame(reply, binary));
                                    }
                                }
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
        final BenchSocket socket = new BenchSocket(channel, binary);
        final String hello = null == target ? null : target.hello();
        if (null != hello)
        {
            socket.send(hello);
        }
        return socket;
    }

    void send(final String text)
    {
        channel.writeAndFlush(frame(text, binary));
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
