package io.herald.engine.node;

import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.herald.codecs.BooleanType;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.UserNotificationListEncoder;
import io.herald.engine.registry.Connections;
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
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UserNotificationListEncoder list = new UserNotificationListEncoder();
    private UserNotificationListEncoder.ChannelsEncoder channels;
    private int channelCount;

    void notify(
        final Cluster cluster, final SubscriptionRegistry registry, final Room room, final boolean joined,
        final String volatileJson)
    {
        if (null == room)
        {
            return;
        }
        channelCount = 0;
        channels = list.wrapAndApplyHeader(buffer, 0, header)
            .joined(joined ? BooleanType.TRUE : BooleanType.FALSE)
            .count(room.count())
            .timestamp(cluster.time())
            .channelsCount(UserNotificationListEncoder.ChannelsEncoder.countMaxValue());
        registry.userChannels(room, joined, (channel, connections, count) ->
        {
            final UserNotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
                .connectionsCount(count);
            for (int i = 0; i < count; i++)
            {
                group.next().edgeId(Connections.edgeId(connections[i]))
                    .connectionId(Connections.connectionId(connections[i]));
            }
            channels.channel(channel);
            channelCount++;
        });
        if (channelCount == 0)
        {
            return;
        }
        channels.resetCountToIndex();
        list.index(room.index()).collection(room.collection()).volatileJson(volatileJson);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength();
        for (final ClientSession session : cluster.clientSessions())
        {
            EgressOffers.offer(cluster, session, buffer, length);
        }
    }
}
