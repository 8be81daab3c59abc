package io.herald.transport.edge;

import io.netty.channel.ChannelPipeline;

/**
 * A client protocol of the edge. Plugins are found with {@link java.util.ServiceLoader} (a jar on the classpath
 * with a {@code META-INF/services/io.herald.transport.edge.ProtocolPlugin} entry): adding one touches neither the
 * edge nor the nodes. They share the client port: each socket's pipeline starts with an HTTP codec and aggregator,
 * then every plugin adds its handlers, in {@link #order()}; a handler passes on what is not its own.
 * <p>
 * A plugin turns what its clients send into Kuzzle requests for the {@link RequestSink} (one connection id per client
 * connection, or per request for request/response protocols, from {@link EdgeConnections}) and registers a
 * {@link EdgeConnections.Writer} that puts Kuzzle responses and notifications back in its own framing.
 */
public interface ProtocolPlugin
{
    /**
     * @return the protocol's name, as Herald reports it (e.g. {@code websocket}).
     */
    String name();

    /**
     * @return the plugin's place in the shared pipeline: lower comes first.
     */
    int order();

    /**
     * Adds the plugin's handlers to a new client socket's pipeline.
     */
    void install(ChannelPipeline pipeline, Context context);

    /**
     * What a plugin's handlers work with.
     *
     * @param connections   where connections are registered and answers written.
     * @param sink          where requests go (the edge's ring).
     * @param maxFrameBytes the largest request accepted.
     */
    record Context(EdgeConnections connections, RequestSink sink, int maxFrameBytes)
    {
    }
}
