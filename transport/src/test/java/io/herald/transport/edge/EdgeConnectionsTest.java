package io.herald.transport.edge;

import io.herald.transport.edge.plugin.ConnectionWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's batches as the event loops write them.
 */
class EdgeConnectionsTest
{
    /** Writes the JSON as it is; fails for one channel, as a writer's bug or a lack of direct memory would. */
    private static final class Writer implements ConnectionWriter
    {
        private final Channel failing;

        Writer(final Channel failing)
        {
            this.failing = failing;
        }

        public void write(final Channel channel, final byte[] json)
        {
            if (channel == failing)
            {
                throw new IllegalStateException("cannot write to this one");
            }
            channel.write(Unpooled.wrappedBuffer(json));
        }
    }

    /** Ends the connection on an unexpected error, as the edge's last handler does. */
    private static final class ClosesOnError extends ChannelInboundHandlerAdapter
    {
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }

    @Test
    void aConnectionThatCannotBeWrittenToEndsAndTheBatchGoesOnForTheOthers()
    {
        final EdgeConnections connections = new EdgeConnections();
        final EmbeddedChannel before = new EmbeddedChannel(new ClosesOnError());
        final EmbeddedChannel failing = new EmbeddedChannel(new ClosesOnError());
        final EmbeddedChannel after = new EmbeddedChannel(new ClosesOnError());
        final Writer writer = new Writer(failing);
        final long beforeId = connections.open(before, "test", writer);
        final long failingId = connections.open(failing, "test", writer);
        final long afterId = connections.open(after, "test", writer);

        final EdgeConnections.Deliveries deliveries = connections.newDeliveries();
        final byte[] notification = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        assertTrue(deliveries.add(beforeId, notification));
        assertTrue(deliveries.add(failingId, notification));
        assertTrue(deliveries.add(afterId, notification));
        assertTrue(deliveries.addResponse(afterId, "{\"ack\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(4, deliveries.send());
        for (final EmbeddedChannel channel : List.of(before, failing, after))
        {
            channel.runPendingTasks();
        }

        assertEquals(List.of("{\"n\":1}"), written(before));
        assertEquals(List.of("{\"n\":1}", "{\"ack\":1}"), written(after), "what follows the failure is written");
        assertFalse(failing.isActive(), "the connection that missed its frame is closed");
        assertTrue(written(failing).isEmpty());
    }

    private static List<String> written(final EmbeddedChannel channel)
    {
        final List<String> frames = new ArrayList<>();
        for (ByteBuf out = channel.readOutbound(); null != out; out = channel.readOutbound())
        {
            frames.add(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return frames;
    }
}
