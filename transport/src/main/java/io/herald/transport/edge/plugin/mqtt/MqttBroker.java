package io.herald.transport.edge.plugin.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The topics MQTT clients share among themselves when {@code edge.mqtt.allow.pubsub} is on (Kuzzle's
 * {@code allowPubSub}): a PUBLISH on a topic reaches every session of this edge subscribed to it, at QoS 0, as a plain
 * broker would; nothing is retained and nothing crosses to other edges or to Kuzzle's subscriptions. Topics are
 * exact names (no wildcards, as in Kuzzle). Thread-safe: sessions of every I/O thread share one broker.
 */
final class MqttBroker
{
    /** Herald's channel names ({@code <32 hex digits of the filter id>-<scope><users>}): not for plain publishes. */
    private static final Pattern CHANNEL = Pattern.compile("[0-9a-f]{32}-[a-z]{2}");

    private final ConcurrentHashMap<String, ChannelGroup> subscribers = new ConcurrentHashMap<>();

    /**
     * @return why a PUBLISH on {@code topic} is refused, or null when it is allowed (other than to
     *         {@code Kuzzle/request}, which is always allowed).
     */
    static String refusal(final String topic, final boolean pubSub)
    {
        if (!pubSub)
        {
            return "cannot publish on topic \"" + topic + "\": only " + MqttSession.REQUEST_TOPIC +
                " takes publishes (edge.mqtt.allow.pubsub is off)";
        }
        if (MqttFrames.RESPONSE_TOPIC.equals(topic))
        {
            return "cannot publish on topic " + MqttFrames.RESPONSE_TOPIC + ": it is read-only";
        }
        if (topic.indexOf('#') >= 0 || topic.indexOf('+') >= 0)
        {
            return "cannot publish on topic \"" + topic + "\": wildcards are disabled";
        }
        if (CHANNEL.matcher(topic).matches())
        {
            return "cannot publish on topic \"" + topic + "\": it names a Herald channel, which only Herald notifies";
        }
        return null;
    }

    /**
     * @return why a SUBSCRIBE to {@code topic} is refused, or null.
     */
    static String subscribeRefusal(final String topic)
    {
        if (MqttSession.REQUEST_TOPIC.equals(topic))
        {
            return "cannot subscribe to " + MqttSession.REQUEST_TOPIC + ": it is write-only";
        }
        if (topic.indexOf('#') >= 0 || topic.indexOf('+') >= 0)
        {
            return "cannot subscribe to \"" + topic + "\": wildcards are disabled";
        }
        return null;
    }

    void subscribe(final String topic, final Channel channel)
    {
        subscribers.computeIfAbsent(topic, (name) -> new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE))
            .add(channel);
    }

    void unsubscribe(final String topic, final Channel channel)
    {
        subscribers.computeIfPresent(topic, (name, group) ->
        {
            group.remove(channel);
            return group.isEmpty() ? null : group;
        });
    }

    /**
     * Sends the payload to the topic's subscribers, the publisher included if it subscribed (MQTT 3.1.1 has no
     * "no local"); one framed buffer serves them all.
     */
    void publish(final Channel publisher, final String topic, final ByteBuf payload)
    {
        final ChannelGroup group = subscribers.get(topic);
        if (null == group || group.isEmpty())
        {
            return;
        }
        final byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        final byte[] body = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), body);
        final ByteBuf frame = MqttFrames.publish(publisher, name, 0, name.length, body, body.length, false);
        group.writeAndFlush(frame); // a retained duplicate per channel; the group releases the frame
    }
}
