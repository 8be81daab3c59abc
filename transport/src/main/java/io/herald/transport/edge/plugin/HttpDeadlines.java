package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Time limits of a socket while it speaks HTTP (before any WebSocket upgrade), first in its pipeline so that it sees
 * bytes as they come: a request must arrive whole (request line, headers and body) within {@code requestTimeoutNs}
 * of its first byte, or it is answered {@code 408} and the socket closed; a socket that sends nothing for
 * {@code idleTimeoutNs} (before its first request or between two) is closed. A client trickling a request byte by
 * byte (slowloris) therefore holds a socket for the request timeout at most. The handler leaves the pipeline when
 * the socket becomes a WebSocket: those live as long as their clients want.
 */
final class HttpDeadlines extends ChannelInboundHandlerAdapter
{
    private final long requestTimeoutNs;
    private final long idleTimeoutNs;
    private ScheduledFuture<?> requestDeadline;
    private ScheduledFuture<?> idleDeadline;
    private boolean inRequest;

    private final IoThreadResponses responses;

    HttpDeadlines(final long requestTimeoutNs, final long idleTimeoutNs, final IoThreadResponses responses)
    {
        this.responses = responses;
        this.requestTimeoutNs = requestTimeoutNs;
        this.idleTimeoutNs = idleTimeoutNs;
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive())
        {
            armIdle(ctx);
        }
    }

    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        armIdle(ctx);
        super.channelActive(ctx);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message) throws Exception
    {
        if (!inRequest)
        {
            inRequest = true;
            cancel(idleDeadline);
            idleDeadline = null;
            requestDeadline = ctx.executor().schedule(() -> requestTimedOut(ctx), requestTimeoutNs,
                TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, message);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        cancelAll();
        super.channelInactive(ctx);
    }

    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        cancelAll();
    }

    /**
     * A whole request was read: the request deadline stops and the idle one starts. Called on the channel's event
     * loop by the handler that takes whole requests.
     */
    void requestComplete(final ChannelHandlerContext ctx)
    {
        inRequest = false;
        cancel(requestDeadline);
        requestDeadline = null;
        armIdle(ctx);
    }

    private void armIdle(final ChannelHandlerContext ctx)
    {
        cancel(idleDeadline);
        idleDeadline = ctx.executor().schedule(() -> ctx.close(), idleTimeoutNs, TimeUnit.NANOSECONDS);
    }

    private void requestTimedOut(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive())
        {
            final KuzzleException error = new KuzzleException(KuzzleError.REQUEST_TIMEOUT,
                TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs));
            SharedHttpPort.writeJson(ctx.channel(), error.error().status(),
                responses.writer().error(null, null, error), false);
        }
    }

    private void cancelAll()
    {
        cancel(requestDeadline);
        cancel(idleDeadline);
        requestDeadline = null;
        idleDeadline = null;
    }

    private static void cancel(final ScheduledFuture<?> deadline)
    {
        if (null != deadline)
        {
            deadline.cancel(false);
        }
    }
}
