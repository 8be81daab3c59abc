package io.herald.transport.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
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
import io.herald.codecs.RemoteNotificationEncoder;
import io.herald.codecs.StatusRequestDecoder;
import io.herald.codecs.StatusResponseEncoder;
import io.herald.engine.protocol.KuzzleError;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.NotificationSink;
import io.herald.engine.registry.SubscriptionRegistry;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static io.herald.transport.node.ChannelChunker.utf8Length;

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
    private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
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
    /** Edge id → the channel it reads answers on (from its requests). */
    private final Int2ObjectHashMap<String> edges = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<RemoteBatch> remote = new Int2ObjectHashMap<>();
    private final IntArrayList remoteEdges = new IntArrayList();
    private final RemoteNotificationEncoder remoteEncoder = new RemoteNotificationEncoder();
    /** Remote notifications are encoded while the asking edge's last chunk is still being built in {@code buffer}. */
    private final ExpandableArrayBuffer remoteBuffer = new ExpandableArrayBuffer(64 * 1024);
    private final ChannelChunker remoteChunker = new ChannelChunker(new RemoteChunk());
    private RemoteNotificationEncoder.ChannelsEncoder remoteChannels;
    private ExclusivePublication remoteTarget;
    private String remoteIndex;
    private String remoteCollection;
    private String remoteKuzzleId;
    private String remoteRequestId;
    private String remoteVolatile;
    private String remoteProtocol;
    private int remoteOrigin;
    private int askingEdge;
    private long publishId;
    private long createdAt;
    private long unknownEdges;
    private long tooLargeForRemote;
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
    private int documentLength;

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

    public void close()
    {
        CloseHelper.closeAll(answers.values());
        answers.clear();
        CloseHelper.close(reads);
    }

    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return retryPending() + releaseHeld() + reads.poll(assembler, 16);
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
                onMessage(new UnsafeBuffer(read.bytes()), 0, read.bytes().length, null);
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
            return;
        }
        header.wrap(message, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            malformed++;
            return;
        }
        try
        {
            dispatch(message, offset, length);
        }
        catch (final RuntimeException ex)
        {
            malformed++;
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
                    requireWhole(publish.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
                        publish.responseChannelLength(), length);
                    responseChannel = publish.responseChannel();
                    break;
                case CountRequestDecoder.TEMPLATE_ID:
                    count.wrapAndApplyHeader(message, offset, header);
                    correlationId = count.correlationId();
                    count.skipRoomId();
                    requireWhole(count.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
                        count.responseChannelLength(), length);
                    responseChannel = count.responseChannel();
                    break;
                case ListRequestDecoder.TEMPLATE_ID:
                    listRequest.wrapAndApplyHeader(message, offset, header);
                    correlationId = listRequest.correlationId();
                    requireWhole(listRequest.limit() - offset - MessageHeaderDecoder.ENCODED_LENGTH + 4 +
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
     * A message's variable-length fields must end within it: checked (by skipping them, which reads lengths only)
     * before anything is decoded, so that a length that lies never sizes an allocation.
     */
    private static void requireWhole(final int decodedLength, final int length)
    {
        if (decodedLength < 0 || decodedLength + MessageHeaderDecoder.ENCODED_LENGTH > length)
        {
            throw new IllegalArgumentException("a message of " + length + " bytes whose fields say " +
                ((long)decodedLength + MessageHeaderDecoder.ENCODED_LENGTH));
        }
    }

    private void dispatch(final DirectBuffer message, final int offset, final int length)
    {
        switch (header.templateId())
        {
            case PublishRequestDecoder.TEMPLATE_ID:
                publish.wrapAndApplyHeader(message, offset, header);
                requireWhole(publish.sbeDecodedLength(), length);
                if (!holdUntilApplied(publish.minLogPosition(), message, offset, length))
                {
                    onPublish();
                }
                break;
            case CountRequestDecoder.TEMPLATE_ID:
                count.wrapAndApplyHeader(message, offset, header);
                requireWhole(count.sbeDecodedLength(), length);
                if (!holdUntilApplied(count.minLogPosition(), message, offset, length))
                {
                    onCount();
                }
                break;
            case StatusRequestDecoder.TEMPLATE_ID:
                statusRequest.wrapAndApplyHeader(message, offset, header);
                requireWhole(statusRequest.sbeDecodedLength(), length);
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
                    edges.put(statusEdge, statusChannel);
                }
                send(statusChannel, MessageHeaderEncoder.ENCODED_LENGTH + statusResponse.encodedLength());
                break;
            case ListRequestDecoder.TEMPLATE_ID:
                listRequest.wrapAndApplyHeader(message, offset, header);
                requireWhole(listRequest.sbeDecodedLength(), length);
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
        askingEdge = publish.edgeId();
        publishId = publish.publishId();
        createdAt = publish.createdAt();
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
        final String kuzzleId = publish.kuzzleId();
        final String requestId = publish.requestId();
        final String volatileJson = publish.volatileJson();
        publish.wrapProtocol(field);
        final String protocol = names.decode(field);
        edges.put(askingEdge, responseChannel);
        answer = publication(responseChannel);
        matchPosition = logPosition.getAsLong();
        chunker.begin(Math.min(answer.maxMessageLength(), MAX_CHUNK_BYTES));
        remoteEdges.clear();
        try
        {
            final JsonNode parsed = JSON.readTree(document, 0, documentLength);
            if (!kuzzleId.isEmpty() && parsed instanceof ObjectNode)
            {
                ((ObjectNode)parsed).put("_id", kuzzleId);
            }
            registry.match(index, collection, parsed, toChunksAndRemotes);
        }
        catch (final IOException ex)
        {
            // the edge sends documents it parsed itself: an unreadable one matches nothing
        }
        // other edges first: the asking edge acknowledges the publish on the last chunk of its answer, so everything
        // this node sends for the publish is on its way before that
        for (int i = 0, n = remoteEdges.size(); i < n; i++)
        {
            sendRemote(remoteEdges.getInt(i), index, collection, kuzzleId, requestId, volatileJson, protocol);
        }
        chunker.finish();
    }

    /**
     * Every matched channel goes to the asking edge's list (it keeps its own connections); connections of other edges
     * are also gathered per edge, to be sent to them with the document ({@link #sendRemote}).
     */
    private void onMatchedChannel(final String channel, final long[] connections, final int count)
    {
        chunker.add(channel, connections, count);
        for (int i = 0; i < count; i++)
        {
            final int edge = Connections.edgeId(connections[i]);
            if (edge != askingEdge)
            {
                RemoteBatch batch = remote.get(edge);
                if (null == batch)
                {
                    batch = new RemoteBatch();
                    remote.put(edge, batch);
                }
                if (batch.isEmpty())
                {
                    remoteEdges.addInt(edge);
                }
                batch.add(channel, connections[i]);
            }
        }
    }

    /**
     * The document and the connections of one other edge, in self-contained chunks on that edge's answer channel
     * (learned from its status requests). An edge never heard from is counted and skipped.
     */
    private void sendRemote(
        final int edge, final String index, final String collection, final String kuzzleId, final String requestId,
        final String volatileJson, final String protocol)
    {
        final RemoteBatch batch = remote.get(edge);
        final String channel = edges.get(edge);
        if (null == channel)
        {
            unknownEdges++;
            batch.clear();
            return;
        }
        remoteTarget = publication(channel);
        remoteIndex = index;
        remoteCollection = collection;
        remoteKuzzleId = kuzzleId;
        remoteRequestId = requestId;
        remoteVolatile = volatileJson;
        remoteProtocol = protocol;
        remoteOrigin = askingEdge;
        final int trailing = 7 * 4 + utf8Length(index) + utf8Length(collection) + documentLength +
            utf8Length(kuzzleId) + utf8Length(requestId) + utf8Length(volatileJson) + utf8Length(protocol);
        // the document repeats in every chunk: chunks are the usual size plus it, as far as the publication takes
        final int limit = (int)Math.min(remoteTarget.maxMessageLength(), (long)MAX_CHUNK_BYTES + trailing) - trailing;
        if (limit < 256)
        {
            tooLargeForRemote++;
            batch.clear();
            return;
        }
        remoteChunker.begin(limit);
        for (int c = 0, n = batch.channels.size(); c < n; c++)
        {
            final LongArrayList connections = batch.connections.get(c);
            remoteChunker.add(batch.channels.get(c), connections.toLongArray(), connections.size());
        }
        remoteChunker.finish();
        batch.clear();
    }

    /**
     * One other edge's share of a publish: channels in match order, each with its connections; reused.
     */
    private static final class RemoteBatch
    {
        private final ArrayList<String> channels = new ArrayList<>();
        private final ArrayList<LongArrayList> connections = new ArrayList<>();

        boolean isEmpty()
        {
            return channels.isEmpty();
        }

        void add(final String channel, final long connection)
        {
            if (channels.isEmpty() || !channels.get(channels.size() - 1).equals(channel))
            {
                channels.add(channel);
                connections.add(new LongArrayList());
            }
            connections.get(connections.size() - 1).addLong(connection);
        }

        void clear()
        {
            channels.clear();
            connections.clear();
        }
    }

    /**
     * Remote notifications in chunks, each carrying the document.
     */
    private final class RemoteChunk implements ChannelChunker.Chunk
    {
        public void begin()
        {
            remoteChannels = remoteEncoder.wrapAndApplyHeader(remoteBuffer, 0, headerEncoder)
                .originEdgeId(remoteOrigin).publishId(publishId).nodeId(nodeId.getAsInt()).createdAt(createdAt)
                .channelsCount(RemoteNotificationEncoder.ChannelsEncoder.countMaxValue());
        }

        public int length()
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + remoteEncoder.encodedLength();
        }

        public void entry(final byte[] channel, final long[] connections, final int from, final int count)
        {
            final RemoteNotificationEncoder.ChannelsEncoder.ConnectionsEncoder group = remoteChannels.next()
                .connectionsCount(count);
            for (int i = from, end = from + count; i < end; i++)
            {
                group.next().connection(connections[i]);
            }
            remoteChannels.putChannel(channel, 0, channel.length);
        }

        public void end(final boolean last)
        {
            remoteChannels.resetCountToIndex();
            remoteEncoder.index(remoteIndex).collection(remoteCollection)
                .putDocument(document, 0, documentLength)
                .kuzzleId(remoteKuzzleId).requestId(remoteRequestId).volatileJson(remoteVolatile)
                .protocol(remoteProtocol);
            send(remoteTarget, remoteBuffer, length());
        }
    }

    /**
     * @return remote deliveries skipped because the edge never told this node where it reads.
     */
    long unknownEdges()
    {
        return unknownEdges;
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
        send(publication, buffer, length);
    }

    private void send(final ExclusivePublication publication, final MutableDirectBuffer from, final int length)
    {
        if (!pending.isEmpty() || publication.offer(from, 0, length) < 0)
        {
            final byte[] copy = new byte[length];
            from.getBytes(0, copy);
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
