package io.herald.engine.kuzzle;

import java.nio.charset.StandardCharsets;

/**
 * Kuzzle's server notifications, sent to a connection outside any subscription: {@code TokenExpired} when the token
 * a connection used expired (kuzzle-sdk reacts to the {@code type}: it forgets the token and emits
 * {@code tokenExpired}).
 */
public final class ServerNotification
{
    public static final String ROOM = "kuzzle:notification:server";

    private ServerNotification()
    {
    }

    /**
     * @return {@code {"status":200,"type":"TokenExpired","message":…,"timestamp":…,"room":"kuzzle:notification:server"}}.
     */
    public static byte[] tokenExpired(final long timestampMs)
    {
        return ("{\"status\":200,\"type\":\"TokenExpired\",\"message\":\"Authentication Token Expired\"," +
            "\"timestamp\":" + timestampMs + ",\"room\":\"" + ROOM + "\"}").getBytes(StandardCharsets.US_ASCII);
    }
}
