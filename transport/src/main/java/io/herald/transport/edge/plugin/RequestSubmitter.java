package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.netty.channel.ChannelHandlerContext;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Hands one connection's requests to the edge in order, through a full ring: when the edge cannot take a request,
 * the connection stops reading (TCP pushes back on its client), its requests wait here in order and are offered again
 * every {@value #RETRY_DELAY_US} µs; after {@link #MAX_STALL_NS} without room they are refused with a 503. One per
 * connection, used on its event loop only; allocates only when the ring is full.
 */
public final class RequestSubmitter
{
    /** How long a connection's requests may wait for room in a full ring before they are answered 503. */
    public static final long MAX_STALL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long RETRY_DELAY_US = 100;

    /**
     * What becomes of a request.
     */
    public interface Outcome
    {
        /**
         * The edge took the request ({@code tag} is what the plugin passed with it, e.g. an MQTT packet id).
         */
        default void accepted(ChannelHandlerContext ctx, KuzzleRequest request, int tag)
        {
        }

        /**
         * The edge could not take the request in time: the plugin answers it with the error.
         */
        void refused(ChannelHandlerContext ctx, KuzzleRequest request, int tag, KuzzleException error);
    }

    private record Waiting(KuzzleRequest request, int tag)
    {
    }

    private final PluginContext context;
    private final Outcome outcome;
    private ArrayDeque<Waiting> stalled;
    private long stalledSinceNs;

    public RequestSubmitter(final PluginContext context, final Outcome outcome)
    {
        this.context = context;
        this.outcome = outcome;
    }

    /**
     * Submits a request after those still waiting.
     */
    public void submit(
        final ChannelHandlerContext ctx, final long connectionId, final KuzzleRequest request, final int tag)
    {
        if (!isStalled() && context.submit(connectionId, request))
        {
            outcome.accepted(ctx, request, tag);
            return;
        }
        if (null == stalled)
        {
            stalled = new ArrayDeque<>(4);
        }
        if (stalled.isEmpty())
        {
            stalledSinceNs = System.nanoTime();
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> retry(ctx, connectionId), RETRY_DELAY_US, TimeUnit.MICROSECONDS);
        }
        stalled.add(new Waiting(request, tag));
    }

    private boolean isStalled()
    {
        return null != stalled && !stalled.isEmpty();
    }

    private void retry(final ChannelHandlerContext ctx, final long connectionId)
    {
        if (!ctx.channel().isActive())
        {
            stalled.clear();
            return;
        }
        while (!stalled.isEmpty() && context.submit(connectionId, stalled.peek().request()))
        {
            final Waiting taken = stalled.poll();
            outcome.accepted(ctx, taken.request(), taken.tag());
        }
        if (!stalled.isEmpty() && System.nanoTime() - stalledSinceNs > MAX_STALL_NS)
        {
            for (Waiting refused = stalled.poll(); null != refused; refused = stalled.poll())
            {
                outcome.refused(ctx, refused.request(), refused.tag(),
                    new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "the edge is overloaded, retry later"));
            }
        }
        if (stalled.isEmpty())
        {
            ctx.channel().config().setAutoRead(true);
        }
        else
        {
            ctx.executor().schedule(() -> retry(ctx, connectionId), RETRY_DELAY_US, TimeUnit.MICROSECONDS);
        }
    }
}
