package io.herald.transport.edge;

import io.herald.engine.kuzzle.KuzzleRequest;

/**
 * One slot of the edge's request ring, pre-allocated and reused: a connection opened, closed, or sent a request.
 */
final class RequestEvent
{
    enum Type
    {
        OPEN, REQUEST, CLOSE
    }

    Type type;
    long connectionId;
    /** For OPEN: the peer's address. */
    String remoteAddress;
    /** For OPEN: the protocol the connection speaks. */
    String protocol;
    KuzzleRequest request;

    void clear()
    {
        type = null;
        remoteAddress = null;
        protocol = null;
        request = null;
    }
}
