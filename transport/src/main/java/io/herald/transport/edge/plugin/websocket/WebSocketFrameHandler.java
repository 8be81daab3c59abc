package io.herald.transport.edge.plugin.websocket;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.RequestFrames;
import io.herald.transport.edge.plugin.RequestSubmitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket protocol plugin's per-connection handler: one JSON request per text frame. Bad input (invalid JSON,
 * binary frames, frames over the size limit, malformed requests) is answered with a Kuzzle error in the request's
 * room when it can be found, and the connection stays open. Browsers' {@code {"p":1}} heartbeat gets
 * {@code {"p":2}}; RFC 6455 pings are answered by Netty.
 */
public final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    public static final String PROTOCOL = "websocket";

    private static final byte[] PING = "{\"p\":1}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "{\"p\":2}".getBytes(StandardCharsets.US_ASCII);

    private final PluginContext context;
    private final int maxFrameBytes;
    private final RequestSubmitter submitter;
    private long connectionId = -1;

    WebSocketFrameHandler(final PluginContext context)
    {
        this.context = context;
        this.maxFrameBytes = context.maxRequestBytes();
        this.submitter = new RequestSubmitter(context,
            (ctx, request, tag, error) -> reply(ctx, request.requestId(), request, error));
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            context.leaveSharedHttp(ctx.pipeline());
            connectionId = context.open(ctx.channel(), PROTOCOL, WebSocketFrames.WRITER);
        }
        super.userEventTriggered(ctx, event);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (connectionId >= 0)
        {
            context.closed(connectionId);
            connectionId = -1;
        }
        super.channelInactive(ctx);
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof BinaryWebSocketFrame)
        {
            reply(ctx, null, null, new KuzzleException(KuzzleError.INVALID_REQUEST,
                "binary frames are not supported, send JSON text frames"));
            return;
        }
        if (!(frame instanceof TextWebSocketFrame))
        {
            return;
        }
        final ByteBuf content = frame.content();
        if (content.readableBytes() > maxFrameBytes)
        {
            reply(ctx, findRequestId(content), null,
                new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, content.readableBytes(), maxFrameBytes));
            return;
        }
        if (isHeartbeat(content))
        {
            ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(PONG)));
            return;
        }
        final RequestJson.Frame read;
        try
        {
            read = RequestFrames.read(content);
        }
        catch (final IOException ex)
        {
            reply(ctx, findRequestId(content), null, RequestJson.invalid("the frame", ex));
            return;
        }
        final KuzzleRequest request;
        try
        {
            request = KuzzleRequest.of(read, PROTOCOL);
        }
        catch (final KuzzleException ex)
        {
            reply(ctx, KuzzleRequest.requestIdOf(read.tree()), null, ex);
            return;
        }
        submitter.submit(ctx, connectionId, request, 0);
    }

    private void reply(
        final ChannelHandlerContext ctx, final String requestId, final KuzzleRequest request,
        final KuzzleException error)
    {
        final byte[] response = context.responses().writer().error(requestId, request, error);
        ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(response)));
    }

    private static boolean isHeartbeat(final ByteBuf content)
    {
        return content.readableBytes() == PING.length &&
            ByteBufUtil.equals(content, content.readerIndex(), Unpooled.wrappedBuffer(PING), 0, PING.length);
    }

    private static String findRequestId(final ByteBuf content)
    {
        return RequestJson.findRequestId(new ByteBufInputStream(content.duplicate()));
    }

}
