package io.herald.transport.edge.plugin.websocket;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.transport.edge.plugin.IoThreadResponses;
import io.herald.transport.edge.plugin.PluginContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * In front of Netty's handshaker: an opening handshake RFC 6455 does not accept ({@link WebSocketHandshakes}) is
 * answered 400 (426 with the version Herald speaks, for another protocol version) with a Kuzzle error body, and the
 * socket closed; so is one from a browser page whose {@code Origin} is not in {@code edge.allowed.origins} (403), and
 * one the edge has no room for (503: its connection limit, or the remote address's). One it accepts goes on. Leaves
 * the pipeline once the socket is a WebSocket.
 */
final class WebSocketHandshakeCheck extends ChannelInboundHandlerAdapter
{
    /** Where the allowed browser origins are set: a comma-separated list, empty for any. */
    static final String ORIGINS_SETTING = "edge.allowed.origins";

    private final PluginContext context;
    private final IoThreadResponses responses;
    private final Set<String> origins;

    WebSocketHandshakeCheck(final PluginContext context, final Set<String> origins)
    {
        this.context = context;
        this.responses = context.responses();
        this.origins = origins;
    }

    /**
     * @return the origins of {@link #ORIGINS_SETTING}, empty for any.
     */
    static Set<String> origins(final PluginContext context)
    {
        final Set<String> allowed = new HashSet<>();
        for (final String origin : context.setting(ORIGINS_SETTING, "").split(","))
        {
            if (!origin.isBlank())
            {
                allowed.add(origin.trim().toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(allowed);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        if (message instanceof FullHttpRequest &&
            ((FullHttpRequest)message).headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET,
            true))
        {
            final FullHttpRequest http = (FullHttpRequest)message;
            final String problem = WebSocketHandshakes.problem(http);
            if (null != problem)
            {
                http.release();
                refuse(ctx, problem);
                return;
            }
            final String origin = http.headers().get(HttpHeaderNames.ORIGIN);
            if (null != origin && !origins.isEmpty() && !origins.contains(origin.toLowerCase(Locale.ROOT)))
            {
                http.release();
                answer(ctx, HttpResponseStatus.FORBIDDEN, new KuzzleException(KuzzleError.BAD_HANDSHAKE,
                    "origin " + origin + " is not allowed (edge.allowed.origins)"));
                return;
            }
            final String full = context.refusal(ctx.channel());
            if (null != full)
            {
                http.release();
                answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, full));
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(message);
    }

    private void refuse(final ChannelHandlerContext ctx, final String problem)
    {
        final boolean badVersion = problem.startsWith(WebSocketHandshakes.VERSION_PROBLEM);
        answer(ctx, badVersion ? HttpResponseStatus.UPGRADE_REQUIRED : HttpResponseStatus.BAD_REQUEST,
            new KuzzleException(KuzzleError.BAD_HANDSHAKE, problem));
    }

    private void answer(final ChannelHandlerContext ctx, final HttpResponseStatus status, final KuzzleException error)
    {
        final byte[] body = responses.writer().error(null, null, error);
        final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (status == HttpResponseStatus.UPGRADE_REQUIRED)
        {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
