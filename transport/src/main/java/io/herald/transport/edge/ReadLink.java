package io.herald.transport.edge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.herald.codecs.CountRequestEncoder;
import io.herald.codecs.CountResponseDecoder;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.ListRequestEncoder;
import io.herald.codecs.ListResponseDecoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.PublishRequestEncoder;
import io.herald.codecs.RemoteNotificationDecoder;
import io.herald.codecs.StatusRequestEncoder;
import io.herald.codecs.StatusResponseDecoder;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.transport.link.LinkStreams;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The edge's link to the nodes for reads: publishes, counts and lists go out on plain Aeron publications (not the
 * cluster log), one per node, round robin over the healthy ones, and every node answers on this edge's answer
 * channel. Not thread-safe: it belongs to the router.
 */
public final class ReadLink implements AutoCloseable
{
    /**
     * Receives a node's answer to one publish.
     */
    public interface Lists
    {
        void onNotificationList(long correlationId, NotificationListDecoder list);

        void onCount(long correlationId, int count);

        void onList(long correlationId, String json);

        void onError(long correlationId, int status, String errorId, String message);

        /**
         * A node's answer to {@link #requestStatus}.
         */
        default void onStatus(int nodeId, int role, long logPosition, long pid, int rooms, long clusterTimeMs)
        {
        }

        /**
         * A publish made on another edge matched connections of this one.
         */
        default void onRemoteNotification(RemoteNotificationDecoder notification)
        {
        }

        /**
         * Handling an answer threw: it was dropped.
         */
        default void onFailure(Throwable error)
        {
        }
    }

