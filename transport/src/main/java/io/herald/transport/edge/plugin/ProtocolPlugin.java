package io.herald.transport.edge.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelPipeline;

/**
 * A client protocol of the edge, found with {@link java.util.ServiceLoader}: a jar on the classpath with a
 * {@code META-INF/services/io.herald.transport.edge.plugin.ProtocolPlugin} line naming the class. Adding one touches
 * neither the edge nor the nodes.
 * <p>
 * A plugin owns its sockets and its framing. It either binds listeners of its own in {@link #start} (on the edge's
 * I/O threads), or takes a branch of the edge's shared HTTP port (Kuzzle's 7512) in {@link #installOnSharedPort}, or
 * both. It turns what its clients send into {@link io.herald.engine.kuzzle.KuzzleRequest}s for
 * {@link PluginContext#submit}, one connection id per client connection (or per request, for request/response
 * protocols), and puts Kuzzle responses and notifications back in its own framing through the
 * {@link ConnectionWriter} it registered the connection with. It sees nothing else of the edge.
 */
public interface ProtocolPlugin
{
    /**
     * @return the protocol's name, as notifications and {@code herald stat} report it (e.g. {@code websocket}).
     */
    String name();

    /**
     * @return the plugin's place among the handlers of a shared-port socket: lower comes first.
     */
    default int order()
    {
        return 100;
    }

    /**
     * Binds the plugin's own listeners, if it has any; called once when the edge starts.
     */
    default void start(PluginContext context) throws Exception
    {
    }

    /**
     * @return the port of the plugin's own listener, or -1 when it has none (or it is off).
     */
    default int port()
    {
        return -1;
    }

    /**
     * @return the port of the plugin's own TLS listener, or -1 when it has none (or it is off).
     */
    default int tlsPort()
    {
        return -1;
    }

    /**
     * Adds the plugin's handlers to a new socket of the shared HTTP port, behind the HTTP codec (which hands it whole
     * requests, {@code FullHttpRequest}s): a handler passes on what is not its own.
     */
    default void installOnSharedPort(ChannelPipeline pipeline, PluginContext context)
    {
    }

    /**
     * Adds what the plugin serves to Kuzzle's {@code server:publicApi} answer (controller → action →
     * {@code {http: [{verb, url}]}} for HTTP routes).
     */
    default void describe(ObjectNode publicApi)
    {
    }

    /**
     * Stops the plugin's own listeners; the edge closes its I/O threads afterwards.
     */
    default void close()
    {
    }
}
