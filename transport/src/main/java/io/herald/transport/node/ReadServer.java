package io.herald.transport.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
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
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.filter.Document;
import io.herald.engine.filter.DocumentException;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.registry.NotificationSink;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.transport.Counters;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The node's read side: publishes, counts and lists arrive on a plain Aeron subscription (not the cluster log), are
 * matched against the registry on the service thread (from {@code doBackgroundWork}, which may read state but never
 * writes it), and the connections to notify go back, per channel, to the edge that asked, on the channel it named.
 * <p>
 * An answer publication is created the first time an edge asks; until it connects, answers wait (bounded) instead of
 * being lost.
 * <p>
 * Requests longer than a UDP datagram arrive in fragments and are reassembled before they are decoded. A message
 * this node cannot read (another schema, a truncated or corrupt one, or one whose handling throws) is dropped and
 * counted ({@link #malformed()}); when its correlation id and answer channel can be read, the edge gets a 400 for it
 * instead of waiting for its timeout.
 */
final class ReadServer implements FragmentHandler, AutoCloseable
{
    /** Chunks stay well below a term so that one slow edge cannot hold a whole term of answers. */
    static final int MAX_CHUNK_BYTES = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Subscription reads;
    private Counters counters = Counters.inMemory();
    private final Aeron aeron;
    private final SubscriptionRegistry registry;
    private long readKey;
    /** The service learns its member id after onStart: read it when answering. */
    private final IntSupplier nodeId;
    private final LongSupplier logPosition;
    private final IntSupplier roleCode;
    private final LongSupplier clusterTimeMs;
    private final StatusRequestDecoder statusRequest = new StatusRequestDecoder();
    private final StatusResponseEncoder statusResponse = new StatusResponseEncoder();
    private final long pid = ProcessHandle.current().pid();
    private final AnswerPublications publications;
    private final RemoteFanOut fanOut;
    private final HeldReads held;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
    private final HeldReads.Handler release = (message, offset, length) -> onMessage(message, offset, length, null);
    /** Written by the service thread only; volatile so that a status reader sees it. */
    private volatile long malformed;
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
    private final NotificationSink toChunksAndRemotes = this::onMatchedChannel;
    private NotificationListEncoder.ChannelsEncoder channels;
    private ExclusivePublication answer;
    private long correlationId;
    private long matchPosition;
    private long nowNs;
    /** A publish's index, collection and answer channel: they repeat, so they are decoded once. */
    private final RepeatedText names = new RepeatedText();
    private final UnsafeBuffer field = new UnsafeBuffer(0, 0);
    /** The document being published, as its UTF-8 bytes (parsed from here, copied as is to other edges). */
    private byte[] document = new byte[4096];
    private final Document parsed = new Document();
    private final FieldBytes kuzzleId = new FieldBytes();
    private final FieldBytes requestId = new FieldBytes();
    private final FieldBytes volatileJson = new FieldBytes();
    private int documentLength;

    ReadServer(
        final Aeron aeron, final String readChannel, final SubscriptionRegistry registry, final IntSupplier nodeId,
        final LongSupplier logPosition, final IntSupplier roleCode, final LongSupplier clusterTimeMs)
    {
        this.roleCode = roleCode;
        this.clusterTimeMs = clusterTimeMs;
        this.aeron = aeron;
        this.reads = aeron.addSubscription(readChannel, LinkStreams.READ);
        this.publications = new AnswerPublications(aeron);
        this.held = new HeldReads(logPosition, counters);
        this.fanOut = new RemoteFanOut(publications, nodeId, counters);
        this.registry = registry;
        this.nodeId = nodeId;
        this.logPosition = logPosition;
    }

    /**
     * @param counters where this read side counts what it drops (the node's counters file).
     */
    void counters(final Counters counters)
    {
        this.counters = counters;
        fanOut.counters(counters);
        held.counters(counters);
    }

    public void close()
    {
        CloseHelper.closeAll(publications, reads);
    }

    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return publications.retry(nowNs) + held.release(nowNs, release) + reads.poll(assembler, 16);
    }

    /**
     * @return reads dropped because this node's log did not reach their position in time.
     */
    long heldDropped()
    {
        return held.dropped();
    }

    /**
     * @return messages dropped because they could not be read or handled.
     */
    long malformed()
    {
        return malformed;
    }

    /**
     * Unassembled fragments: the subscription is polled through {@link #assembler}, so this is only for callers that
     * hand whole messages.
     */
    public void onFragment(final DirectBuffer message, final int offset, final int length, final Header fragmentHeader)
    {
        onMessage(message, offset, length, fragmentHeader);
    }

    /**
     * One whole request: a message that cannot be read or handled is dropped and counted, never retried.
     */
    private void onMessage(final DirectBuffer message, final int offset, final int length, final Header messageHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            malformed++;
            counters.get(HeraldCounter.MALFORMED_READS).increment();
            return;
        }
        header.wrap(message, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            malformed++;
            counters.get(HeraldCounter.MALFORMED_READS).increment();
            return;
        }
        if (0 != readKey && readKeyOf(message, offset, length) != readKey)
        {
            // not from a holder of cluster.secret: dropped before anything is decoded or answered
            counters.get(HeraldCounter.READS_REFUSED).increment();
            return;
        }
        try
        {
            dispatch(message, offset, length);
        }
        catch (final RuntimeException ex)
        {
            malformed++;
            counters.get(HeraldCounter.MALFORMED_READS).increment();
            refuse(message, offset, length, ex);
        }
    }

    /**
     * Answers a request that could not be handled with a 400, when its correlation id and answer channel can be read.
     */
    private void refuse(
        final DirectBuffer message, final int offset, final int length, final RuntimeException cause)
    {
        try
        {
            header.wrap(message, offset);
            final long correlationId;
            final String responseChannel;
            switch (header.templateId())
            {
                case PublishRequestDecoder.TEMPLATE_ID:
                    publish.wrapAndApplyHeader(message, offset, header);
                    correlationId = publish.correlationId();
                    publish.skipIndex();
                    publish.skipCollection();
                    publish.skipDocument();
                    LinkStreams.requireWhole(publish.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
                        publish.responseChannelLength(), length);
                    responseChannel = publish.responseChannel();
                    break;
                case CountRequestDecoder.TEMPLATE_ID:
                    count.wrapAndApplyHeader(message, offset, header);
                    correlationId = count.correlationId();
                    count.skipRoomId();
                    LinkStreams.requireWhole(count.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
                        count.responseChannelLength(), length);
                    responseChannel = count.responseChannel();
                    break;
                case ListRequestDecoder.TEMPLATE_ID:
                    listRequest.wrapAndApplyHeader(message, offset, header);
                    correlationId = listRequest.correlationId();
                    LinkStreams.requireWhole(listRequest.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
                        listRequest.responseChannelLength(), length);
                    responseChannel = listRequest.responseChannel();
                    break;
                default:
                    return;
            }
            error.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId)
                .status(KuzzleError.INVALID_REQUEST.status()).errorId(KuzzleError.INVALID_REQUEST.id())
                .message(KuzzleError.INVALID_REQUEST.message("the node could not handle it (" +
                cause.getClass().getSimpleName() + ")"));
            send(responseChannel, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength());
        }
        catch (final RuntimeException unreadable)
        {
            // not even its answer channel can be read: the edge's timeout answers the client
        }
    }

    /**
     * @return the read key a request carries, or 0 when it is not a request or too short to hold one.
     */
    private long readKeyOf(final DirectBuffer message, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength())
        {
            return 0;
        }
        return switch (header.templateId())
        {
            case PublishRequestDecoder.TEMPLATE_ID -> publish.wrapAndApplyHeader(message, offset, header).readKey();
            case CountRequestDecoder.TEMPLATE_ID -> count.wrapAndApplyHeader(message, offset, header).readKey();
            case ListRequestDecoder.TEMPLATE_ID -> listRequest.wrapAndApplyHeader(message, offset, header).readKey();
            case StatusRequestDecoder.TEMPLATE_ID ->
                statusRequest.wrapAndApplyHeader(message, offset, header).readKey();
            default -> 0;
        };
    }

    /**
     * @param key the key of {@code cluster.secret} ({@link LinkStreams#readKey}): requests
     *            without it are dropped and counted; 0 serves every request (no secret).
     */
    void readKey(final long key)
    {
        this.readKey = key;
    }

    private void dispatch(final DirectBuffer message, final int offset, final int length)
    {
        switch (header.templateId())
        {
            case PublishRequestDecoder.TEMPLATE_ID:
                publish.wrapAndApplyHeader(message, offset, header);
                LinkStreams.requireWhole(publish.sbeDecodedLength(), length);
                if (!held.holdUntilApplied(publish.minLogPosition(), message, offset, length, nowNs))
                {
                    onPublish();
                }
                break;
            case CountRequestDecoder.TEMPLATE_ID:
                count.wrapAndApplyHeader(message, offset, header);
                LinkStreams.requireWhole(count.sbeDecodedLength(), length);
                if (!held.holdUntilApplied(count.minLogPosition(), message, offset, length, nowNs))
                {
                    onCount();
                }
                break;
            case StatusRequestDecoder.TEMPLATE_ID:
                statusRequest.wrapAndApplyHeader(message, offset, header);
                LinkStreams.requireWhole(statusRequest.sbeDecodedLength(), length);
                final int statusEdge = statusRequest.edgeId();
                statusResponse.wrapAndApplyHeader(buffer, 0, headerEncoder)
                    .nodeId(nodeId.getAsInt())
                    .role(roleCode.getAsInt())
                    .logPosition(logPosition.getAsLong())
                    .pid(pid)
                    .rooms(registry.roomCount())
                    .clusterTimeMs(clusterTimeMs.getAsLong());
                final String statusChannel = statusRequest.responseChannel();
                if (statusEdge != PeerPositions.NODE_ASKING)
                {
                    fanOut.learn(statusEdge, statusChannel);
                }
                send(statusChannel, MessageHeaderEncoder.ENCODED_LENGTH + statusResponse.encodedLength());
                break;
            case ListRequestDecoder.TEMPLATE_ID:
                listRequest.wrapAndApplyHeader(message, offset, header);
                LinkStreams.requireWhole(listRequest.sbeDecodedLength(), length);
                if (!held.holdUntilApplied(listRequest.minLogPosition(), message, offset, length, nowNs))
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
        final ExclusivePublication publication = publications.publication(responseChannel);
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
        final int askingEdge = publish.edgeId();
        final long publishId = publish.publishId();
        final long createdAt = publish.createdAt();
        publish.wrapIndex(field);
        final String index = names.decode(field);
        publish.wrapCollection(field);
        final String collection = names.decode(field);
        documentLength = publish.documentLength();
        if (documentLength > document.length)
        {
            document = new byte[Math.max(documentLength, document.length * 2)];
        }
        publish.getDocument(document, 0, documentLength);
        publish.wrapResponseChannel(field);
        final String responseChannel = names.decode(field);
        publish.wrapKuzzleId(field);
        kuzzleId.copy(field);
        publish.wrapRequestId(field);
        requestId.copy(field);
        publish.wrapVolatileJson(field);
        volatileJson.copy(field);
        publish.wrapProtocol(field);
        final String protocol = names.decode(field);
        fanOut.learn(askingEdge, responseChannel);
        answer = publications.publication(responseChannel);
        matchPosition = logPosition.getAsLong();
        chunker.begin(Math.min(answer.maxMessageLength(), MAX_CHUNK_BYTES));
        fanOut.begin(askingEdge, publishId, createdAt);
        try
        {
            parsed.parse(document, 0, documentLength, kuzzleId.bytes(), kuzzleId.length());
            registry.match(index, collection, parsed, toChunksAndRemotes);
        }
        catch (final DocumentException ex)
        {
            // the edge sends documents it parsed itself: an unreadable one matches nothing
        }
        // other edges first: the asking edge acknowledges the publish on the last chunk of its answer, so everything
        // this node sends for the publish is on its way before that
        fanOut.send(index, collection, document, documentLength, kuzzleId, requestId, volatileJson, protocol);
        chunker.finish();
    }

    /**
     * Every matched channel goes to the asking edge's list (it keeps its own connections); connections of other edges
     * are also gathered per edge, to be sent to them with the document ({@link RemoteFanOut}).
     */
    private void onMatchedChannel(final String channel, final long[] connections, final int count)
    {
        chunker.add(channel, connections, count);
        fanOut.add(channel, connections, count);
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

        public void entry(final byte[] channel, final long[] connections, final int from, final int count)
        {
            final NotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
                .connectionsCount(count);
            for (int i = from, end = from + count; i < end; i++)
            {
                group.next().connection(connections[i]);
            }
            channels.putChannel(channel, 0, channel.length);
        }

        public void end(final boolean last)
        {
            channels.resetCountToIndex();
            list.last(last ? BooleanType.TRUE : BooleanType.FALSE);
            send(answer, length());
        }
    }

    private void send(final String responseChannel, final int length)
    {
        send(publications.publication(responseChannel), length);
    }

    private void send(final ExclusivePublication publication, final int length)
    {
        publications.send(publication, buffer, length);
    }

    /**
     * @return remote deliveries skipped because the edge never told this node where it reads.
     */
    /**
     * Where an edge reads, as the replicated state says (its reset or resume): its connections get other edges'
     * publishes from the start.
     */
    void learnEdge(final int edgeId, final String channel)
    {
        fanOut.learn(edgeId, channel);
    }

    long unknownEdges()
    {
        return fanOut.unknownEdges();
    }
}
