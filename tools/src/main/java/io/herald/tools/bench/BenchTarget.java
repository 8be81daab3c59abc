package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * What the load harness talks to, over the same Netty WebSocket client: Herald (Kuzzle API, an {@code equals} filter
 * per topic) or a NATS server's WebSocket listener (a subject per topic, the topic-equivalent of that filter).
 */
interface BenchTarget
{
    /**
     * @param name {@code herald}, {@code nats}, {@code mqtt} (Herald's MQTT listener) or {@code mqtt-broker} (a plain
     *             MQTT broker such as mosquitto), as the harness's {@code --target} option takes it.
     */
    static BenchTarget of(final String name)
    {
        return switch (name)
        {
            case "herald" -> new Herald();
            case "nats" -> new Nats();
            case "mqtt" -> new MqttBenchTarget(true);
            case "mqtt-broker" -> new MqttBenchTarget(false);
            default -> throw new IllegalArgumentException(
                "--target must be herald, nats, mqtt or mqtt-broker, not " + name);
        };
    }

    /**
     * @return the frame a connection sends first, or null.
     */
    String hello();

    /**
     * @return the frame(s) subscribing a connection to a topic; {@code requestId} identifies the answer.
     */
    String subscribe(String requestId, String topic);

    /**
     * @return the frame(s) a connection sends once after its subscriptions, if the target needs one to confirm them.
     */
    String afterSubscriptions();

    /**
     * @param pad filler text ({@link #padding}) making the document the size asked for, or empty.
     * @return the frame publishing {@link #document}.
     */
    String publish(String topic, long intendedNs, String pad);

    /**
     * @return the published document: {@code {"topic":…,"sent":<intended nanos>}}, with {@code "pad":<pad>} last
     * when a size was asked for.
     */
    static String document(final String topic, final long intendedNs, final String pad)
    {
        return "{\"topic\":\"" + topic + "\",\"sent\":" + intendedNs +
            (pad.isEmpty() ? "" : ",\"pad\":\"" + pad + "\"") + "}";
    }

    /**
     * @param documentBytes the size the published documents should have (0: as small as they come, ~45 bytes).
     * @return the filler that makes them about that size.
     */
    static String padding(final int documentBytes)
    {
        final int fixed = document("t1000", System.nanoTime(), "").length() + ",\"pad\":\"\"".length();
        return "x".repeat(Math.max(0, documentBytes - fixed));
    }

    /**
     * @return subscriptions a received frame confirms (0 for anything else).
     */
    int confirmedSubscriptions(ByteBuf frame, int sentOnThisConnection);

    /**
     * @return true when a frame the publisher received reports a refusal.
     */
    boolean refusal(ByteBuf frame);

    /**
     * @return a frame to answer a received one with (a keep-alive), or null; the socket sends it.
     */
    String reply(ByteBuf frame);

    boolean binaryFrames();

    /**
     * @return a frame the server answers once it has handled every frame sent before it on the connection, sent
     * after a batch of publishes (NATS: {@code PING}); null when every publish is answered by itself (Herald).
     */
    String flush();

    /**
     * @return how many publishes (Herald) or batches of them ({@link #flush()}) a frame received by a publishing
     * connection answers: a NATS frame may carry several answers.
     */
    int publishAnswers(ByteBuf frame);

    /**
     * @return a request any connection may send at any time, answered by the server itself (a liveness probe).
     */
    String probe();

    /**
     * @return true when a received frame answers {@link #probe()}.
     */
    boolean probeAnswer(ByteBuf frame);

    /**
     * Herald: subscribe/publish requests of the Kuzzle API; every request is answered.
     */
    final class Herald implements BenchTarget
    {
        public String subscribe(final String requestId, final String topic)
        {
            return "{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"" + requestId +
                "\",\"index\":\"bench\",\"collection\":\"latency\",\"body\":{\"equals\":{\"topic\":\"" + topic +
                "\"}}}";
        }

        public String hello()
        {
            return null;
        }

        public String afterSubscriptions()
        {
            return null;
        }

