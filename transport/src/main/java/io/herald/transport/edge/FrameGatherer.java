package io.herald.transport.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Gathers a connection's notifications between two flushes into one buffer, just below its protocol's encoder.
 * <p>
 * Under load the edge flushes a connection once for many publishes (see {@code EdgeConnections.LoopFlusher}): as
 * one entry each in the socket's outbound queue, a notification cost a promise check, a place in the flush's walk of
 * the queue, a gathering-write vector slot and a release, more than copying its bytes (a few hundred). The first
 * frame of a flush is kept as it is (a retained duplicate of the frame shared by all subscribers: nothing copied
 * when the rate is low); from the second on they are copied one after the other into a chunk, while the socket keeps
 * up and the frames are small (see {@link #share} for the bound).
 * <p>
 * Anything else written to the connection, a flush, or a close first sends what was gathered: every write passes
 * here, so a connection's frames keep their order whoever writes them. Used on the channel's event loop only.
 */
final class FrameGatherer extends ChannelOutboundHandlerAdapter
{
    /** Its name in a pipeline. */
    static final String NAME = "herald-frame-gatherer";
    /** A connection's copied frames go in one chunk of this size at a time; bigger frames are never copied. */
    private static final int CHUNK_BYTES = 8 * 1024;

    private ChannelHandlerContext context;
    private ByteBuf first;
    private ByteBuf gathered;

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        context = ctx;
    }

    /**
     * Keeps a framed buffer for the next flush; the caller keeps its own reference.
     *
     * @return true when it is the first since the last flush or write.
     */
    boolean gather(final ByteBuf frame)
    {
        if (null == first && null == gathered)
        {
            first = frame.retainedDuplicate();
            return true;
        }
        final int length = frame.readableBytes();
        if (null == gathered)
        {
            if (first.readableBytes() + length > CHUNK_BYTES || unsent() > 0)
            {
                return share(frame);
            }
            gathered = PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK_BYTES);
            gathered.writeBytes(first, first.readerIndex(), first.readableBytes());
            first.release();
            first = null;
        }
        else if (gathered.writableBytes() < length)
        {
            return share(frame);
        }
        gathered.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        return false;
    }

    /**
     * Sends what was gathered, then the frame itself (a duplicate of the buffer shared by all its subscribers): no
     * copy. Copies are what a connection costs on its own, so they are bounded: one chunk being gathered, and a new
     * one only when the socket took everything before it ({@link #unsent}), so that a connection holds at most two
     * chunks of copies (16 KB; 10,000 connections, 160 MB of direct memory at worst). A client that falls behind gets
     * shared frames, as many as the slow-consumer limit lets wait, whatever their size.
     */
    private boolean share(final ByteBuf frame)
    {
        sendGathered();
        context.write(frame.retainedDuplicate(), context.voidPromise());
        return false;
    }

    /** What the socket has not taken yet (its queue, flushed or not). */
    private long unsent()
    {
        final ChannelOutboundBuffer queue = context.channel().unsafe().outboundBuffer();
        return null == queue ? 0 : queue.totalPendingWriteBytes();
    }

    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        sendGathered();
        ctx.write(msg, promise);
    }

    public void flush(final ChannelHandlerContext ctx)
    {
        sendGathered();
        ctx.flush();
    }

    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise)
    {
        sendGathered();
        ctx.close(promise);
    }

    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        release();
    }

    private void sendGathered()
    {
        final ByteBuf frames = null != gathered ? gathered : first;
        if (null != frames)
        {
            gathered = null;
            first = null;
            context.write(frames, context.voidPromise());
        }
    }

    private void release()
    {
        if (null != gathered)
        {
            gathered.release();
            gathered = null;
        }
        if (null != first)
        {
            first.release();
            first = null;
        }
    }
}
