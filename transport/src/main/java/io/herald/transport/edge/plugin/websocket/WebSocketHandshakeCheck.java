package io.herald.transport.edge.plugin.websocket;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.transport.edge.plugin.IoThreadResponses;
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

/**
 * In front of Netty's handshaker: an opening handshake RFC 6455 does not accept ({@link WebSocketHandshakes}) is
 * answered 400 (426 with the version Herald speaks, for another protocol version) with a Kuzzle error body, and the
 * socket closed; one it accepts goes on. Leaves the pipeline once the socket is a WebSocket.
 */
final class WebSocketHandshakeCheck extends ChannelInboundHandlerAdapter
{
    private final IoThreadResponses responses;

    WebSocketHandshakeCheck(final IoThreadResponses responses)
    {
        this.responses = responses;
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
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(message);
    }

    private void refuse(final ChannelHandlerContext ctx, final String problem)
    {
        final boolean badVersion = problem.startsWith(WebSocketHandshakes.VERSION_PROBLEM);
        final KuzzleException error = new KuzzleException(KuzzleError.BAD_HANDSHAKE, problem);
        final byte[] body = responses.writer().error(null, null, error);
        final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            badVersion ? HttpResponseStatus.UPGRADE_REQUIRED : HttpResponseStatus.BAD_REQUEST,
            Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (badVersion)
        {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
