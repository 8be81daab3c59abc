package io.herald.transport.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gatherer below an encoder: what reaches the socket is every frame in the order it was written, whoever wrote
 * it, and the shared frames' references all come back.
 */
class FrameGathererTest
{
    /** Stands for the protocol's encoder: text written through the pipeline becomes bytes here. */
    private static final class Encoder extends ChannelOutboundHandlerAdapter
    {
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            ctx.write(msg instanceof String text ? Unpooled.copiedBuffer(text, StandardCharsets.UTF_8) : msg, promise);
        }
    }

    @Test
    void framesGatheredAndWrittenDirectlyLeaveInTheOrderTheyCameIn()
    {
        final Random random = new Random(16);
        for (int round = 0; round < 200; round++)
        {
            final EmbeddedChannel channel = new EmbeddedChannel();
            channel.pipeline().addLast("encoder", new Encoder());
            final FrameGatherer gatherer = new FrameGatherer();
            channel.pipeline().addBefore("encoder", FrameGatherer.NAME, gatherer);

            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            final List<ByteBuf> shared = new ArrayList<>();
            for (int step = 0, steps = random.nextInt(60); step < steps; step++)
            {
                final int kind = random.nextInt(10);
                if (kind < 7)
                {
                    // a notification framed once for many connections, some bigger than a chunk
                    final byte[] bytes = new byte[random.nextInt(10) == 0 ? 20_000 + random.nextInt(20_000) :
                        1 + random.nextInt(3_000)];
                    random.nextBytes(bytes);
                    final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
                    gatherer.gather(frame);
                    expected.writeBytes(bytes);
                    shared.add(frame);
                }
                else if (kind < 9)
                {
                    final String answer = "answer " + step;
                    channel.write(answer); // an answer written by anyone else, through the whole pipeline
                    expected.writeBytes(answer.getBytes(StandardCharsets.UTF_8));
                }
                else
                {
                    channel.flush();
                }
            }
            channel.flush();

            assertArrayEquals(expected.toByteArray(), written(channel), "round " + round);
            for (final ByteBuf frame : shared)
            {
                assertEquals(1, frame.refCnt(), "only the sender's reference is left");
                frame.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void whatIsGatheredWhenTheConnectionClosesIsReleased()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("encoder", new Encoder());
        final FrameGatherer gatherer = new FrameGatherer();
        channel.pipeline().addBefore("encoder", FrameGatherer.NAME, gatherer);
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeLong(1).writeLong(2);
        gatherer.gather(frame);
        gatherer.gather(frame);
        gatherer.gather(frame);

        channel.pipeline().remove(FrameGatherer.NAME);

        assertEquals(1, frame.refCnt());
        assertTrue(frame.release());
        channel.finishAndReleaseAll();
    }

    private static byte[] written(final EmbeddedChannel channel)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf out = channel.readOutbound(); null != out; out = channel.readOutbound())
        {
            final byte[] chunk = new byte[out.readableBytes()];
            out.readBytes(chunk);
            bytes.writeBytes(chunk);
            out.release();
        }
        return bytes.toByteArray();
    }
}
