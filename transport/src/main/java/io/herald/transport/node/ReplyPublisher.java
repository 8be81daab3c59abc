package io.herald.transport.node;

import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.herald.codecs.BooleanType;
import io.herald.codecs.EdgeResumedEncoder;
import io.herald.codecs.ErrorResponseEncoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.SubscribeResponseEncoder;
import io.herald.codecs.UnsubscribeResponseEncoder;
import io.herald.codecs.WriteAppliedEncoder;
import io.herald.engine.registry.Subscription;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Encodes the node's answers to writes and offers them on the requesting session's egress. Back pressure is retried
 * with the cluster's idle strategy a bounded number of times; after that the answer is dropped and counted — the
 * edge times the request out and retries it, and writes are idempotent.
 */
final class ReplyPublisher
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SubscribeResponseEncoder subscribed = new SubscribeResponseEncoder();
    private final UnsubscribeResponseEncoder unsubscribed = new UnsubscribeResponseEncoder();
    private final ErrorResponseEncoder error = new ErrorResponseEncoder();
    private final EdgeResumedEncoder resumed = new EdgeResumedEncoder();
    private final WriteAppliedEncoder applied = new WriteAppliedEncoder();
    private long dropped;
    private AtomicCounter droppedCounter;

    /**
     * @param counter counts the answers dropped from now on.
     */
    void countDroppedInto(final AtomicCounter counter)
    {
        this.droppedCounter = counter;
    }

    void subscribed(final ClientSession session, final Cluster cluster, final long correlationId,
        final Subscription subscription)
    {
        subscribed.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .logPosition(cluster.logPosition())
            .count(subscription.count())
            .roomId(subscription.roomId())
            .channel(subscription.channel());
        offer(session, cluster, MessageHeaderEncoder.ENCODED_LENGTH + subscribed.encodedLength());
    }

    void unsubscribed(final ClientSession session, final Cluster cluster, final long correlationId,
        final String roomId, final int count)
    {
        unsubscribed.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .logPosition(cluster.logPosition())
            .count(count)
            .roomId(roomId);
        offer(session, cluster, MessageHeaderEncoder.ENCODED_LENGTH + unsubscribed.encodedLength());
    }

    void applied(final ClientSession session, final Cluster cluster, final long correlationId)
    {
        applied.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).logPosition(cluster.logPosition());
        offer(session, cluster, MessageHeaderEncoder.ENCODED_LENGTH + applied.encodedLength());
    }

    void error(final ClientSession session, final Cluster cluster, final long correlationId, final int status,
        final String errorId, final String message)
    {
        encodeError(correlationId, status, errorId, message);
        offer(session, cluster, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength());
    }

    void edgeResumed(final ClientSession session, final Cluster cluster, final long correlationId, final int edgeId,
        final boolean expired)
    {
        resumed.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .edgeId(edgeId)
            .expired(expired ? BooleanType.TRUE : BooleanType.FALSE);
        offer(session, cluster, MessageHeaderEncoder.ENCODED_LENGTH + resumed.encodedLength());
    }

    long dropped()
    {
        return dropped;
    }

    private void encodeError(final long correlationId, final int status, final String errorId, final String message)
    {
        error.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .status(status)
            .errorId(errorId)
            .message(message);
    }

    private void offer(final ClientSession session, final Cluster cluster, final int length)
    {
        if (null != session && !EgressOffers.offer(cluster, session, buffer, length))
        {
            dropped++;
            if (null != droppedCounter)
            {
                droppedCounter.increment();
            }
        }
    }
}
