package io.herald.transport.edge.plugin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The edge's shared HTTP port (Kuzzle's 7512), where HTTP and WebSocket (and any plugin speaking HTTP first) meet:
 * each socket starts with the HTTP time limits, the HTTP codec and an aggregator holding up to the request limit;
 * the plugins' handlers come next.
 */
public final class SharedHttpPort
{
    private SharedHttpPort()
    {
    }

    /**
     * Puts the shared front of the pipeline on a new socket.
     */
    public static void install(
        final ChannelPipeline pipeline, final int maxRequestBytes, final long requestTimeoutNs, final long idleTimeoutNs,
        final IoThreadResponses responses)
    {
        pipeline
            .addLast(new HttpDeadlines(requestTimeoutNs, idleTimeoutNs, responses))
            .addLast(new HttpServerCodec())
            .addLast(new HttpBodyAggregator(maxRequestBytes, responses));
    }

    /**
     * A whole request arrived: the request deadline stops and the idle one starts. Called on the channel's event loop
     * by the handler that takes whole requests.
     */
    public static void requestComplete(final ChannelPipeline pipeline)
    {
        final HttpDeadlines deadlines = pipeline.get(HttpDeadlines.class);
        if (null != deadlines)
        {
            deadlines.requestComplete(pipeline.context(deadlines));
        }
    }

    /**
     * The socket stops speaking HTTP (it was upgraded): the HTTP time limits leave it.
     */
    public static void leave(final ChannelPipeline pipeline)
    {
        final HttpDeadlines deadlines = pipeline.get(HttpDeadlines.class);
        if (null != deadlines)
        {
            pipeline.remove(deadlines);
        }
    }

    /**
     * Writes a JSON body (a Kuzzle response) as an HTTP response with the given status.
     */
    public static void writeJson(final Channel channel, final int status, final byte[] json, final boolean keepAlive)
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
}
