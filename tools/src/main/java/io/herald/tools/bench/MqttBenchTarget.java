package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MQTT 3.1.1 over TCP ({@code mqtt://host:port}), in two flavours:
 * <ul>
 *     <li>{@code mqtt}: Herald's Kuzzle protocol over MQTT. A subscription is a {@code realtime:subscribe} (an
 *     {@code equals} filter per topic, as for {@code herald}) PUBLISHed to {@code Kuzzle/request}; its answer names
 *     the channel, which the socket then SUBSCRIBEs to; its SUBACK confirms the subscription. Publishes are
 *     {@code realtime:publish} requests, each answered on {@code Kuzzle/response}.</li>
 *     <li>{@code mqtt-broker}: a plain broker such as mosquitto, the topic-equivalent of the same filters: a topic
 *     {@code bench/latency/<topic>} per topic, documents PUBLISHed to it at QoS 0; a PINGREQ after a batch of
 *     publishes is answered once the broker handled them (it handles a connection's packets in order).</li>
 * </ul>
 * Packets travel as "frames" of the harness: whole packets in, bytes out, carried in strings of ISO-8859-1
 * characters (one per byte; the JSON inside is ASCII). Shared by all the sockets of a run.
 */
final class MqttBenchTarget implements BenchTarget
{
    private static final int CONNECT = 0x10;
    private static final int PUBLISH = 0x30;
    private static final int SUBSCRIBE = 0x82;
    private static final int SUBACK = 0x90;
    private static final int PINGREQ = 0xC0;
    private static final int PINGRESP = 0xD0;
    private static final String RESPONSE_TOPIC = "Kuzzle/response";

    private final boolean kuzzle;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger packetIds = new AtomicInteger();

    /**
     * @param kuzzle true for Herald's Kuzzle protocol over MQTT, false for a plain broker.
     */
    MqttBenchTarget(final boolean kuzzle)
    {
        this.kuzzle = kuzzle;
    }

    public String hello()
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4); // 3.1.1
        body.write(0x02); // clean session
        body.write(0); // no keep-alive: the harness sends nothing while it waits
        body.write(0);
        writeString(body, "herald-bench-" + ProcessHandle.current().pid() + "-" + clients.incrementAndGet());
        return packet(CONNECT, body);
    }

    public String subscribe(final String requestId, final String topic)
    {
        if (kuzzle)
        {
            return publishPacket("Kuzzle/request", "{\"controller\":\"realtime\",\"action\":\"subscribe\"," +
                "\"requestId\":\"" + requestId + "\",\"index\":\"bench\",\"collection\":\"latency\"," +
                "\"body\":{\"equals\":{\"topic\":\"" + topic + "\"}}}");
        }
        return subscribePacket("bench/latency/" + topic);
    }

    public String afterSubscriptions()
    {
        return null;
    }

    public String publish(final String topic, final long intendedNs, final String pad)
    {
        if (kuzzle)
        {
            return publishPacket("Kuzzle/request", "{\"controller\":\"realtime\",\"action\":\"publish\"," +
                "\"index\":\"bench\",\"collection\":\"latency\",\"body\":" +
                BenchTarget.document(topic, intendedNs, pad) + "}");
        }
        return publishPacket("bench/latency/" + topic, BenchTarget.document(topic, intendedNs, pad));
    }

    public int confirmedSubscriptions(final ByteBuf frame, final int sentOnThisConnection)
    {
        if (type(frame) != SUBACK)
        {
            return 0;
        }
        if (frame.getUnsignedByte(frame.writerIndex() - 1) == 0x80)
        {
            System.err.println("subscription refused");
        }
        return 1;
    }

    public boolean refusal(final ByteBuf frame)
    {
        return kuzzle && type(frame) == PUBLISH && !text(frame).contains("\"status\":200");
    }

    /**
     * Herald over MQTT: the answer to a subscribe names the channel to SUBSCRIBE to.
     */
    public String reply(final ByteBuf frame)
    {
        if (!kuzzle || type(frame) != PUBLISH || !isResponse(frame))
        {
            return null;
        }
        final String text = text(frame);
        if (!text.contains("\"action\":\"subscribe\""))
        {
            return null;
        }
        final int at = text.indexOf("\"channel\":\"");
        if (at < 0)
        {
            System.err.println("subscribe failed: " + text);
            return null;
        }
        final int from = at + "\"channel\":\"".length();
        return subscribePacket(text.substring(from, text.indexOf('"', from)));
    }

    public boolean binaryFrames()
    {
        return true;
    }

    public String flush()
    {
        return kuzzle ? null : pingRequest();
    }

    public int publishAnswers(final ByteBuf frame)
    {
        return type(frame) == (kuzzle ? PUBLISH : PINGRESP) ? 1 : 0;
    }

    public String probe()
    {
        return kuzzle ? publishPacket("Kuzzle/request", "{\"controller\":\"server\",\"action\":\"now\"," +
            "\"requestId\":\"probe\"}") : pingRequest();
    }

    public boolean probeAnswer(final ByteBuf frame)
    {
        return kuzzle ? type(frame) == PUBLISH && text(frame).contains("\"requestId\":\"probe\"") :
            type(frame) == PINGRESP;
    }

    private static String pingRequest()
    {
        return new String(new byte[]{(byte)PINGREQ, 0}, StandardCharsets.ISO_8859_1);
    }

    private static String publishPacket(final String topic, final String json)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return packet(PUBLISH, body);
    }

    private String subscribePacket(final String topic)
    {
        final int id = 1 + Math.floorMod(packetIds.getAndIncrement(), 65_535);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(id >> 8);
        body.write(id);
        writeString(body, topic);
        body.write(0); // QoS 0
        return packet(SUBSCRIBE, body);
    }

    private static void writeString(final ByteArrayOutputStream out, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static String packet(final int type, final ByteArrayOutputStream body)
    {
        final ByteArrayOutputStream packet = new ByteArrayOutputStream(body.size() + 5);
        packet.write(type);
        for (int remaining = body.size(); ; )
        {
            final int digit = remaining & 0x7F;
            remaining >>>= 7;
            packet.write(0 == remaining ? digit : digit | 0x80);
            if (0 == remaining)
            {
                break;
            }
        }
        packet.writeBytes(body.toByteArray());
        return packet.toString(StandardCharsets.ISO_8859_1);
    }

    private static int type(final ByteBuf frame)
    {
        return frame.isReadable() ? frame.getUnsignedByte(frame.readerIndex()) & 0xF0 : -1;
    }

    /**
     * @return true when a PUBLISH is on {@code Kuzzle/response} (read in place: notifications pass here too).
     */
    private static boolean isResponse(final ByteBuf frame)
    {
        int i = frame.readerIndex() + 1;
        while ((frame.getByte(i++) & 0x80) != 0)
        {
            // the remaining length's bytes
        }
        if (frame.getUnsignedShort(i) != RESPONSE_TOPIC.length())
        {
            return false;
        }
        for (int c = 0; c < RESPONSE_TOPIC.length(); c++)
        {
            if (frame.getByte(i + 2 + c) != RESPONSE_TOPIC.charAt(c))
            {
                return false;
            }
        }
        return true;
    }

    private static String text(final ByteBuf frame)
    {
        return frame.toString(StandardCharsets.ISO_8859_1);
    }
}
