package io.herald.transport.edge;

import io.herald.engine.kuzzle.KuzzleRequest;

/**
 * Where protocol plugins hand what clients do: connections opening and closing, and well-formed requests. Called on
 * Netty I/O threads, so implementations must be quick and thread-safe (the edge's implementation publishes into the
 * Disruptor ring).
 */
public interface RequestSink
{
    void onOpen(long connectionId, String protocol, String remoteAddress);

    /**
     * @return false when the request cannot be taken now (back pressure): the plugin answers with an error and
     * stops reading from the socket until the sink has room again.
     */
    boolean onRequest(long connectionId, KuzzleRequest request);

    void onClose(long connectionId);
}
