package io.herald.transport.node;

import io.aeron.ExclusivePublication;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.RemoteNotificationEncoder;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.registry.Connections;
import io.herald.transport.Counters;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.function.IntSupplier;

import static io.herald.transport.node.ChannelChunker.utf8Length;

/**
 * A publish's notifications for the connections of edges other than the one that asked: gathered per edge while the
 * document is matched, then sent to each edge on its answer channel (learned from its requests) as self-contained
 * chunks carrying the document. An edge never heard from, or a document too large to repeat, is counted and skipped.
 * Used on the service thread only.
 */
final class RemoteFanOut
{
    private final AnswerPublications publications;
    private final IntSupplier nodeId;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    /** Edge id → the channel it reads answers on (from its requests). */
    private final Int2ObjectHashMap<String> edges = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<RemoteBatch> remote = new Int2ObjectHashMap<>();
    private final IntArrayList remoteEdges = new IntArrayList();
    private final RemoteNotificationEncoder encoder = new RemoteNotificationEncoder();
    /** Encoded while the asking edge's last chunk is still being built in the read side's own buffer. */
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private final ChannelChunker chunker = new ChannelChunker(new RemoteChunk());
    private RemoteNotificationEncoder.ChannelsEncoder channels;
    private Counters counters;
    private ExclusivePublication target;
    private int askingEdge;
    private long publishId;
    private long createdAt;
    private String index;
    private String collection;
    private byte[] document;
    private int documentLength;
    private FieldBytes kuzzleId;
    private FieldBytes requestId;
    private FieldBytes volatileJson;
    private String protocol;
    private long unknownEdges;

    RemoteFanOut(final AnswerPublications publications, final IntSupplier nodeId, final Counters counters)
    {
        this.publications = publications;
        this.nodeId = nodeId;
        this.counters = counters;
    }

    void counters(final Counters counters)
    {
        this.counters = counters;
    }

    /**
     * An edge said where it reads answers.
     */
    void learn(final int edgeId, final String channel)
    {
        edges.put(edgeId, channel);
    }

    /**
     * A publish begins: the connections of other edges than this one are gathered.
     */
    void begin(final int askingEdge, final long publishId, final long createdAt)
    {
        this.askingEdge = askingEdge;
        this.publishId = publishId;
        this.createdAt = createdAt;
        remoteEdges.clear();
    }

    /**
     * A matched channel: its connections on other edges are kept for them.
     */
    void add(final String channel, final long[] connections, final int count)
    {
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
     * Sends every other edge its share, with the document.
     */
    void send(
        final String index, final String collection, final byte[] document, final int documentLength,
        final FieldBytes kuzzleId, final FieldBytes requestId, final FieldBytes volatileJson, final String protocol)
    {
        this.index = index;
        this.collection = collection;
        this.document = document;
        this.documentLength = documentLength;
        this.kuzzleId = kuzzleId;
        this.requestId = requestId;
        this.volatileJson = volatileJson;
        this.protocol = protocol;
        for (int i = 0, n = remoteEdges.size(); i < n; i++)
        {
            sendTo(remoteEdges.getInt(i));
        }
    }

    private void sendTo(final int edge)
    {
        final RemoteBatch batch = remote.get(edge);
        final String channel = edges.get(edge);
        if (null == channel)
        {
            unknownEdges++;
            counters.get(HeraldCounter.REMOTE_UNKNOWN_EDGE).increment();
            batch.clear();
            return;
        }
        target = publications.publication(channel);
        final int trailing = 7 * 4 + utf8Length(index) + utf8Length(collection) + documentLength +
            kuzzleId.length() + requestId.length() + volatileJson.length() + utf8Length(protocol);
        // the document repeats in every chunk: chunks are the usual size plus it, as far as the publication takes
        final int limit = (int)Math.min(target.maxMessageLength(), (long)ReadServer.MAX_CHUNK_BYTES + trailing) -
            trailing;
        if (limit < 256)
        {
            counters.get(HeraldCounter.REMOTE_TOO_LARGE).increment();
            batch.clear();
            return;
        }
        chunker.begin(limit);
        for (int c = 0, n = batch.channels.size(); c < n; c++)
        {
            final LongArrayList connections = batch.connections.get(c);
            chunker.add(batch.channels.get(c), connections.toLongArray(), connections.size());
        }
        chunker.finish();
        batch.clear();
    }

    /**
     * @return remote deliveries skipped because the edge never told this node where it reads.
     */
    long unknownEdges()
    {
        return unknownEdges;
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
            channels = encoder.wrapAndApplyHeader(buffer, 0, header)
                .originEdgeId(askingEdge).publishId(publishId).nodeId(nodeId.getAsInt()).createdAt(createdAt)
                .channelsCount(RemoteNotificationEncoder.ChannelsEncoder.countMaxValue());
        }

        public int length()
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }

        public void entry(final byte[] channel, final long[] connections, final int from, final int count)
        {
            final RemoteNotificationEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
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
            encoder.index(index).collection(collection).putDocument(document, 0, documentLength)
                .putKuzzleId(kuzzleId.bytes(), 0, kuzzleId.length())
                .putRequestId(requestId.bytes(), 0, requestId.length())
                .putVolatileJson(volatileJson.bytes(), 0, volatileJson.length())
                .protocol(protocol);
            publications.send(target, buffer, length());
        }
    }
}
