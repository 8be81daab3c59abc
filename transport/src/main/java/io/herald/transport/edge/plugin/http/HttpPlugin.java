package io.herald.transport.edge.plugin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.ProtocolPlugin;
import io.netty.channel.ChannelPipeline;

/**
 * Kuzzle's HTTP routes ({@link HttpRoutes}): one request per HTTP request, the Kuzzle response as the body and its
 * status as the HTTP status. Comes before WebSocket in the pipeline and passes upgrade requests on.
 */
public final class HttpPlugin implements ProtocolPlugin
{
    public String name()
    {
        return HttpRequestHandler.PROTOCOL;
    }

    public int order()
    {
        return 10;
    }

    public void installOnSharedPort(final ChannelPipeline pipeline, final PluginContext context)
    {
        pipeline.addLast(new HttpRequestHandler(context));
    }

    public void describe(final ObjectNode publicApi)
    {
        HttpRoutes.describe(publicApi);
    }
}
