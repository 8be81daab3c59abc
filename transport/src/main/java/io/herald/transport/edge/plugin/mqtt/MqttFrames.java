package io.herald.transport.edge.plugin.mqtt;

import io.herald.transport.edge.plugin.ConnectionWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;

/**
 * How Kuzzle answers and notifications go out on an MQTT session, as Kuzzle's MQTT protocol sends them: a QoS 0
 * PUBLISH each, without the {@code room} field; answers on {@code Kuzzle/response}, notifications on the topic named
 * after their channel, to sessions that SUBSCRIBEd to it (the edge only hands a session the notifications of the
 * subscriptions its connection holds).
 * <p>
 * The PUBLISH is written here rather than through Netty's {@code MqttEncoder}: a QoS 0 PUBLISH of MQTT 3.1/3.1.1 is a
 * type byte, the remaining length, the topic and the payload (OASIS MQTT 3.1.1, section 3.3), and writing it straight
 * into one pooled buffer skips a message object and a copy per notification. A buffer written as a {@code ByteBuf}
 * passes the encoder untouched. {@code MqttFramesTest} checks the bytes against Netty's decoder.
 */
final class MqttFrames
{
    static final String RESPONSE_TOPIC = "Kuzzle/response";
    private static final byte[] RESPONSE_TOPIC_BYTES = RESPONSE_TOPIC.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOM_KEY = "\"room\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int PUBLISH_QOS0 = 0x30;

    static final ConnectionWriter WRITER = new ConnectionWriter()
    {
        public void write(final Channel channel, final byte[] json)
        {
            final int cut = roomField(json);
            channel.write(publish(channel, RESPONSE_TOPIC_BYTES, 0, RESPONSE_TOPIC_BYTES.length, json,
                cut < 0 ? json.length : cut, cut >= 0), channel.voidPromise());
        }

        public void writeNotification(final Channel channel, final byte[] json)
        {
            final int cut = roomField(json);
            if (subscribed(channel, json, cut))
            {
                channel.write(channelPublish(channel, json, cut), channel.voidPromise());
            }
        }

        /**
         * A QoS 0 PUBLISH has no packet id: the same bytes serve every session notified on a channel.
         */
        public ByteBuf frameOnce(final Channel channel, final byte[] json)
        {
            final int cut = roomField(json);
            return channelStart(json, cut) < 0 ? null : channelPublish(channel, json, cut);
        }

        public boolean takes(final Channel channel, final byte[] json)
        {
            return subscribed(channel, json, roomField(json));
        }
    };

    /**
     * @param cut where the JSON's {@code room} field starts ({@link #roomField}), or -1.
     * @return the index of the channel's name in {@code "room":"<channel>"}}, or -1 when the room is not a name.
     */
    private static int channelStart(final byte[] json, final int cut)
    {
        final int from = cut + 1 + ROOM_KEY.length + 1;
        return cut < 0 || json[json.length - 2] != '"' || json.length - 2 <= from ? -1 : from;
    }

    /**
     * @return true when the session SUBSCRIBEd to the topic named after the notification's channel.
     */
    private static boolean subscribed(final Channel channel, final byte[] json, final int cut)
    {
        final MqttSession session = channel.attr(MqttSession.KEY).get();
        final int from = channelStart(json, cut);
        return null != session && from >= 0 && session.isSubscribed(json, from, json.length - 2);
    }

    /**
     * @return the notification as a PUBLISH on its channel's topic, without its room field.
     */
    private static ByteBuf channelPublish(final Channel channel, final byte[] json, final int cut)
    {
        final int from = channelStart(json, cut);
        return publish(channel, json, from, json.length - 2 - from, json, cut, true);
    }

    private MqttFrames()
    {
    }

    /**
     * A QoS 0 PUBLISH of {@code topic[topicFrom..+topicLength]} carrying {@code json[0..payloadLength]}, plus a
     * closing brace when {@code closeObject} (the JSON was cut before its {@code room} field).
     */
    static ByteBuf publish(
        final Channel channel, final byte[] topic, final int topicFrom, final int topicLength, final byte[] json,
        final int payloadLength, final boolean closeObject)
    {
        final int remaining = 2 + topicLength + payloadLength + (closeObject ? 1 : 0);
        final ByteBuf frame = channel.alloc().directBuffer(1 + lengthBytes(remaining) + remaining);
        frame.writeByte(PUBLISH_QOS0);
        for (int value = remaining; ; )
        {
            final int digit = value & 0x7F;
            value >>>= 7;
            if (0 == value)
            {
                frame.writeByte(digit);
                break;
            }
            frame.writeByte(digit | 0x80);
        }
        frame.writeShort(topicLength).writeBytes(topic, topicFrom, topicLength).writeBytes(json, 0, payloadLength);
        if (closeObject)
        {
            frame.writeByte('}');
        }
        return frame;
    }

    private static int lengthBytes(final int remaining)
    {
        return remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    }

    /**
     * Finds the {@code "room"} field Herald's JSON ends with ({@code ,"room":"..."}} or {@code ,"room":null}}).
     *
     * @return the index of the comma before it (where the object is cut and closed), or -1 when the JSON does not
     *         end with it.
     */
    static int roomField(final byte[] json)
    {
        final int end = json.length - 1;
        if (end < ROOM_KEY.length + 3 || json[end] != '}')
        {
            return -1;
        }
        final int valueStart;
        if (json[end - 1] == '"')
        {
            int quote = end - 2;
            while (quote >= 0 && (json[quote] != '"' || isEscaped(json, quote)))
            {
                quote--;
            }
            valueStart = quote;
        }
        else if (endsWith(json, end, NULL))
        {
            valueStart = end - NULL.length;
        }
        else
        {
            return -1;
        }
        final int keyStart = valueStart - ROOM_KEY.length;
        if (keyStart < 1 || !endsWith(json, valueStart, ROOM_KEY) || json[keyStart - 1] != ',')
        {
            return -1;
        }
        return keyStart - 1;
    }

    /**
     * @return true when the bytes before {@code end} are {@code suffix}.
     */
    private static boolean endsWith(final byte[] json, final int end, final byte[] suffix)
    {
        final int from = end - suffix.length;
        if (from < 0)
        {
            return false;
        }
        for (int i = 0; i < suffix.length; i++)
        {
            if (json[from + i] != suffix[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true when the quote at {@code index} is preceded by an odd number of backslashes.
     */
    private static boolean isEscaped(final byte[] json, final int index)
    {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && json[i] == '\\'; i--)
        {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }
}
