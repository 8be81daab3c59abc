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
import io.herald.codecs.BooleanType;
import io.herald.codecs.CountRequestDecoder;
import io.herald.codecs.CountResponseEncoder;
import io.herald.codecs.ErrorResponseEncoder;
import io.herald.codecs.ListRequestDecoder;
import io.herald.codecs.ListResponseEncoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListEncoder;
import io.herald.codecs.PublishRequestDecoder;
import io.herald.codecs.StatusRequestDecoder;
import io.herald.codecs.StatusResponseEncoder;
import io.herald.engine.protocol.KuzzleError;
import io.herald.engine.registry.NotificationSink;
import io.herald.engine.registry.SubscriptionRegistry;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
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
    /** Chunks stay well below a term so that one slow edge cannot hold a whole term of answers. */
    static final int MAX_CHUNK_BYTES = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record HeldRead(long minLogPosition, byte[] bytes, long deadlineNs)
    {
    }

    private record PendingAnswer(ExclusivePublication publication, byte[] bytes, long deadlineNs)
    {
    }

    private final Subscription reads;
    private final Aeron aeron;
    private final SubscriptionRegistry registry;
    /** The service learns its member id after onStart: read it when answering. */
    private final IntSupplier nodeId;
    private final LongSupplier logPosition;
    private final IntSupplier roleCode;
    private final LongSupplier clusterTimeMs;
    private final StatusRequestDecoder statusRequest = new StatusRequestDecoder();
    private final StatusResponseEncoder statusResponse = new StatusResponseEncoder();
    private final long pid = ProcessHandle.current().pid();
    private final Map<String, ExclusivePublication> answers = new HashMap<>();
    private final ArrayDeque<PendingAnswer> pending = new ArrayDeque<>();
    private final ArrayDeque<HeldRead> held = new ArrayDeque<>();
    private boolean releasing;
    private long heldDropped;
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
    private final ChannelChunker chunker = new ChannelChunker(new NotificationChunk());
    private final NotificationSink toChunks = chunker::add;
    private NotificationListEncoder.ChannelsEncoder channels;
    private ExclusivePublication answer;
    private long correlationId;
    private long matchPosition;
    private long nowNs;

    ReadServer(
        final Aeron aeron, final String readChannel, final SubscriptionRegistry registry, final IntSupplier nodeId,
        final LongSupplier logPosition, final IntSupplier roleCode, final LongSupplier clusterTimeMs)
    {
        this.roleCode = roleCode;
        this.clusterTimeMs = clusterTimeMs;
        this.aeron = aeron;
        this.reads = aeron.addSubscription(readChannel, READ_STREAM_ID);
        this.registry = registry;
        this.nodeId = nodeId;
        this.logPosition = logPosition;
    }

    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return retryPending() + releaseHeld() + reads.poll(this, 16);
    }

    /**
     * Reads that asked for a log position this node has not applied yet (read-your-writes: the edge saw a write
     * acknowledged at that position) wait here, in order, until the log catches up; after {@link #PENDING_TIMEOUT_NS}
     * they are dropped and the edge asks another node.
     */
    private int releaseHeld()
    {
        int released = 0;
        while (!held.isEmpty())
        {
            final HeldRead read = held.peek();
            if (read.minLogPosition() <= logPosition.getAsLong())
            {
                held.poll();
                releasing = true;
                onFragment(new UnsafeBuffer(read.bytes()), 0, read.bytes().length, null);
                releasing = false;
                released++;
            }
            else if (nowNs > read.deadlineNs())
            {
                held.poll();
                heldDropped++;
            }
            else
            {
                break;
            }
        }
        return released;
    }

    /**
     * @return true when the read must wait for the log (it was copied to the held queue).
     */
    private boolean holdUntilApplied(
        final long minLogPosition, final DirectBuffer message, final int offset, final int length)
    {
        if (releasing || minLogPosition <= logPosition.getAsLong())
        {
            return false;
        }
        final byte[] copy = new byte[length];
        message.getBytes(offset, copy);
        held.add(new HeldRead(minLogPosition, copy, nowNs + PENDING_TIMEOUT_NS));
        return true;
    }

    /**
     * @return reads dropped because this node's log did not reach their position in time.
     */
    long heldDropped()
    {
        return heldDropped;
    }

    public void onFragment(final DirectBuffer message, final int offset, final int length, final Header fragmentHeader)
    {
        header.wrap(message, offset);
        switch (header.templateId())
        {
            case PublishRequestDecoder.TEMPLATE_ID:
                publish.wrapAndApplyHeader(message, offset, header);
                if (!holdUntilApplied(publish.minLogPosition(), message, offset, length))
                {
                    onPublish();
                }
                break;
            case CountRequestDecoder.TEMPLATE_ID:
                count.wrapAndApplyHeader(message, offset, header);
                if (!holdUntilApplied(count.minLogPosition(), message, offset, length))
                {
                    onCount();
                }
                break;
            case StatusRequestDecoder.TEMPLATE_ID:
                statusRequest.wrapAndApplyHeader(message, offset, header);
                statusResponse.wrapAndApplyHeader(buffer, 0, headerEncoder)
                    .nodeId(nodeId.getAsInt())
                    .role(roleCode.getAsInt())
                    .logPosition(logPosition.getAsLong())
                    .pid(pid)
                    .rooms(registry.roomCount())
                    .clusterTimeMs(clusterTimeMs.getAsLong());
                send(statusRequest.responseChannel(), MessageHeaderEncoder.ENCODED_LENGTH + statusResponse.encodedLength());
                break;
            case ListRequestDecoder.TEMPLATE_ID:
                listRequest.wrapAndApplyHeader(message, offset, header);
                if (!holdUntilApplied(listRequest.minLogPosition(), message, offset, length))
                {
                    onList();
                }
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
        final ExclusivePublication publication = publication(responseChannel);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + listResponse.encodedLength();
        if (length > publication.maxMessageLength())
        {
            error.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId)
                .status(KuzzleError.SERVICE_UNAVAILABLE.status()).errorId(KuzzleError.SERVICE_UNAVAILABLE.id())
                .message(KuzzleError.SERVICE_UNAVAILABLE.message("the list of rooms (" + length +
                " bytes) is larger than a node's answer may be (" + publication.maxMessageLength() +
                " bytes, aeron.term.length / 8)"));
            send(publication, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength());
            return;
        }
        send(publication, length);
    }

    private void onPublish()
    {
        correlationId = publish.correlationId();
        final String index = publish.index();
        final String collection = publish.collection();
        final String document = publish.document();
        answer = publication(publish.responseChannel());
        matchPosition = logPosition.getAsLong();
        chunker.begin(Math.min(answer.maxMessageLength(), MAX_CHUNK_BYTES));
        try
        {
            final JsonNode parsed = JSON.readTree(document);
            registry.match(index, collection, parsed, toChunks);
        }
        catch (final JsonProcessingException ex)
        {
            // the edge sends documents it parsed itself: an unreadable one matches nothing
        }
        chunker.finish();
    }

    /**
     * Notification lists, in chunks that fit the answer publication.
     */
    private final class NotificationChunk implements ChannelChunker.Chunk
    {
        public void begin()
        {
            channels = list.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .correlationId(correlationId).nodeId(nodeId.getAsInt()).logPosition(matchPosition)
                .last(BooleanType.FALSE)
                .channelsCount(NotificationListEncoder.ChannelsEncoder.countMaxValue());
        }

        public int length()
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength();
        }

        public void entry(final String channel, final long[] connections, final int from, final int count)
        {
            final NotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
                .connectionsCount(count);
            for (int i = from, end = from + count; i < end; i++)
            {
                group.next().connection(connections[i]);
            }
            channels.channel(channel);
        }

        public void end(final boolean last)
        {
            channels.resetCountToIndex();
            list.last(last ? BooleanType.TRUE : BooleanType.FALSE);
            send(answer, length());
        }
    }

    private ExclusivePublication publication(final String responseChannel)
    {
        return answers.computeIfAbsent(responseChannel,
            (channel) -> aeron.addExclusivePublication(channel, ANSWER_STREAM_ID));
    }

    private void send(final String responseChannel, final int length)
    {
        send(publication(responseChannel), length);
    }

    private void send(final ExclusivePublication publication, final int length)
    {
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
