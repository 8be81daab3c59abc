package io.herald.transport.edge.plugin.websocket;

import io.herald.transport.edge.plugin.ConnectionWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * How Kuzzle answers and notifications go out on a WebSocket: a text frame each (flushed by the caller). Closed for a
 * reconnect with 1012 (service restart), which clients such as kuzzle-sdk treat as a network error to recover from
 * (a bare TCP close, or 1000, makes them give up); closed as a slow consumer with 1013 (try again later).
 */
public final class WebSocketFrames
{
    public static final ConnectionWriter WRITER = new ConnectionWriter()
    {
        public void write(final Channel channel, final byte[] json)
        {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)), channel.voidPromise());
        }

        /**
         * A final, unmasked text frame (RFC 6455, section 5.2: what a server sends), header and payload in one
         * buffer. Written as a {@code ByteBuf}, it passes Netty's WebSocket encoder untouched, so one buffer serves
         * every connection without a frame object, an encoding pass and a copy each. The buffer comes from Netty's
         * pooled allocator, whose retained duplicates are recycled objects (the adaptive allocator's are new ones: 40
         * to 50 bytes per connection; {@code NotificationWriteBenchmark -prof gc}).
         */
        public ByteBuf frameOnce(final Channel channel, final byte[] json)
        {
            final int length = json.length;
            final int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
            final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(header + length);
            frame.writeByte(0x81); // FIN, opcode 1 (text)
            if (length < 126)
            {
                frame.writeByte(length);
            }
            else if (length <= 0xFFFF)
            {
                frame.writeByte(126).writeShort(length);
            }
            else
            {
                frame.writeByte(127).writeLong(length);
            }
            return frame.writeBytes(json);
        }

        /**
         * The WebSocket encoder's context: a write from it goes to the handlers below the encoder, so a framed buffer
         * skips the WebSocket handlers and the encoder's own type check, and still reaches TLS and the byte counts.
         */
        public ChannelHandlerContext framedContext(final Channel channel)
        {
            return channel.pipeline().context(WebSocketFrameEncoder.class);
        }

        public void closeForReconnect(final Channel channel)
        {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.SERVICE_RESTART,
                "the cluster lost this edge's subscriptions: reconnect")).addListener(ChannelFutureListener.CLOSE);
        }

        /**
         * The close frame comes after what the client has not read yet; a client that reads on gets it and
         * reconnects (kuzzle-sdk treats it as a network error to recover from).
         */
        public void closeSlowConsumer(final Channel channel, final String reason)
        {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.TRY_AGAIN_LATER, reason))
                .addListener(ChannelFutureListener.CLOSE);
        }
    };

    private WebSocketFrames()
    {
    }
}
