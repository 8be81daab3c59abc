package io.herald.transport.edge.plugin.ndjson;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
import io.herald.transport.edge.plugin.ConnectionWriter;
import io.herald.transport.edge.plugin.PluginContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.io.IOException;

/**
 * One line-delimited JSON connection: a line in is a request for the edge, a line out an answer or a notification.
 */
final class NdjsonHandler extends SimpleChannelInboundHandler<ByteBuf>
{
    private static final byte[] NEWLINE = {'\n'};
    /** Each JSON followed by a newline; the edge flushes after its batch. */
    private static final ConnectionWriter LINES = (channel, json) ->
        channel.write(Unpooled.wrappedBuffer(json, NEWLINE), channel.voidPromise());

    private final PluginContext context;
    private long connectionId = -1;

    NdjsonHandler(final PluginContext context)
    {
        this.context = context;
    }

    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        connectionId = context.open(ctx.channel(), NdjsonPlugin.PROTOCOL, LINES);
        super.channelActive(ctx);
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

    protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf line)
    {
        final JsonNode tree;
        try
        {
            tree = RequestJson.read(new ByteBufInputStream(line.duplicate()));
        }
        catch (final IOException ex)
        {
            reply(ctx, RequestJson.findRequestId(new ByteBufInputStream(line.duplicate())),
                RequestJson.invalid("the line", ex));
            return;
        }
        try
        {
            if (!context.submit(connectionId, KuzzleRequest.of(tree, NdjsonPlugin.PROTOCOL)))
            {
                reply(ctx, KuzzleRequest.requestIdOf(tree),
                    new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "the edge is overloaded, retry later"));
            }
        }
        catch (final KuzzleException ex)
        {
            reply(ctx, KuzzleRequest.requestIdOf(tree), ex);
        }
    }

    private void reply(final ChannelHandlerContext ctx, final String requestId, final KuzzleException error)
    {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(context.responses().writer().error(requestId, null, error), NEWLINE));
    }
}
