package io.herald.transport.edge;

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

    public void install(final ChannelPipeline pipeline, final Context context)
    {
        pipeline.addLast(new HttpRequestHandler(context.connections(), context.sink(), context.maxFrameBytes()));
    }
}
