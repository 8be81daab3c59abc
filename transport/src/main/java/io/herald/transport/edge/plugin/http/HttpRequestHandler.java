package io.herald.transport.edge.plugin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.RequestFrames;
import io.herald.transport.edge.plugin.SharedHttpPort;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP protocol plugin: Kuzzle's HTTP routes (as kuzzle-sdk 7's Http protocol knows them) for what makes sense
 * without a socket to notify — the table is {@link HttpRoutes} — turned into Kuzzle requests that follow the same path
 * as WebSocket ones. The answer is the Kuzzle response as JSON, with its status as the HTTP status. Requests that
 * upgrade to WebSocket pass on.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    static final String PROTOCOL = "http";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final PluginContext context;
    private final int maxFrameBytes;

    HttpRequestHandler(final PluginContext context)
    {
        super(false);
        this.context = context;
        this.maxFrameBytes = context.maxRequestBytes();
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest http)
    {
        SharedHttpPort.requestComplete(ctx.pipeline());
        if (http.decoderResult().isFailure() || http.protocolVersion().majorVersion() != 1)
        {
            // the codec gave up on this connection's input (or it is not HTTP/1.x): answer and close
            answerMalformed(ctx, http);
            return;
        }
        if (http.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true))
        {
            upgrade(ctx, http);
            return;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(http);
        final ObjectNode request = NODES.objectNode();
        request.put("requestId", "http-" + REQUEST_IDS.incrementAndGet());
        KuzzleRequest kuzzleRequest = null;
        try
        {
            final RequestJson.Frame body = route(http, request);
            final String authorization = http.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (null != authorization && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
            {
                // Kuzzle's HTTP protocol: the token comes in the Authorization header
                request.put("jwt", authorization.substring(7).trim());
            }
            kuzzleRequest = KuzzleRequest.of(request, PROTOCOL, body);
            final long connectionId = context.openOneShot(ctx.channel(), HttpResponses.writer(keepAlive));
            if (!context.submit(connectionId, kuzzleRequest))
            {
                context.dropOneShot(connectionId);
                throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "the edge is overloaded, retry later");
            }
        }
        catch (final KuzzleException ex)
        {
            SharedHttpPort.writeJson(ctx.channel(), ex.error().status(),
                context.responses().writer().error(request.get("requestId").textValue(), kuzzleRequest, ex), keepAlive);
        }
        finally
        {
            http.release();
        }
    }

    /**
     * A WebSocket opening handshake (or another upgrade) is not HTTP's: it goes on to the next plugin, and this
     * handler leaves the socket's pipeline.
     */
    private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest http)
    {
        ctx.fireChannelRead(http);
        ctx.pipeline().remove(this);
    }

    private void answerMalformed(final ChannelHandlerContext ctx, final FullHttpRequest http)
    {
        final Throwable cause = http.decoderResult().cause();
        http.release();
        final KuzzleError error = cause instanceof TooLongHttpLineException ? KuzzleError.URI_TOO_LONG :
            cause instanceof TooLongHttpHeaderException ? KuzzleError.HEADERS_TOO_LARGE : KuzzleError.MALFORMED_HTTP;
        final KuzzleException problem = new KuzzleException(error, null == cause ?
            "only HTTP/1.0 and 1.1 are served, not " + http.protocolVersion() : String.valueOf(cause.getMessage()));
        SharedHttpPort.writeJson(ctx.channel(), error.status(), context.responses().writer().error(null, null, problem),
            false);
    }

    /**
     * @return the body, when the route takes one (an object kept as its text, as a WebSocket frame's), else null.
     */
    private RequestJson.Frame route(final FullHttpRequest http, final ObjectNode request)
    {
        final QueryStringDecoder uri = new QueryStringDecoder(http.uri());
        final String[] parts;
        try
        {
            parts = HttpRoutes.segments(uri.path());
            uri.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new KuzzleException(KuzzleError.MALFORMED_HTTP, "the URI is not well encoded (" + ex.getMessage() +
                ")");
        }
        for (final HttpRoutes.Route route : HttpRoutes.ROUTES)
        {
            if (route.matches(http.method(), parts, request))
            {
                if (uri.parameters().containsKey("_id"))
                {
                    request.put("_id", uri.parameters().get("_id").get(0));
                }
                return route.body() ? body(http) : null;
            }
        }
        throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, http.method().name(), uri.path());
    }

    private RequestJson.Frame body(final FullHttpRequest http)
    {
        final int length = http.content().readableBytes();
        if (length > maxFrameBytes)
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, length, maxFrameBytes);
        }
        if (length == 0)
        {
            return null;
        }
        try
        {
            return RequestFrames.readBodyAlone(http.content());
        }
        catch (final IOException ex)
        {
            throw RequestJson.invalid("the body", ex);
        }
    }
}
