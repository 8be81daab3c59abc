package io.herald.transport.edge;

import io.herald.engine.errors.DistinctErrors;
import org.agrona.ErrorHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;

import java.io.IOException;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Last in every client pipeline: what a client's socket does wrong (reset by peer, broken pipe, a frame the codecs
 * refuse, a socket closed in the middle of a message) ends that connection without a stack trace in the log, since clients do this all day; it is counted.
 * Anything else is a bug of Herald's and is logged, once per distinct error, before the connection is closed.
 */
@ChannelHandler.Sharable
final class QuietErrors extends ChannelInboundHandlerAdapter
{
    private final AtomicCounter clientErrors;
    private final DistinctErrors unexpected = new DistinctErrors("herald-edge-io");

    /**
     * @param log the process's error log, or null to print errors.
     */
    QuietErrors(final AtomicCounter clientErrors, final AtomicCounter errors, final ErrorHandler log)
    {
        this.clientErrors = clientErrors;
        unexpected.countInto(errors).logInto(log);
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof IOException || cause instanceof CodecException)
        {
            clientErrors.increment();
        }
        else
        {
            synchronized (unexpected)
            {
                unexpected.record(cause, "on a client connection", System.currentTimeMillis());
            }
        }
        ctx.close();
    }
}
