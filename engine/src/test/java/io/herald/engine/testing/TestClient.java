package io.herald.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A WebSocket client for the tests (the JDK's): collects text messages, pongs and the close code.
 */
public final class TestClient implements WebSocket.Listener
{
    private static final ObjectMapper JSON = new ObjectMapper();

    public final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    /**
     * @return a socket connected to {@code ws://127.0.0.1:port/path}, messages going to the client.
     */
    public static WebSocket connect(final TestClient client, final int port, final String path)
    {
        return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).join();
    }

    public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
    {
        partial.append(data);
        if (last)
        {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    public CompletionStage<?> onPong(final WebSocket socket, final ByteBuffer message)
    {
        pongs.add("pong");
        socket.request(1);
        return null;
    }

    public CompletionStage<?> onClose(final WebSocket socket, final int statusCode, final String reason)
    {
        closed.complete(statusCode);
        return null;
    }

    /**
     * @return the next message, parsed; fails after 10 s.
     */
    public JsonNode next() throws Exception
    {
        final String message = messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "no message within 10 s");
        return JSON.readTree(message);
    }

    /** Messages received while waiting for a response: notifications. */
    public final LinkedBlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();

    /**
     * Sends a request and returns its response (the message whose room is the request id); notifications that
     * arrive meanwhile are kept in {@link #notifications}.
     */
    public JsonNode ask(final WebSocket socket, final String request) throws Exception
    {
        final String requestId = JSON.readTree(request).path("requestId").asText(null);
        socket.sendText(request, true).join();
        while (true)
        {
            final JsonNode message = next();
            if (null == requestId || requestId.equals(message.path("room").asText(null)))
            {
                return message;
            }
            notifications.add(message);
        }
    }
}
