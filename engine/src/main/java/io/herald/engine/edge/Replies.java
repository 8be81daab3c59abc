package io.herald.engine.edge;

/**
 * Where the edge's decisions write a client's answer: the connection's writer (its protocol plugin frames it).
 */
@FunctionalInterface
public interface Replies
{
    /**
     * @param response a Kuzzle response, UTF-8 JSON, owned by the callee from now on.
     */
    void send(long connectionId, byte[] response);
}
