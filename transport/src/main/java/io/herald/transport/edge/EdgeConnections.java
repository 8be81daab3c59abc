package io.herald.transport.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client sockets an edge holds, by connection id: ids are handed out by the I/O threads when a socket opens,
 * and responses and notifications are written by connection id from any thread (Netty runs the write on the
 * socket's event loop).
 */
public final class EdgeConnections
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, Channel> channels = new ConcurrentHashMap<>();
    /** HTTP requests waiting for their answer: one id per request, keep-alive or not. */
    private final ConcurrentHashMap<Long, Boolean> httpKeepAlive = new ConcurrentHashMap<>();

    long open(final Channel channel)
    {
        final long id = nextId.getAndIncrement();
        channels.put(id, channel);
        return id;
    }

    /**
     * @return an id for one HTTP request: its answer closes it.
     */
    long openHttp(final Channel channel, final boolean keepAlive)
    {
        final long id = open(channel);
        httpKeepAlive.put(id, keepAlive);
        return id;
    }

    void closed(final long id)
    {
        channels.remove(id);
        httpKeepAlive.remove(id);
    }

    /**
     * Writes a Kuzzle response as an HTTP response, its status as the HTTP status.
     */
    static void writeHttp(final Channel channel, final int status, final byte[] json, final boolean keepAlive)
    {
        final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response);
        }
        else
        {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Writes one text frame to a WebSocket connection.
     *
     * @return false when the connection is gone.
     */
    public boolean sendText(final long connectionId, final byte[] frame)
    {
        final Boolean keepAlive = httpKeepAlive.remove(connectionId);
        final Channel channel = null == keepAlive ? channels.get(connectionId) : channels.remove(connectionId);
        if (null == channel || !channel.isActive())
        {
            return false;
        }
        if (null != keepAlive)
        {
            writeHttp(channel, statusOf(frame), frame, keepAlive);
        }
        else
        {
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
        }
        return true;
    }

    private static int statusOf(final byte[] response)
    {
        try
        {
            return JSON.readTree(response).path("status").asInt(200);
        }
        catch (final IOException ex)
        {
            return 500;
        }
    }

    /**
     * @return open WebSocket connections and HTTP requests waiting for their answer.
     */
    public int size()
    {
        return channels.size();
    }
}
