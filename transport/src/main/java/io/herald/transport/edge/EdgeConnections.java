package io.herald.transport.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client sockets an edge holds, by connection id: ids are handed out by the I/O threads when a socket opens,
 * and responses and notifications are written by connection id from any thread (Netty runs the write on the
 * socket's event loop).
 */
public final class EdgeConnections
{
    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, Channel> channels = new ConcurrentHashMap<>();

    long open(final Channel channel)
    {
        final long id = nextId.getAndIncrement();
        channels.put(id, channel);
        return id;
    }

    void closed(final long id)
    {
        channels.remove(id);
    }

    /**
     * Writes one text frame to a WebSocket connection.
     *
     * @return false when the connection is gone.
     */
    public boolean sendText(final long connectionId, final byte[] frame)
    {
        final Channel channel = channels.get(connectionId);
        if (null == channel || !channel.isActive())
        {
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
        return true;
    }

    public int size()
    {
        return channels.size();
    }
}
