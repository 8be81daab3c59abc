package io.herald.transport.node;

import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.herald.codecs.BooleanType;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.UserNotificationListEncoder;
import io.herald.engine.registry.Room;
import io.herald.engine.registry.SubscriptionRegistry;
import org.agrona.ExpandableArrayBuffer;

/**
 * Tells every edge that someone joined or left a room: the channels of the room that asked for user notifications,
 * with their connections, go to every client session (edge) of the cluster; each edge notifies its own connections.
 * Sent by the leader only (followers' egress is suppressed), after the write is applied.
 */
final class UserNotifier
{
    /** Bytes of channels and connections per message, besides the index, collection and volatile it repeats. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(MAX_MESSAGE_BYTES);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UserNotificationListEncoder list = new UserNotificationListEncoder();
    private final ChannelChunker chunker = new ChannelChunker(new UserChunk());
    private UserNotificationListEncoder.ChannelsEncoder channels;
    private int channelCount;
    private Cluster cluster;
    private Room room;
    private boolean joined;
    private String volatileJson;

    void notify(
        final Cluster cluster, final SubscriptionRegistry registry, final Room room, final boolean joined,
        final String volatileJson)
    {
        if (null == room)
        {
            return;
        }
        this.cluster = cluster;
        this.room = room;
        this.joined = joined;
        this.volatileJson = volatileJson;
        channelCount = 0;
        // index, collection and volatile repeat in every chunk: chunks hold 8 KiB of channels besides them (edges
        // size their egress terms for the largest request, so a message this size always fits)
        chunker.begin(MAX_MESSAGE_BYTES);
        registry.userChannels(room, joined, (channel, connections, count) ->
        {
            chunker.add(channel, connections, count);
            channelCount++;
        });
        if (channelCount > 0)
        {
            chunker.finish();
        }
    }

    /**
     * Each chunk is a whole notification for the channels it carries: index, collection and volatile repeat.
     */
    private final class UserChunk implements ChannelChunker.Chunk
    {
        public void begin()
        {
            channels = list.wrapAndApplyHeader(buffer, 0, header)
                .joined(joined ? BooleanType.TRUE : BooleanType.FALSE)
                .count(room.count())
                .timestamp(cluster.time())
                .channelsCount(UserNotificationListEncoder.ChannelsEncoder.countMaxValue());
        }

        public int length()
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength();
        }

        public void entry(final byte[] channel, final long[] connections, final int from, final int count)
        {
            final UserNotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
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
            list.index(room.index()).collection(room.collection()).volatileJson(volatileJson);
            final int length = length();
            for (final ClientSession session : cluster.clientSessions())
            {
                EgressOffers.offer(cluster, session, buffer, length);
            }
        }
    }
}
