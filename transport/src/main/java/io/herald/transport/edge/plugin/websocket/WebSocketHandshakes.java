package io.herald.transport.edge.plugin.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Base64;

/**
 * The checks RFC 6455 (section 4.2.1) asks of an opening handshake, which Netty's handshaker leaves to the server:
 * a GET over HTTP/1.1 or later, with a Host, {@code Connection: Upgrade}, {@code Upgrade: websocket}, version 13,
 * and a {@code Sec-WebSocket-Key} that is 16 bytes in base64.
 */
final class WebSocketHandshakes
{
    /** How a problem with the protocol version begins (answered 426 with the version Herald speaks). */
    static final String VERSION_PROBLEM = "Sec-WebSocket-Version";

    private WebSocketHandshakes()
    {
    }

    /**
     * @return what is wrong with the handshake, or null when it is one to accept.
     */
    static String problem(final HttpRequest request)
    {
        final HttpHeaders headers = request.headers();
        if (!HttpMethod.GET.equals(request.method()))
        {
            return "the method must be GET, not " + request.method();
        }
        if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0)
        {
            return "HTTP/1.1 or later is required, not " + request.protocolVersion();
        }
        if (!headers.contains(HttpHeaderNames.HOST))
        {
            return "the Host header is missing";
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true))
        {
            return "the Connection header must hold 'Upgrade'";
        }
        final String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!"13".equals(null == version ? null : version.trim()))
        {
            return VERSION_PROBLEM + " must be 13, not " + version;
        }
        final String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (null == key)
        {
            return "Sec-WebSocket-Key is missing";
        }
        try
        {
            if (Base64.getDecoder().decode(key.trim()).length != 16)
            {
                return "Sec-WebSocket-Key must be 16 bytes in base64";
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return "Sec-WebSocket-Key is not base64";
        }
        return null;
    }
}
