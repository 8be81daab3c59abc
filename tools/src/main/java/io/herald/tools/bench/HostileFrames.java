package io.herald.tools.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile WebSocket frames for {@code herald bench fuzz}: requests a client may send by mistake or on purpose
 * (wrong types, unknown controllers, random filters and documents, JSON nested thousands deep, frames around and over
 * the size limit, JSON cut short, random text, binary frames). Each frame says whether Herald owes it an answer in
 * a room, and which: a frame owes one when its top-level {@code requestId} can be read before anything breaks
 * (Herald then answers, whatever else is wrong). The same seed gives the same frames.
 */
final class HostileFrames
{
    /**
     * One frame.
     *
     * @param requestId the room Herald must answer in, or null when no answer in a room is owed.
     */
    record Frame(String kind, byte[] payload, boolean binary, String requestId)
    {
    }

    private static final List<String> CONTROLLERS = List.of("realtime", "server", "auth", "cluster", "document",
        "", "REALTIME", "realtime ", "admin", "\u0000", "ms");
    private static final List<String> ACTIONS = List.of("subscribe", "unsubscribe", "publish", "count", "list",
        "join", "validate", "now", "info", "publicApi", "checkToken", "status", "login", "", "create", "__proto__");
    private static final List<String> KEYWORDS = List.of("equals", "exists", "in", "range", "regexp", "missing",
        "and", "or", "not", "bool", "geoBoundingBox", "geoDistance", "geoDistanceRange", "geoPolygon", "ids",
        "nothing", "must", "should");
    /** The index the witness client uses: hostile frames stay out of it. */
    static final String WITNESS_INDEX = "fuzz-witness";

    private final Random random;
    private final int maxFrameBytes;
    private final String prefix;
    private long next;

    /**
     * @param prefix        makes request ids unique across generators.
     * @param maxFrameBytes the server's {@code edge.max.frame.bytes}.
     */
    HostileFrames(final long seed, final String prefix, final int maxFrameBytes)
    {
        this.random = new Random(seed);
        this.prefix = prefix;
        this.maxFrameBytes = maxFrameBytes;
    }

    Frame next()
    {
        final String id = prefix + (next++);
        final int dice = random.nextInt(100);
        if (dice < 25)
        {
            return text("request", request(id, randomController(), randomAction(), randomValue(4)), id);
        }
        if (dice < 35)
        {
            return text("subscribe", request(id, "realtime", random.nextBoolean() ? "subscribe" : "validate",
                randomFilter(5)), id);
        }
        if (dice < 45)
        {
            return text("publish", request(id, "realtime", "publish", randomDocument()), id);
        }
        if (dice < 52)
        {
            final String roomId = random.nextBoolean() ? randomString(32) : "%" + random.nextInt(1_000);
            return text("room", request(id, "realtime", List.of("unsubscribe", "join", "count").get(random.nextInt(3)),
                "{\"roomId\":" + quote(roomId) + "}"), id);
        }
        if (dice < 62)
        {
            return deep(id);
        }
        if (dice < 64)
        {
            return huge(id);
        }
        if (dice < 74)
        {
            final String whole = request(id, randomController(), randomAction(), randomValue(3));
            final int head = ("{\"requestId\":" + quote(id)).length();
            return text("truncated", whole.substring(0, head + random.nextInt(whole.length() - head)), id);
        }
        if (dice < 82)
        {
            return typeConfusion(id);
        }
        if (dice < 87)
        {
            final byte[] bytes = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(bytes);
            return new Frame("binary", bytes, true, null);
        }
        if (dice < 92)
        {
            return new Frame("noise", randomString(1 + random.nextInt(500)).getBytes(StandardCharsets.UTF_8), false,
                null);
        }
        if (dice < 95)
        {
            return new Frame("heartbeat", "{\"p\":1}".getBytes(StandardCharsets.US_ASCII), false, null);
        }
        return text("no-id", "{\"controller\":\"server\",\"action\":\"now\"}", null);
    }

    /**
     * A text frame Herald must close the connection for (RFC 6455: invalid UTF-8 in a text frame, 1007).
     */
    Frame invalidUtf8()
    {
        final String id = prefix + (next++);
        final byte[] head = ("{\"requestId\":" + quote(id) + ",\"controller\":\"server\",\"action\":\"now\"," +
            "\"body\":\"").getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[head.length + 4];
        System.arraycopy(head, 0, payload, 0, head.length);
        payload[head.length] = (byte)0xC3;
        payload[head.length + 1] = (byte)0x28;
        payload[head.length + 2] = '"';
        payload[head.length + 3] = '}';
        return new Frame("invalid-utf8", payload, false, null);
    }

    private Frame deep(final String id)
    {
        final int depth = 50 + random.nextInt(3_000);
        final String nested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        final String body = random.nextBoolean() ? nested : "[".repeat(depth) + "]".repeat(depth);
        final String frame = random.nextBoolean() ?
            "{\"requestId\":" + quote(id) + ",\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"fuzz\"," +
            "\"collection\":\"deep\",\"body\":" + body + "}" :
            "{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"fuzz\",\"collection\":\"deep\",\"body\":" +
            body + ",\"requestId\":" + quote(id) + "}";
        return text("deep", frame, id);
    }

