package io.herald.engine.edge;

/**
 * A request waiting for a node (writes for the cluster's ingress, reads for a node's read channel), encoded when
 * it is offered. {@code filterJson} holds the document of a publish.
 */
public record NodeRequest(
    int kind, long correlationId, long connectionId, String index, String collection, String filterJson,
    String roomId, int scope, int users, String volatileJson, long publishId, long createdAt, String kuzzleId,
    String requestId, String protocol)
{
    public NodeRequest(
        final int kind, final long correlationId, final long connectionId, final String index,
        final String collection, final String filterJson, final String roomId, final int scope, final int users,
        final String volatileJson)
    {
        this(kind, correlationId, connectionId, index, collection, filterJson, roomId, scope, users, volatileJson,
            correlationId, 0, null, null, null);
    }

    public static final int SUBSCRIBE = 0;
    public static final int JOIN = 1;
    public static final int UNSUBSCRIBE = 2;
    public static final int CLOSE = 3;
    public static final int PUBLISH = 4;
    public static final int COUNT = 5;
    public static final int LIST = 6;

    public NodeRequest withCorrelationId(final long id)
    {
        return new NodeRequest(kind, id, connectionId, index, collection, filterJson, roomId, scope, users,
            volatileJson, publishId, createdAt, kuzzleId, requestId, protocol);
    }

    /**
     * @return true for what goes through the cluster's log (subscribe, join, unsubscribe, close), false for reads.
     */
    public boolean isWrite()
    {
        return kind < PUBLISH;
    }
}
