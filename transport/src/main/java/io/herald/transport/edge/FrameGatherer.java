package io.herald.transport.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Gathers a connection's notifications between two flushes into one buffer, just below its protocol's encoder.
 * <p>
 * Under load the edge flushes a connection once for many publishes (see {@code EdgeConnections.LoopFlusher}): as
 * one entry each in the socket's outbound queue, a notification cost a promise check, a place in the flush's walk of
 * the queue, a gathering-write vector slot and a release, more than copying its bytes (a few hundred). The first
 * frame of a flush is kept as it is (a retained duplicate of the frame shared by all subscribers: nothing copied
 * when the rate is low); from the second on they are copied one after the other.
 * <p>
 * Anything else written to the connection, a flush, or a close first sends what was gathered: every write passes
 * here, so a connection's frames keep their order whoever writes them. Used on the channel's event loop only.
 */
final class FrameGatherer extends ChannelOutboundHandlerAdapter
{
    /** Its name in a pipeline. */
    static final String NAME = "herald-frame-gatherer";
    /** A connection's copied frames go in chunks of this size (a bigger frame takes a chunk of its own). */
    private static final int CHUNK_BYTES = 16 * 1024;

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
        if (null == gathered)
        {
            gathered = chunk(first.readableBytes() + frame.readableBytes());
            gathered.writeBytes(first, first.readerIndex(), first.readableBytes());
            first.release();
            first = null;
        }
        else if (gathered.writableBytes() < frame.readableBytes())
        {
            // a full chunk joins the socket's queue now (one entry for many frames); the next one starts empty
            context.write(gathered, context.voidPromise());
            gathered = chunk(frame.readableBytes());
        }
        gathered.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        return false;
    }

    /**
     * Fixed-size chunks rather than one growing buffer: a size the allocator's thread cache keeps, and no copy when
     * a buffer grows.
     */
    private ByteBuf chunk(final int atLeast)
    {
        return PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(CHUNK_BYTES, atLeast));
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
