package io.herald.engine.edge;

import io.herald.engine.kuzzle.DocumentNotification;
import io.herald.engine.kuzzle.KuzzleRequest;

/**
 * A request waiting for its answer: a write (answered through the cluster) or a read (answered by the node it
 * went to, which is recorded so that an unanswered read can go to another node).
 */
public final class PendingRequest
{
    private final long connectionId;
    private final KuzzleRequest request;
    private final DocumentNotification notification;
    NodeRequest read;
    int node = -1;
    long sentAtNs;
    long takenAtNs;
    boolean answered;
    /** A write: it was offered to a leader at least once (it may be applied). */
    boolean sent;

    PendingRequest(final long connectionId, final KuzzleRequest request, final NodeRequest read,
        final DocumentNotification notification)
    {
        this.connectionId = connectionId;
        this.request = request;
        this.read = read;
        this.notification = notification;
    }

    public long connectionId()
    {
        return connectionId;
    }

    public KuzzleRequest request()
    {
        return request;
    }

    public DocumentNotification notification()
    {
        return notification;
    }
}
