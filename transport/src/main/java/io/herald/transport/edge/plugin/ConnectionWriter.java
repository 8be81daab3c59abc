package io.herald.transport.edge.plugin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * How a protocol puts Kuzzle responses and notifications (JSON bytes) on its connections. Called on the channel's
 * event loop; a write may leave the flush to the caller, which flushes every channel it wrote to once per batch.
 */
@FunctionalInterface
public interface ConnectionWriter
{
    void write(Channel channel, byte[] json);

    /**
     * Writes a notification to a subscriber: Kuzzle's JSON, whose last field is {@code "room":"<channel>"}. Used
     * when {@link #frameOnce} gave no shared buffer; a protocol that routes by channel (MQTT topics) reads it there.
     * Called on the channel's event loop.
     */
    default void writeNotification(final Channel channel, final byte[] json)
    {
        write(channel, json);
    }

    /**
     * Frames a JSON once for several connections of one event loop (the same notification to every subscriber of a
     * channel): the buffer is written to each of them as is, a retained duplicate each, and released by the caller.
     * Called on the channel's event loop.
     *
     * @return the framed bytes, or null when the framing differs per connection (then {@link #write} is used).
     */
    default ByteBuf frameOnce(final Channel channel, final byte[] json)
    {
        return null;
    }

    /**
     * Where buffers from {@link #frameOnce} enter a connection's pipeline: the context of the protocol's lowest
     * encoder, so that they skip the handlers above it (already framed, they would only be passed along) but still go
     * through what sees every byte below it (TLS, byte counts). Called on the channel's event loop; the answer is kept
     * while that handler stays in the pipeline.
     *
     * @return the context, or null to write through the whole pipeline.
     */
    default ChannelHandlerContext framedContext(final Channel channel)
    {
        return null;
    }

    /**
     * Whether a connection takes a notification framed by {@link #frameOnce} (an MQTT session takes only the
     * channels it SUBSCRIBEd to). Called on the channel's event loop, once per connection.
     */
    default boolean takes(final Channel channel, final byte[] json)
    {
        return true;
    }

    /**
     * Closes the connection so that its client comes back (reconnects and subscribes again): the edge's
     * subscriptions were lost. Called on any thread.
     */
    default void closeForReconnect(final Channel channel)
    {
        channel.close();
    }

    /**
     * Closes a connection whose client left too much unread (a slow consumer), saying why if the protocol can; the
     * caller cuts the socket off if this does not close it in time. Called on the channel's event loop.
     */
    default void closeSlowConsumer(final Channel channel, final String reason)
    {
        channel.close();
    }
}
