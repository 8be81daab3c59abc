package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator, with Herald's limit and a Kuzzle error for bodies over it: {@code 413} with the limit named,
 * then the socket is closed (the rest of the body is still on its way and will not be read).
 */
final class HttpBodyAggregator extends HttpObjectAggregator
{
    private final IoThreadResponses responses;

    HttpBodyAggregator(final int maxRequestBytes, final IoThreadResponses responses)
    {
        super(maxRequestBytes);
        this.responses = responses;
    }

    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        final long length = HttpUtil.getContentLength(oversized, -1L);
        final KuzzleException error = new KuzzleException(KuzzleError.REQUEST_TOO_LARGE,
            length < 0 ? "more than " + maxContentLength() : Long.toString(length), maxContentLength());
        SharedHttpPort.writeJson(ctx.channel(), error.error().status(),
            responses.writer().error(null, null, error), false);
    }
}
