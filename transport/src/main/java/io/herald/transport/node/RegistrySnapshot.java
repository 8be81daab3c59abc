package io.herald.transport.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.client.ClusterException;
import io.herald.codecs.BooleanType;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.SnapshotEdgeDecoder;
import io.herald.codecs.SnapshotEdgeEncoder;
import io.herald.codecs.SnapshotEdgeWritesDecoder;
import io.herald.codecs.SnapshotEdgeWritesEncoder;
import io.herald.codecs.SnapshotMarkerDecoder;
import io.herald.codecs.SnapshotMarkerEncoder;
import io.herald.codecs.SnapshotSubscriptionDecoder;
import io.herald.codecs.SnapshotSubscriptionEncoder;
import io.herald.codecs.SnapshotWriteResultDecoder;
import io.herald.codecs.SnapshotWriteResultEncoder;
import io.herald.engine.node.WriteWindow;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.engine.registry.Users;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;

import java.util.HashMap;
import java.util.Map;

/**
 * The node's state in a cluster snapshot: a begin marker, one message per subscription (connection, channel
 * settings, the room's index, collection and filter, the volatile kept for its user-out notification), an end
 * marker with the count. The edges the cluster knows and their sessions ({@link EdgeSessions}) come between the
 * subscriptions and the end marker, then each edge's last applied write and read channel, and the answers of its
 * recent writes ({@link WriteWindow}), in the order they were applied. Loading subscribes everything again; room ids are filter ids, so they come back
 * the same.
 */
final class RegistrySnapshot
{
    /** 3: each edge's write window and read channel follow its session; 2 (edges and sessions) and 1 (no edges)
     * are still read. */
    static final int VERSION = 3;
    private static final int FIRST_READABLE_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotMarkerEncoder markerEncoder = new SnapshotMarkerEncoder();
    private final SnapshotSubscriptionEncoder subscriptionEncoder = new SnapshotSubscriptionEncoder();
    private final SnapshotEdgeEncoder edgeEncoder = new SnapshotEdgeEncoder();
    private final SnapshotEdgeDecoder edgeDecoder = new SnapshotEdgeDecoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SnapshotMarkerDecoder markerDecoder = new SnapshotMarkerDecoder();
    private final SnapshotSubscriptionDecoder subscriptionDecoder = new SnapshotSubscriptionDecoder();
    private final SnapshotEdgeWritesEncoder edgeWritesEncoder = new SnapshotEdgeWritesEncoder();
    private final SnapshotEdgeWritesDecoder edgeWritesDecoder = new SnapshotEdgeWritesDecoder();
    private final SnapshotWriteResultEncoder resultEncoder = new SnapshotWriteResultEncoder();
    private final SnapshotWriteResultDecoder resultDecoder = new SnapshotWriteResultDecoder();

