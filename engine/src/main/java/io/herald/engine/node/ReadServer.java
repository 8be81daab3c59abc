package io.herald.engine.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.herald.codecs.CountRequestDecoder;
import io.herald.codecs.CountResponseEncoder;
import io.herald.codecs.ErrorResponseEncoder;
import io.herald.codecs.ListRequestDecoder;
import io.herald.codecs.ListResponseEncoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListEncoder;
import io.herald.codecs.PublishRequestDecoder;
import io.herald.engine.protocol.KuzzleError;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.SubscriptionRegistry;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's read side: publishes, counts and lists arrive on a plain Aeron subscription (not the cluster log), are matched against
 * the registry on the service thread (from {@code doBackgroundWork}, which may read state but never writes it), and
 * the connections to notify go back, per channel, to the edge that asked, on the channel it named.
 * <p>
 * An answer publication is created the first time an edge asks; until it connects, answers wait (bounded) instead of
 * being lost.
 */
final class ReadServer implements FragmentHandler
{
    static final int READ_STREAM_ID = 1001;
    static final int ANSWER_STREAM_ID = 1002;
    private static final long PENDING_TIMEOUT_NS = 2_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record PendingAnswer(ExclusivePublication publication, byte[] bytes, long deadlineNs)
    {
    }

    private final Subscription reads;
    private final Aeron aeron;
    private final SubscriptionRegistry registry;
    private final int nodeId;
    private final LongSupplier logPosition;
    private final Map<String, ExclusivePublication> answers = new HashMap<>();
    private final ArrayDeque<PendingAnswer> pending = new ArrayDeque<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PublishRequestDecoder publish = new PublishRequestDecoder();
    private final CountRequestDecoder count = new CountRequestDecoder();
    private final ListRequestDecoder listRequest = new ListRequestDecoder();
    private final CountResponseEncoder countResponse = new CountResponseEncoder();
    private final ListResponseEncoder listResponse = new ListResponseEncoder();
    private final ErrorResponseEncoder error = new ErrorResponseEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final NotificationListEncoder list = new NotificationListEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private NotificationListEncoder.ChannelsEncoder channels;
    private long nowNs;

    ReadServer(
        final Aeron aeron, final String readChannel, final SubscriptionRegistry registry, final int nodeId,
        final LongSupplier logPosition)
    {
        this.aeron = aeron;
        this.reads = aeron.addSubscription(readChannel, READ_STREAM_ID);
        this.registry = registry;
        this.nodeId = nodeId;
        this.logPosition = logPosition;
    }

    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return retryPending() + reads.poll(this, 16);
    }

    public void onFragment(final DirectBuffer message, final int offset, final int length, final Header fragmentHeader)
    {
        header.wrap(message, offset);
        switch (header.templateId())
        {
            case PublishRequestDecoder.TEMPLATE_ID:
                publish.wrapAndApplyHeader(message, offset, header);
                onPublish();
                break;
            case CountRequestDecoder.TEMPLATE_ID:
                count.wrapAndApplyHeader(message, offset, header);
                onCount();
                break;
            case ListRequestDecoder.TEMPLATE_ID:
                listRequest.wrapAndApplyHeader(message, offset, header);
                onList();
                break;
            default:
                break;
        }
    }

    private void onCount()
    {
        final long correlationId = count.correlationId();
        final String roomId = count.roomId();
        final String responseChannel = count.responseChannel();
        if (null == registry.room(roomId))
        {
            error.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId).status(404)
                .errorId(KuzzleError.ROOM_NOT_FOUND.id()).message(KuzzleError.ROOM_NOT_FOUND.message(roomId));
            send(responseChannel, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength());
            return;
        }
        countResponse.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId)
            .count(registry.count(roomId));
        send(responseChannel, MessageHeaderEncoder.ENCODED_LENGTH + countResponse.encodedLength());
    }

    private void onList()
    {
        final long correlationId = listRequest.correlationId();
        final String responseChannel = listRequest.responseChannel();
        String json;
        try
        {
            json = JSON.writeValueAsString(registry.list());
        }
        catch (final JsonProcessingException ex)
        {
            json = "{}";
        }
        listResponse.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId).list(json);
        send(responseChannel, MessageHeaderEncoder.ENCODED_LENGTH + listResponse.encodedLength());
    }

    private void onPublish()
    {
        final long correlationId = publish.correlationId();
        final String index = publish.index();
        final String collection = publish.collection();
        final String document = publish.document();
        final String responseChannel = publish.responseChannel();
        channels = list.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId).nodeId(nodeId).logPosition(logPosition.getAsLong())
            .channelsCount(NotificationListEncoder.ChannelsEncoder.countMaxValue());
        try
        {
            final JsonNode parsed = JSON.readTree(document);
            registry.match(index, collection, parsed, this::onChannel);
        }
        catch (final JsonProcessingException ex)
        {
            // the edge sends documents it parsed itself: an unreadable one matches nothing
        }
        channels.resetCountToIndex();
        send(responseChannel, MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength());
    }

    private void onChannel(final String channel, final long[] connections, final int count)
    {
        final NotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
            .connectionsCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next().edgeId(Connections.edgeId(connections[i])).connectionId(Connections.connectionId(connections[i]));
        }
        channels.channel(channel);
    }

    private void send(final String responseChannel, final int length)
    {
        final ExclusivePublication publication = answers.computeIfAbsent(responseChannel,
            (channel) -> aeron.addExclusivePublication(channel, ANSWER_STREAM_ID));
        if (!pending.isEmpty() || publication.offer(buffer, 0, length) < 0)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            pending.add(new PendingAnswer(publication, copy, nowNs + PENDING_TIMEOUT_NS));
        }
    }

    private int retryPending()
    {
        int sent = 0;
        while (!pending.isEmpty())
        {
            final PendingAnswer answer = pending.peek();
            final long result = answer.publication().offer(new UnsafeBuffer(answer.bytes()));
            if (result > 0 || result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                nowNs > answer.deadlineNs())
            {
                pending.poll();
                sent++;
            }
            else
            {
                break;
            }
        }
        return sent;
    }
}