    private final ExclusivePublication[] requests;
    private final String[] hosts;
    private final StatusRequestEncoder statusRequest = new StatusRequestEncoder();
    private final StatusResponseDecoder statusResponse = new StatusResponseDecoder();
    private final RemoteNotificationDecoder remoteNotification = new RemoteNotificationDecoder();
    private final long[] suspectUntilNs;
    private int next;
    private int lastNode = -1;
    private final Subscription answers;
    private final String answerChannel;
    private long offers;
    private final byte[] answerChannelBytes;
    /** Texts of a publish encoded to UTF-8 here, then copied into the message: no array per field per publish. */
    private final ByteBuf utf8 = Unpooled.buffer(4096);
    private final int edgeId;
    /** Holds the largest message the read publications take. */
    private final UnsafeBuffer buffer;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishRequestEncoder publish = new PublishRequestEncoder();
    private final MessageHeaderDecoder answerHeader = new MessageHeaderDecoder();
    private final NotificationListDecoder list = new NotificationListDecoder();
    private final CountRequestEncoder count = new CountRequestEncoder();
    private final ListRequestEncoder listRequest = new ListRequestEncoder();
    private final CountResponseDecoder countResponse = new CountResponseDecoder();
    private final ListResponseDecoder listResponse = new ListResponseDecoder();
    private final ErrorResponseDecoder error = new ErrorResponseDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onAnswer);
    private Lists handler;
    private long readKey;

    /**
     * @param nodeReadChannels every node's read channel, by node id.
     * @param answerChannel    the channel this edge reads answers on (its endpoint must be this edge's).
     */
    public ReadLink(
        final Aeron aeron, final List<String> nodeReadChannels, final String answerChannel, final int edgeId)
    {
        this.requests = new ExclusivePublication[nodeReadChannels.size()];
        this.hosts = new String[requests.length];
        for (int node = 0; node < requests.length; node++)
        {
            requests[node] = aeron.addExclusivePublication(nodeReadChannels.get(node), LinkStreams.READ);
            final String channel = nodeReadChannels.get(node);
            final int at = channel.indexOf("endpoint=");
            final String endpoint = at < 0 ? channel : channel.substring(at + "endpoint=".length()).split("\\|")[0];
            hosts[node] = endpoint.substring(0, Math.max(0, endpoint.lastIndexOf(':')));
        }
        this.suspectUntilNs = new long[requests.length];
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(requests[0].maxMessageLength()));
        this.answers = aeron.addSubscription(answerChannel, LinkStreams.ANSWER);
        this.answerChannel = answerChannel;
        this.answerChannelBytes = answerChannel.getBytes(StandardCharsets.UTF_8);
        this.edgeId = edgeId;
    }

    /**
     * One node.
     */
    /**
     * @param key the key of {@code cluster.secret} ({@link io.herald.transport.link.LinkStreams#readKey}), which
     *            every read request carries.
     * @return this.
     */
    public ReadLink readKey(final long key)
    {
        this.readKey = key;
        return this;
    }

    public ReadLink(final Aeron aeron, final String nodeReadChannel, final String answerChannel, final int edgeId)
    {
        this(aeron, List.of(nodeReadChannel), answerChannel, edgeId);
    }

    /**
     * @return the node the last accepted read went to.
     */
    public int lastNode()
    {
        return lastNode;
    }

    /**
     * @return the host a node's read channel points at.
     */
    public String host(final int node)
    {
        return hosts[node];
    }

    /**
     * @return true when the node's read publication is connected (a subscriber on the node side is there).
     */
    public boolean connected(final int node)
    {
        return requests[node].isConnected();
    }

    /**
     * Asks every node for its status (answers come to {@link Lists#onStatus}); nodes that cannot take it now are
     * skipped.
     */
    public void requestStatus(final long correlationId)
    {
        statusRequest.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).edgeId(edgeId)
            .readKey(readKey)
            .responseChannel(answerChannel);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + statusRequest.encodedLength();
        for (final ExclusivePublication publication : requests)
        {
            publication.offer(buffer, 0, length);
        }
    }

    public int nodeCount()
    {
        return requests.length;
    }

    /**
     * Takes a node out of the rotation for a while (it left a read unanswered); it comes back by itself.
     */
    public void suspect(final int node, final long forNs)
    {
        suspectUntilNs[node] = System.nanoTime() + forNs;
    }

    /**
     * @return true when the node is connected and not suspect.
     */
    public boolean healthy(final int node)
    {
        return requests[node].isConnected() && System.nanoTime() - suspectUntilNs[node] >= 0;
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
        final long correlationId, final long minLogPosition, final long publishId, final long createdAt,
        final String index, final String collection, final String source, final String kuzzleId,
        final String requestId, final String volatileJson, final String protocol)
    {
        publish.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).minLogPosition(minLogPosition).readKey(readKey)
            .publishId(publishId).createdAt(createdAt);
        final int indexLength = utf8(index, publish.limit());
        publish.putIndex(utf8.array(), utf8.arrayOffset(), indexLength);
        final int collectionLength = utf8(collection, publish.limit());
        publish.putCollection(utf8.array(), utf8.arrayOffset(), collectionLength);
        final int sourceLength = utf8(source, publish.limit());
        publish.putDocument(utf8.array(), utf8.arrayOffset(), sourceLength);
        checkRoom(publish.limit(), answerChannelBytes.length);
        publish.putResponseChannel(answerChannelBytes, 0, answerChannelBytes.length);
        final int kuzzleIdLength = utf8(kuzzleId, publish.limit());
        publish.putKuzzleId(utf8.array(), utf8.arrayOffset(), kuzzleIdLength);
        final int requestIdLength = utf8(requestId, publish.limit());
        publish.putRequestId(utf8.array(), utf8.arrayOffset(), requestIdLength);
        final int volatileJsonLength = utf8(volatileJson, publish.limit());
        publish.putVolatileJson(utf8.array(), utf8.arrayOffset(), volatileJsonLength);
        final int protocolLength = utf8(protocol, publish.limit());
        publish.putProtocol(utf8.array(), utf8.arrayOffset(), protocolLength);
        return offer(MessageHeaderEncoder.ENCODED_LENGTH + publish.encodedLength());
    }

    /**
     * Encodes a text to UTF-8 at the start of {@link #utf8}'s array (growing it when needed).
     *
     * @param at where the text's length prefix goes in the message.
     * @return its length in bytes; 0 for null.
     * @throws KuzzleException 413 when the message would not fit the read publications.
     */
    private int utf8(final String text, final int at)
    {
        utf8.clear();
        if (null != text)
        {
            ByteBufUtil.writeUtf8(utf8, text);
        }
        checkRoom(at, utf8.writerIndex());
        return utf8.writerIndex();
    }

    /**
     * The edge refuses requests over its limit before they reach a link, and the publications' terms hold that limit
     * with room to spare: this guards the buffer should the two ever disagree.
     */
    private void checkRoom(final int at, final int length)
    {
        final long end = (long)at + 4 + length;
        if (end > buffer.capacity())
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, end, buffer.capacity());
        }
    }

    /**
     * @return false when the node cannot take it now.
     */
    public boolean count(final long correlationId, final long minLogPosition, final String roomId)
    {
        count.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).minLogPosition(minLogPosition).readKey(readKey)
            .roomId(roomId).responseChannel(answerChannel);
        return offer(MessageHeaderEncoder.ENCODED_LENGTH + count.encodedLength());
    }

    /**
     * @return false when the node cannot take it now.
     */
    public boolean list(final long correlationId, final long minLogPosition)
    {
        listRequest.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).edgeId(edgeId).minLogPosition(minLogPosition).readKey(readKey)
            .responseChannel(answerChannel);
        return offer(MessageHeaderEncoder.ENCODED_LENGTH + listRequest.encodedLength());
    }

    /**
     * @throws KuzzleException 413 when the message is longer than the read publication takes (a term length / 8).
     */
    private boolean offer(final int length)
    {
        final int max = requests[0].maxMessageLength();
        if (length > max)
        {
            throw new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, length, max);
        }
        // round robin over healthy nodes; when none is healthy, any connected one rather than none
        for (int pass = 0; pass < 2; pass++)
        {
            for (int tried = 0; tried < requests.length; tried++)
            {
                final int node = next;
                next = next + 1 == requests.length ? 0 : next + 1;
                if ((0 == pass ? healthy(node) : requests[node].isConnected()) &&
                    requests[node].offer(buffer, 0, length) > 0)
                {
                    lastNode = node;
                    offers++;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return requests offered to the nodes so far.
     */
    public long offers()
    {
        return offers;
    }

    public int poll(final Lists lists)
    {
        handler = lists;
        return answers.poll(assembler, 16);
    }

    public void close()
    {
        for (final ExclusivePublication publication : requests)
        {
            publication.close();
        }
        answers.close();
    }

    private void onAnswer(final DirectBuffer message, final int offset, final int length, final Header fragment)
    {
        try
        {
            dispatch(message, offset);
        }
        catch (final RuntimeException ex)
        {
            handler.onFailure(ex);
        }
    }

    private void dispatch(final DirectBuffer message, final int offset)
    {
        answerHeader.wrap(message, offset);
        switch (answerHeader.templateId())
        {
            case NotificationListDecoder.TEMPLATE_ID:
                list.wrapAndApplyHeader(message, offset, answerHeader);
                handler.onNotificationList(list.correlationId(), list);
                break;
            case CountResponseDecoder.TEMPLATE_ID:
                countResponse.wrapAndApplyHeader(message, offset, answerHeader);
                handler.onCount(countResponse.correlationId(), countResponse.count());
                break;
            case ListResponseDecoder.TEMPLATE_ID:
                listResponse.wrapAndApplyHeader(message, offset, answerHeader);
                final long listId = listResponse.correlationId();
                handler.onList(listId, listResponse.list());
                break;
            case RemoteNotificationDecoder.TEMPLATE_ID:
                remoteNotification.wrapAndApplyHeader(message, offset, answerHeader);
                handler.onRemoteNotification(remoteNotification);
                break;
            case StatusResponseDecoder.TEMPLATE_ID:
                statusResponse.wrapAndApplyHeader(message, offset, answerHeader);
                handler.onStatus(statusResponse.nodeId(), statusResponse.role(), statusResponse.logPosition(),
                    statusResponse.pid(), statusResponse.rooms(), statusResponse.clusterTimeMs());
                break;
            case ErrorResponseDecoder.TEMPLATE_ID:
                error.wrapAndApplyHeader(message, offset, answerHeader);
                final long errorId = error.correlationId();
                final int status = error.status();
                handler.onError(errorId, status, error.errorId(), error.message());
                break;
            default:
                break;
        }
    }
}