    /**
     * @return subscriptions written.
     */
    long write(
        final ExclusivePublication publication, final SubscriptionRegistry registry,
        final Long2ObjectHashMap<Map<String, String>> volatiles, final WriteWindow writes, final EdgeSessions edges,
        final IdleStrategy idle)
    {
        offer(publication, idle, marker(true, 0));
        final long[] count = new long[1];
        registry.forEachSubscription((room, connection, scope, users) ->
        {
            final Map<String, String> kept = volatiles.get(connection);
            final String volatileJson = null == kept ? null : kept.get(room.id());
            subscriptionEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .connection(connection)
                .scope(io.herald.codecs.Scope.get((short)scope.ordinal()))
                .users(io.herald.codecs.Users.get((short)users.ordinal()))
                .index(room.index())
                .collection(room.collection())
                .filter(room.filterJson())
                .volatileJson(null == volatileJson ? "" : volatileJson);
            offer(publication, idle, MessageHeaderEncoder.ENCODED_LENGTH + subscriptionEncoder.encodedLength());
            count[0]++;
        });
        edges.forEach((edgeId, sessionId) ->
        {
            edgeEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).edgeId((int)edgeId).sessionId(sessionId);
            offer(publication, idle, MessageHeaderEncoder.ENCODED_LENGTH + edgeEncoder.encodedLength());
        });
        final IntHashSet written = new IntHashSet();
        writes.forEach(new WriteWindow.EdgeVisitor()
        {
            public void edge(final int edgeId, final long lastApplied)
            {
                written.add(edgeId);
                edgeWrites(publication, idle, edges, edgeId, lastApplied, edges.channelOf(edgeId));
            }

            public void answer(final int edgeId, final WriteWindow.Answer answer)
            {
                resultEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                    .edgeId(edgeId)
                    .correlationId(answer.correlationId())
                    .kind(answer.kind())
                    .number(answer.number())
                    .roomId(null == answer.first() ? "" : answer.first())
                    .channel(null == answer.second() ? "" : answer.second());
                offer(publication, idle, MessageHeaderEncoder.ENCODED_LENGTH + resultEncoder.encodedLength());
            }
        });
        edges.knownEdges().forEach((edgeId) ->
        {
            if (!written.contains(edgeId))
            {
                edgeWrites(publication, idle, edges, edgeId, 0, edges.channelOf(edgeId));
            }
        });
        offer(publication, idle, marker(false, count[0]));
        return count[0];
    }

    private void edgeWrites(
        final ExclusivePublication publication, final IdleStrategy idle, final EdgeSessions edges, final int edgeId,
        final long lastApplied, final String channel)
    {
        edgeWritesEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .edgeId(edgeId)
            .lastApplied(lastApplied)
            .expiredResume(edges.expiredResume(edgeId))
            .responseChannel(null == channel ? "" : channel);
        offer(publication, idle, MessageHeaderEncoder.ENCODED_LENGTH + edgeWritesEncoder.encodedLength());
    }

    /**
     * Reads a snapshot into an empty registry.
     *
     * @return subscriptions loaded.
     */
    long load(
        final Image image, final SubscriptionRegistry registry,
        final Long2ObjectHashMap<Map<String, String>> volatiles, final WriteWindow writes, final EdgeSessions edges,
        final IdleStrategy idle)
    {
        final long[] state = new long[3]; // loaded, ended, expected
        final FragmentAssembler assembler = new FragmentAssembler((message, offset, length, header) ->
            onFragment(message, offset, registry, volatiles, writes, edges, state));
        while (state[1] == 0)
        {
            final int fragments = image.poll(assembler, 64);
            if (0 == fragments)
            {
                if (image.isClosed() || image.isEndOfStream())
                {
                    throw new ClusterException("node snapshot ended before its end marker (" + state[0] +
                        " subscriptions read)");
                }
                idle.idle();
            }
        }
        if (state[0] != state[2])
        {
            throw new ClusterException("node snapshot holds " + state[0] + " subscriptions, its end marker says " +
                state[2]);
        }
        return state[0];
    }

    private void onFragment(
        final DirectBuffer message, final int offset, final SubscriptionRegistry registry,
        final Long2ObjectHashMap<Map<String, String>> volatiles, final WriteWindow writes, final EdgeSessions edges,
        final long[] state)
    {
        headerDecoder.wrap(message, offset);
        switch (headerDecoder.templateId())
        {
            case SnapshotMarkerDecoder.TEMPLATE_ID:
                markerDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
                if (markerDecoder.version() < FIRST_READABLE_VERSION || markerDecoder.version() > VERSION)
                {
                    throw new ClusterException("node snapshot of layout version " + markerDecoder.version() +
                        ", this Herald reads versions " + FIRST_READABLE_VERSION + " to " + VERSION);
                }
                if (markerDecoder.begin() == BooleanType.FALSE)
                {
                    state[1] = 1;
                    state[2] = markerDecoder.subscriptions();
                }
                break;
            case SnapshotSubscriptionDecoder.TEMPLATE_ID:
                subscriptionDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
                final long connection = subscriptionDecoder.connection();
                final Scope scope = Scope.values()[subscriptionDecoder.scope().value()];
                final Users users = Users.values()[subscriptionDecoder.users().value()];
                final String index = subscriptionDecoder.index();
                final String collection = subscriptionDecoder.collection();
                final String filter = subscriptionDecoder.filter();
                final String volatileJson = subscriptionDecoder.volatileJson();
                try
                {
                    final String roomId = registry.subscribe(connection, index, collection,
                        filter.isEmpty() ? null : JSON.readTree(filter), scope, users).roomId();
                    if (!volatileJson.isEmpty())
                    {
                        volatiles.computeIfAbsent(connection, (k) -> new HashMap<>()).put(roomId, volatileJson);
                    }
                }
                catch (final JsonProcessingException ex)
                {
                    throw new ClusterException("node snapshot holds an unreadable filter: " + ex.getMessage());
                }
                state[0]++;
                break;
            case SnapshotEdgeDecoder.TEMPLATE_ID:
                edgeDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
                edges.restore(edgeDecoder.edgeId(), edgeDecoder.sessionId());
                break;
            case SnapshotEdgeWritesDecoder.TEMPLATE_ID:
                edgeWritesDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
                final int edgeId = edgeWritesDecoder.edgeId();
                final long lastApplied = edgeWritesDecoder.lastApplied();
                final long expiredResume = edgeWritesDecoder.expiredResume();
                final String channel = edgeWritesDecoder.responseChannel();
                if (lastApplied > 0)
                {
                    writes.restoreEdge(edgeId, lastApplied);
                }
                if (!channel.isEmpty())
                {
                    edges.channel(edgeId, channel);
                }
                edges.restoreExpiredResume(edgeId, expiredResume);
                break;
            case SnapshotWriteResultDecoder.TEMPLATE_ID:
                resultDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
                final int writer = resultDecoder.edgeId();
                final long correlationId = resultDecoder.correlationId();
                final byte kind = (byte)resultDecoder.kind();
                final int number = resultDecoder.number();
                final String first = resultDecoder.roomId();
                final String second = resultDecoder.channel();
                writes.restoreAnswer(writer, new WriteWindow.Answer(correlationId, kind, number,
                    first.isEmpty() ? null : first, second.isEmpty() ? null : second));
                break;
            default:
                break;
        }
    }

    private int marker(final boolean begin, final long subscriptions)
    {
        markerEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .begin(begin ? BooleanType.TRUE : BooleanType.FALSE)
            .version(VERSION)
            .subscriptions(subscriptions);
        return MessageHeaderEncoder.ENCODED_LENGTH + markerEncoder.encodedLength();
    }

    private void offer(final ExclusivePublication publication, final IdleStrategy idle, final int length)
    {
        idle.reset();
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new ClusterException("node snapshot could not be written: publication " +
                    Publication.errorString(result));
            }
            idle.idle();
        }
    }
}
