package io.herald.transport.edge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.PublishRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The edge's link to a node for reads: publishes go out on a plain Aeron publication (not the cluster log) and the
 * node's notification lists come back on this edge's answer channel. Not thread-safe: it belongs to the router.
 */
public final class ReadLink implements AutoCloseable
{
    static final int READ_STREAM_ID = 1001;
    static final int ANSWER_STREAM_ID = 1002;

    /**
     * Receives a node's answer to one publish.
     */
    public interface Lists
    {
        void onNotificationList(long correlationId, NotificationListDecoder list);
    }

    private final ExclusivePublication requests;
    private final Subscription answers;
    private final String answerChannel;
    private final int edgeId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishRequestEncoder publish = new PublishRequestEncoder();
    private final MessageHeaderDecoder answerHeader = new MessageHeaderDecoder();
    private final NotificationListDecoder list = new NotificationListDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onAnswer);
    private Lists handler;

    /**
     * @param nodeReadChannel the node's read channel.
     * @param answerChannel   the channel this edge reads answers on (its endpoint must be this edge's).
     */
    public ReadLink(final Aeron aeron, final String nodeReadChannel, final String answerChannel, final int edgeId)
    {
        this.requests = aeron.addExclusivePublication(nodeReadChannel, READ_STREAM_ID);
        this.answers = aeron.addSubscription(answerChannel, ANSWER_STREAM_ID);
        this.answerChannel = answerChannel;
        this.edgeId = edgeId;
    }

    public int edgeId()
    {
        return edgeId;
    }

    /**
     * @param minLogPosition the highest log position this edge saw acknowledged (read-your-writes).
     * @return false when the node cannot take it now (not connected, back pressure).
     */
    public boolean publish(
        final long correlationId, final long minLogPosition, final String index, final String collection,
        final String document)
    {
        publish.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).minLogPosition(minLogPosition)
            .index(index).collection(collection).document(document).responseChannel(answerChannel);
        return requests.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + publish.encodedLength()) > 0;
    }

    public int poll(final Lists lists)
    {
        handler = lists;
        return answers.poll(assembler, 16);
    }

    public void close()
    {
        requests.close();
        answers.close();
    }

    private void onAnswer(final DirectBuffer message, final int offset, final int length, final Header fragment)
    {
        answerHeader.wrap(message, offset);
        if (answerHeader.templateId() == NotificationListDecoder.TEMPLATE_ID)
        {
            list.wrapAndApplyHeader(message, offset, answerHeader);
            handler.onNotificationList(list.correlationId(), list);
        }
    }
}
