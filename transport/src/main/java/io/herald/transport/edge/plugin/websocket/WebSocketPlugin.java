package io.herald.transport.edge.plugin.websocket;

import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.ProtocolPlugin;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.Set;

/**
 * Kuzzle's WebSocket protocol on any path: one JSON request per text frame, answers and notifications as text frames.
 * Frames up to the request limit are requests; larger ones up to 16 times that get an error and the connection
 * stays open; beyond that Netty closes the socket (1009).
 */
public final class WebSocketPlugin implements ProtocolPlugin
{
    public String name()
    {
        return WebSocketFrameHandler.PROTOCOL;
    }

    public int order()
    {
        return 20;
    }

    /**
     * The same for every connection of a server (plugins are loaded per server); immutable, so two I/O threads
     * racing to build it first is harmless.
     */
    private WebSocketServerProtocolConfig config;
    private Set<String> origins;

    public void installOnSharedPort(final ChannelPipeline pipeline, final PluginContext context)
    {
        final int hardLimit = (int)Math.min(Integer.MAX_VALUE - 1L, 16L * context.maxRequestBytes());
        if (null == config)
        {
            origins = WebSocketHandshakeCheck.origins(context);
            config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                // browsers fail a handshake whose answer does not echo a subprotocol they asked for (kuzzle-sdk's
                // browser bundle asks for "null"): the first one asked for is taken, as Kuzzle does
                .subprotocols("*")
                .checkStartsWith(true)
                .maxFramePayloadLength(hardLimit)
                .handleCloseFrames(true)
                .build();
        }
        pipeline
            .addLast(new WebSocketHandshakeCheck(context, origins))
            .addLast(new WebSocketServerProtocolHandler(config))
            .addLast(new WebSocketFrameAggregator(hardLimit))
            .addLast(new WebSocketFrameHandler(context));
    }
}
