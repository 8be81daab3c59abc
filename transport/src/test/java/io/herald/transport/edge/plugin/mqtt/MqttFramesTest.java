package io.herald.transport.edge.plugin.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttFramesTest
{
    @Test
    void publishesAreWhatNettysDecoderReadsAtEveryLengthBoundary()
    {
        // the remaining length takes 1, 2, 3 bytes around 127 / 16,383 and up to 2 MB
        for (final int size : new int[]{0, 1, 100, 108, 109, 110, 16_000, 16_365, 16_366, 16_367, 70_000, 2_097_000})
        {
            final byte[] json = payload(size);
            final EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(4 << 20));
            final byte[] topic = "Kuzzle/response".getBytes(StandardCharsets.US_ASCII);
            final ByteBuf frame = MqttFrames.publish(channel, topic, 0, topic.length, json, json.length, false);
            assertTrue(channel.writeInbound(frame), "decoded a message of " + size + " bytes");
            final MqttPublishMessage publish = channel.readInbound();
            assertTrue(publish.decoderResult().isSuccess(), String.valueOf(publish.decoderResult()));
            assertEquals(MqttQoS.AT_MOST_ONCE, publish.fixedHeader().qosLevel());
            assertEquals("Kuzzle/response", publish.variableHeader().topicName());
            assertEquals(new String(json, StandardCharsets.UTF_8), publish.payload().toString(StandardCharsets.UTF_8));
            publish.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theRoomFieldIsCutAndTheObjectClosed()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
        final byte[] json = "{\"status\":200,\"result\":{\"a\":\"\\\"room\\\":\\\"x\\\"\"},\"room\":\"abc-an\"}"
            .getBytes(StandardCharsets.UTF_8);
        final int cut = MqttFrames.roomField(json);
        assertEquals("{\"status\":200,\"result\":{\"a\":\"\\\"room\\\":\\\"x\\\"\"}",
            new String(json, 0, cut, StandardCharsets.UTF_8));
        final ByteBuf frame = MqttFrames.publish(channel, json, cut + 9, 6, json, cut, true);
        channel.writeInbound(frame);
        final MqttPublishMessage publish = channel.readInbound();
        assertEquals("abc-an", publish.variableHeader().topicName());
        assertEquals("{\"status\":200,\"result\":{\"a\":\"\\\"room\\\":\\\"x\\\"\"}}",
            publish.payload().toString(StandardCharsets.UTF_8));
        publish.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void roomsWithEscapesOrNullAreFoundAndOtherJsonIsLeftWhole()
    {
        assertEquals(13, MqttFrames.roomField(bytes("{\"status\":200,\"room\":\"a\\\"b\\\\\"}")));
        assertEquals(13, MqttFrames.roomField(bytes("{\"status\":200,\"room\":null}")));
        assertEquals(-1, MqttFrames.roomField(bytes("{\"room\":\"only\"}")));
        assertEquals(-1, MqttFrames.roomField(bytes("{\"status\":200,\"roomy\":\"x\"}")));
        assertEquals(-1, MqttFrames.roomField(bytes("{\"status\":200}")));
        assertEquals(-1, MqttFrames.roomField(bytes("\"room\":\"x\"}")));
        assertEquals(-1, MqttFrames.roomField(bytes("")));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] payload(final int size)
    {
        final byte[] json = new byte[size];
        for (int i = 0; i < size; i++)
        {
            json[i] = (byte)('a' + i % 26);
        }
        return json;
    }
}
