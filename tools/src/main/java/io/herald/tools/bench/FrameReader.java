package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The harness's reading of a server's WebSocket frames, first in the pipeline: the upgrade response goes on to
 * Netty's HTTP codec and handshaker as read, and every byte after it is read here as frames, where it lies in the
 * buffer read from the socket, a data frame's payload handed to the callback as a view of that buffer (valid during
 * the call only).
 * <p>
 * Why not Netty's frame decoder, as before: it made a frame object, a retained slice and a pass through two
 * handlers per frame, 15-20% of the harness's CPU at 1,000,000 deliveries/s, and the harness shares this machine's
 * cores with the server it measures. A server sending one message per frame (Kuzzle's protocol) paid that per
 * delivery, one packing many messages per frame (NATS) once for all of them. The frames read here are a server's
 * (RFC 6455 section 5): not masked; text, binary, continuation (a fragmented message is put together), ping
 * (answered), pong (ignored) and close (the connection is closed).
 */
final class FrameReader extends ChannelInboundHandlerAdapter
{
    private static final ByteBuf HEADER_END = Unpooled.unreleasableBuffer(
        Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII)).asReadOnly();
    private static final ByteBuf SWITCHING = Unpooled.unreleasableBuffer(
        Unpooled.copiedBuffer("HTTP/1.1 101", StandardCharsets.US_ASCII)).asReadOnly();
    private static final int OPCODE_CONTINUATION = 0;
    private static final int OPCODE_TEXT = 1;
    private static final int OPCODE_BINARY = 2;
    private static final int OPCODE_CLOSE = 8;
    private static final int OPCODE_PING = 9;
    private static final int OPCODE_PONG = 10;

    private final int maxFrameBytes;
    private final Consumer<ByteBuf> onFrame;
    /** Bytes read but not used yet: the start of a frame (or of the upgrade response) that the next read completes. */
    private ByteBuf pending;
    /** The fragments of a message sent in several frames, put together. */
    private ByteBuf fragments;
    private boolean upgraded;
    /** A failed upgrade: everything goes on to Netty's handshaker, which reports it. */
    private boolean refused;

    /**
     * @param maxFrameBytes the largest message accepted.
     * @param onFrame       called with each text or binary message's payload, on the event loop.
     */
    FrameReader(final int maxFrameBytes, final Consumer<ByteBuf> onFrame)
    {
        this.maxFrameBytes = maxFrameBytes;
        this.onFrame = onFrame;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (refused || !(msg instanceof ByteBuf read))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = read;
        if (null != pending)
        {
            pending.writeBytes(read);
            read.release();
            in = pending;
        }
        try
        {
            if (!upgraded && !upgrade(ctx, in))
            {
                keep(ctx, in);
                return;
            }
            while (in.isReadable() && ctx.channel().isOpen() && frame(ctx, in))
            {
                // one frame read; the next
            }
            keep(ctx, in);
        }
        catch (final RuntimeException ex)
        {
            in.skipBytes(in.readableBytes());
            keep(ctx, in);
            ctx.fireExceptionCaught(ex);
        }
    }

    /**
     * Hands the upgrade response to the HTTP codec once it is whole.
     *
     * @return true when the frames after it can be read.
     */
    private boolean upgrade(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        final int end = ByteBufUtil.indexOf(HEADER_END, in);
        if (end < 0)
        {
            return false;
        }
        final int headerBytes = end + HEADER_END.readableBytes() - in.readerIndex();
        upgraded = true;
        if (in.readableBytes() < SWITCHING.readableBytes() ||
            !ByteBufUtil.equals(in, in.readerIndex(), SWITCHING, 0, SWITCHING.readableBytes()))
        {
            refused = true; // a refusal's body, if any, goes to the handshaker too
            ctx.fireChannelRead(in.readRetainedSlice(in.readableBytes()));
            return false;
        }
        ctx.fireChannelRead(in.readRetainedSlice(headerBytes));
        return true;
    }

    /**
     * Reads one frame, if whole.
     *
     * @return false when the frame's end has not been read yet.
     */
    private boolean frame(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        final int start = in.readerIndex();
        final int available = in.readableBytes();
        if (available < 2)
        {
            return false;
        }
        final int first = in.getUnsignedByte(start);
        final int second = in.getUnsignedByte(start + 1);
        if ((second & 0x80) != 0)
        {
            throw new CorruptedFrameException("a masked frame from the server");
        }
        int headerBytes = 2;
        long length = second & 0x7F;
        if (length == 126)
        {
            headerBytes = 4;
            if (available < headerBytes)
            {
                return false;
            }
            length = in.getUnsignedShort(start + 2);
        }
        else if (length == 127)
        {
            headerBytes = 10;
            if (available < headerBytes)
            {
                return false;
            }
            length = in.getLong(start + 2);
        }
        if (length < 0 || length > maxFrameBytes)
        {
            throw new TooLongFrameException("a frame of " + length + " bytes, more than " + maxFrameBytes);
        }
        if (available < headerBytes + length)
        {
            return false;
        }
        final boolean fin = (first & 0x80) != 0;
        final int opcode = first & 0x0F;
        final int payload = start + headerBytes;
        final int end = payload + (int)length;
        switch (opcode)
        {
            case OPCODE_TEXT, OPCODE_BINARY, OPCODE_CONTINUATION -> data(ctx, in, opcode, fin, payload, end);
            case OPCODE_PING ->
                ctx.channel().writeAndFlush(new PongWebSocketFrame(
                    ctx.alloc().buffer(end - payload).writeBytes(in, payload, end - payload)));
            case OPCODE_CLOSE -> ctx.channel().close();
            case OPCODE_PONG -> { }
            default -> throw new CorruptedFrameException("opcode " + opcode);
        }
        in.readerIndex(end);
        return true;
    }

    private void data(
        final ChannelHandlerContext ctx, final ByteBuf in, final int opcode, final boolean fin, final int payload,
        final int end)
    {
        if (fin && opcode != OPCODE_CONTINUATION)
        {
            final int writerIndex = in.writerIndex();
            in.setIndex(payload, end);
            try
            {
                onFrame.accept(in);
            }
            finally
            {
                in.setIndex(end, writerIndex);
            }
            return;
        }
        if (opcode != OPCODE_CONTINUATION)
        {
            if (null != fragments)
            {
                throw new CorruptedFrameException("a new message before the last one's end");
            }
            fragments = ctx.alloc().heapBuffer(end - payload);
        }
        else if (null == fragments)
        {
            throw new CorruptedFrameException("a continuation frame with no message to continue");
        }
        if (fragments.readableBytes() + end - payload > maxFrameBytes)
        {
            throw new TooLongFrameException("a message of more than " + maxFrameBytes + " bytes");
        }
        fragments.writeBytes(in, payload, end - payload);
        if (fin)
        {
            final ByteBuf message = fragments;
            fragments = null;
            try
            {
                onFrame.accept(message);
            }
            finally
            {
                message.release();
            }
        }
    }

    /**
     * Keeps what was not read (the start of a frame) for the next read, in a buffer of its own; releases the rest.
     */
    private void keep(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        if (in == pending)
        {
            if (!in.isReadable())
            {
                pending.release();
                pending = null;
            }
            else
            {
                pending.discardReadBytes();
            }
            return;
        }
        if (in.isReadable())
        {
            pending = ctx.alloc().heapBuffer(Math.max(in.readableBytes(), 4096));
            pending.writeBytes(in);
        }
        in.release();
    }

    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        release();
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        release();
        ctx.fireChannelInactive();
    }

    private void release()
    {
        if (null != pending)
        {
            pending.release();
            pending = null;
        }
        if (null != fragments)
        {
            fragments.release();
            fragments = null;
        }
    }
}