        public String publish(final String topic, final long intendedNs, final String pad)
        {
            return "{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"bench\",\"collection\":" +
                "\"latency\",\"body\":" + BenchTarget.document(topic, intendedNs, pad) + "}";
        }

        public int confirmedSubscriptions(final ByteBuf frame, final int sentOnThisConnection)
        {
            final String text = frame.toString(StandardCharsets.UTF_8);
            if (!text.contains("\"action\":\"subscribe\""))
            {
                return 0;
            }
            if (!text.contains("\"status\":200"))
            {
                System.err.println("subscribe failed: " + text);
            }
            return 1;
        }

        public boolean refusal(final ByteBuf frame)
        {
            return !frame.toString(StandardCharsets.UTF_8).contains("\"status\":200");
        }

        public String reply(final ByteBuf frame)
        {
            return null;
        }

        public boolean binaryFrames()
        {
            return false;
        }

        public String flush()
        {
            return null;
        }

        public int publishAnswers(final ByteBuf frame)
        {
            // a publishing connection subscribes to nothing: every frame it gets answers one of its publishes
            return 1;
        }

        public String probe()
        {
            return "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"probe\"}";
        }

        public boolean probeAnswer(final ByteBuf frame)
        {
            final String text = frame.toString(StandardCharsets.UTF_8);
            return text.contains("\"requestId\":\"probe\"") && text.contains("\"status\":200");
        }
    }

    /**
     * NATS over its WebSocket listener: the text protocol ({@code CONNECT}, {@code SUB}, {@code PUB}, {@code PING});
     * a {@code PONG} after a connection's subscriptions confirms them all (the server handles a connection's
     * messages in order).
     */
    final class Nats implements BenchTarget
    {
        private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1}\r\n";
        private int nextSid = 1;

        public String subscribe(final String requestId, final String topic)
        {
            return "SUB bench.latency." + topic + " " + (nextSid++) + "\r\n";
        }

        public String afterSubscriptions()
        {
            return "PING\r\n";
        }

        public String hello()
        {
            return CONNECT;
        }

        public String publish(final String topic, final long intendedNs, final String pad)
        {
            final String payload = BenchTarget.document(topic, intendedNs, pad);
            return "PUB bench.latency." + topic + " " + payload.length() + "\r\n" + payload + "\r\n";
        }

        public int confirmedSubscriptions(final ByteBuf frame, final int sentOnThisConnection)
        {
            // a WebSocket frame may carry several protocol lines: the PONG is not always the first (INFO, a server
            // PING or +OK can come in the same frame; missing it left "1 subscription not answered" at 10,000)
            return startsWith(frame, "PONG") || frame.toString(StandardCharsets.UTF_8).contains("\r\nPONG") ?
                sentOnThisConnection : 0;
        }

        public boolean refusal(final ByteBuf frame)
        {
            if (startsWith(frame, "-ERR"))
            {
                System.err.println("nats: " + frame.toString(StandardCharsets.UTF_8).trim());
                return true;
            }
            return false;
        }

        public String reply(final ByteBuf frame)
        {
            return startsWith(frame, "PING") ? "PONG\r\n" : null;
        }

        public boolean binaryFrames()
        {
            return true;
        }

        public String flush()
        {
            return "PING\r\n";
        }

        public int publishAnswers(final ByteBuf frame)
        {
            int pongs = 0;
            for (int i = frame.readerIndex(), end = frame.writerIndex(); i + 4 <= end; i++)
            {
                if (frame.getByte(i) == 'P' && frame.getByte(i + 1) == 'O' && frame.getByte(i + 2) == 'N' &&
                    frame.getByte(i + 3) == 'G')
                {
                    pongs++;
                }
            }
            return pongs;
        }

        public String probe()
        {
            return "PING\r\n";
        }

        public boolean probeAnswer(final ByteBuf frame)
        {
            return startsWith(frame, "PONG");
        }

        private static boolean startsWith(final ByteBuf frame, final String prefix)
        {
            if (frame.readableBytes() < prefix.length())
            {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++)
            {
                if (frame.getByte(frame.readerIndex() + i) != prefix.charAt(i))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