    private Frame huge(final String id)
    {
        final int bytes = maxFrameBytes - 200 + random.nextInt(maxFrameBytes / 2);
        final String head = "{\"requestId\":" + quote(id) + ",\"controller\":\"realtime\",\"action\":\"publish\"," +
            "\"index\":\"fuzz\",\"collection\":\"huge\",\"body\":{\"s\":\"";
        return text("huge", head + "h".repeat(Math.max(0, bytes - head.length() - 3)) + "\"}}", id);
    }

    private Frame typeConfusion(final String id)
    {
        final String[] fields = {"controller", "action", "index", "collection", "body", "volatile", "scope", "users",
            "_id", "jwt"};
        final StringBuilder frame = new StringBuilder("{\"requestId\":").append(random.nextBoolean() ? quote(id) :
            id.hashCode() & Integer.MAX_VALUE);
        for (final String field : fields)
        {
            if (random.nextInt(3) > 0)
            {
                frame.append(',').append(quote(field)).append(':').append(randomValue(2));
            }
        }
        final String requestId = frame.charAt(13) == '"' ? id : Integer.toString(id.hashCode() & Integer.MAX_VALUE);
        return text("types", frame.append('}').toString(), requestId);
    }

    private String request(final String id, final String controller, final String action, final String body)
    {
        final StringBuilder frame = new StringBuilder("{\"requestId\":").append(quote(id))
            .append(",\"controller\":").append(quote(controller)).append(",\"action\":").append(quote(action))
            .append(",\"index\":").append(quote(random.nextInt(4) == 0 ? randomString(8) : "fuzz"))
            .append(",\"collection\":").append(quote("c" + random.nextInt(8)))
            .append(",\"body\":").append(body);
        if (random.nextInt(4) == 0)
        {
            frame.append(",\"volatile\":").append(randomValue(3));
        }
        if (random.nextInt(6) == 0)
        {
            frame.append(",\"scope\":").append(quote(List.of("all", "in", "out", "none", "x").get(random.nextInt(5))));
        }
        if (random.nextInt(6) == 0)
        {
            frame.append(",\"users\":").append(quote(List.of("all", "in", "out", "none", "y").get(random.nextInt(5))));
        }
        return frame.append('}').toString();
    }

    private String randomFilter(final int depth)
    {
        final String keyword = KEYWORDS.get(random.nextInt(KEYWORDS.size()));
        if (depth == 0 || random.nextInt(3) == 0)
        {
            return "{" + quote(keyword) + ":{" + quote("f" + random.nextInt(4)) + ":" + randomValue(1) + "}}";
        }
        if ("and".equals(keyword) || "or".equals(keyword))
        {
            return "{" + quote(keyword) + ":[" + randomFilter(depth - 1) + "," + randomFilter(depth - 1) + "]}";
        }
        return "{" + quote(keyword) + ":" + (random.nextBoolean() ? randomFilter(depth - 1) : randomValue(2)) + "}";
    }

    private String randomDocument()
    {
        final int size = random.nextInt(10) == 0 ? random.nextInt(64 * 1024) : random.nextInt(512);
        return "{\"f0\":" + randomValue(2) + ",\"pad\":" + quote("p".repeat(size)) + ",\"f1\":" + randomValue(1) + "}";
    }

    private String randomValue(final int depth)
    {
        final int kind = random.nextInt(depth > 0 ? 9 : 6);
        switch (kind)
        {
            case 0:
                return "null";
            case 1:
                return Boolean.toString(random.nextBoolean());
            case 2:
                return Long.toString(random.nextLong());
            case 3:
                return Double.toString(random.nextGaussian() * 1e6);
            case 4:
                return quote(randomString(random.nextInt(40)));
            case 5:
                return List.of("1e400", "-0", "0.0000001", "\"\"", "\"\\u0000\"", "\"\\ud800\"").get(random.nextInt(6));
            case 6:
            {
                final StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    array.append(randomValue(depth - 1)).append(i > 1 ? "," : "");
                }
                return array.append(']').toString();
            }
            default:
            {
                final StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    object.append(quote(randomString(6))).append(':').append(randomValue(depth - 1))
                        .append(i > 1 ? "," : "");
                }
                return object.append('}').toString();
            }
        }
    }

    private String randomString(final int length)
    {
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            final int pick = random.nextInt(20);
            text.appendCodePoint(pick < 14 ? 'a' + random.nextInt(26) : pick < 16 ? random.nextInt(0x20) :
                pick < 18 ? 0x80 + random.nextInt(0x700) : pick < 19 ? '"' : 0x1F600 + random.nextInt(50));
        }
        return text.toString();
    }

    private static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static Frame text(final String kind, final String frame, final String requestId)
    {
        return new Frame(kind, frame.getBytes(StandardCharsets.UTF_8), false, requestId);
    }

    private String randomController()
    {
        return CONTROLLERS.get(random.nextInt(CONTROLLERS.size()));
    }

    private String randomAction()
    {
        return ACTIONS.get(random.nextInt(ACTIONS.size()));
    }
}
