package io.herald.transport.edge;

import io.herald.engine.counters.PrometheusText;
import io.herald.transport.edge.plugin.SharedHttpPort;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} on the shared HTTP port: Herald's counters in the Prometheus text format, read from the
 * process's counters file. Anything else goes on to the protocol plugins.
 */
@ChannelHandler.Sharable
final class MetricsEndpoint extends ChannelInboundHandlerAdapter
{
    private final Supplier<CountersReader> counters;

    MetricsEndpoint(final Supplier<CountersReader> counters)
    {
        this.counters = counters;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        if (message instanceof FullHttpRequest && HttpMethod.GET.equals(((FullHttpRequest)message).method()) &&
            "/metrics".equals(path(((FullHttpRequest)message).uri())) &&
            ((FullHttpRequest)message).decoderResult().isSuccess())
        {
            final FullHttpRequest request = (FullHttpRequest)message;
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            request.release();
            final byte[] text = PrometheusText.of(counters.get()).getBytes(StandardCharsets.UTF_8);
            final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
            HttpUtil.setKeepAlive(response, keepAlive);
            SharedHttpPort.requestComplete(ctx.pipeline());
            final ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive)
            {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        ctx.fireChannelRead(message);
    }

    private static String path(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
