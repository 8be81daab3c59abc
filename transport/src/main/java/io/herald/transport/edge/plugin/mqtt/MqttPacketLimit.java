package io.herald.transport.edge.plugin.mqtt;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.transport.edge.plugin.IoThreadResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * Stops an MQTT packet over the size limit as soon as its fixed header announces it. Netty's {@code MqttDecoder}
 * checks its limit only once the whole packet is buffered, so a client announcing 256 MB would be given 256 MB of
 * memory; here the stream's packet boundaries are followed (a type byte, the remaining length in one to four bytes,
 * the body) and a packet over the limit gets a 413 on {@code Kuzzle/response} (when the session is connected) and the
 * connection is closed: the specification has no way to skip a packet. Bytes pass on untouched. One per connection.
 */
final class MqttPacketLimit extends ChannelInboundHandlerAdapter
{
    private static final long LINGER_SECONDS = 2;

    private final int maxRemainingLength;
    private final IoThreadResponses responses;
    /** Body bytes of the current packet still to pass. */
    private int bodyLeft;
    /** Fixed-header bytes of the next packet read so far (0 at a packet boundary). */
    private int headerBytes;
    private int length;
    private int multiplier;
    private boolean refused;

    MqttPacketLimit(final int maxRemainingLength, final IoThreadResponses responses)
    {
        this.maxRemainingLength = maxRemainingLength;
        this.responses = responses;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        if (!(message instanceof ByteBuf buffer))
        {
            ctx.fireChannelRead(message);
            return;
        }
        if (refused)
        {
            buffer.release();
            return;
        }
        final int end = buffer.writerIndex();
        int i = buffer.readerIndex();
        int packetStart = i;
        while (i < end)
        {
            if (bodyLeft > 0)
            {
                final int skipped = Math.min(bodyLeft, end - i);
                bodyLeft -= skipped;
                i += skipped;
                continue;
            }
            final byte b = buffer.getByte(i++);
            if (0 == headerBytes)
            {
                packetStart = i - 1;
                headerBytes = 1;
                length = 0;
                multiplier = 1;
                continue;
            }
            length += (b & 0x7F) * multiplier;
            multiplier <<= 7;
            headerBytes++;
            if ((b & 0x80) == 0)
            {
                headerBytes = 0;
                bodyLeft = length;
                if (length > maxRemainingLength)
                {
                    refuse(ctx, buffer, packetStart);
                    return;
                }
            }
            else if (5 == headerBytes)
            {
                break; // more than four length bytes: the decoder refuses it and the session closes
            }
        }
        ctx.fireChannelRead(buffer);
    }

    private void refuse(final ChannelHandlerContext ctx, final ByteBuf buffer, final int packetStart)
    {
        refused = true;
        if (packetStart > buffer.readerIndex())
        {
            // the packets before it are whole or continue ones already passed: the decoder gets them
            ctx.fireChannelRead(buffer.retainedSlice(buffer.readerIndex(), packetStart - buffer.readerIndex()));
        }
        buffer.release();
        if (null != ctx.channel().attr(MqttSession.KEY).get())
        {
            MqttFrames.WRITER.write(ctx.channel(), responses.writer().error(null, null,
                new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, length, maxRemainingLength)));
        }
        ctx.channel().writeAndFlush(ctx.alloc().buffer(0)).addListener((ChannelFutureListener)(written) ->
            closeLingering(written.channel()));
    }

    /**
     * Closes after the peer read the answer: the client is still sending the refused packet, and closing a socket
     * with unread bytes resets it (RST), which can destroy the answer before the client reads it. So the output is
     * shut first (the client sees the answer, then the end), what still comes is read and dropped, and the socket
     * closes when the client closes its side, or after {@link #LINGER_SECONDS}.
     */
    private static void closeLingering(final Channel channel)
    {
        if (channel instanceof DuplexChannel duplex && channel.isActive())
        {
            duplex.shutdownOutput().addListener((ChannelFutureListener)(shut) ->
                channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS));
        }
        else
        {
            channel.close();
        }
    }
}
