package io.herald.transport.edge;

import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.testing.Await;
import io.herald.engine.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge's front door: connection limits (in total and per remote address) and the browser origins allowed, each
 * refusal a handshake answer that says why.
 */
class EdgeDoorTest
{
    private EdgeServer server;

    private final RequestSink sink = new RequestSink()
    {
        public void onOpen(final long connectionId, final String protocol, final String remoteAddress)
        {
        }

        public boolean onRequest(final long connectionId, final KuzzleRequest request)
        {
            return true;
        }

        public void onClose(final long connectionId)
        {
        }
    };

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void anAddressOverItsLimitIsRefusedWithTheReasonAndAClosedSocketFreesItsPlace() throws Exception
    {
        server = new EdgeServer("127.0.0.1", 0, 1, 4_096, sink).connectionLimits(10, 2).start();
        final WebSocket first = TestClient.connect(new TestClient(), server.port(), "/");
        final WebSocket second = TestClient.connect(new TestClient(), server.port(), "/");
        final WebSocketHandshakeException refused = refusedHandshake(Map.of());
        assertEquals(503, refused.getResponse().statusCode());
        assertTrue(String.valueOf(refused.getResponse().body()).contains("edge.max.connections.per.address"),
            String.valueOf(refused.getResponse().body()));
        assertEquals(1, server.counters().get(HeraldCounter.CONNECTIONS_REFUSED).get());
        first.abort();
        Await.await("a place freed", Duration.ofSeconds(5), () ->
        {
            try
            {
                TestClient.connect(new TestClient(), server.port(), "/");
                return true;
            }
            catch (final CompletionException ex)
            {
                return false;
            }
        });
        second.abort();
    }

    @Test
    void onlyAllowedBrowserOriginsOpenAWebSocket() throws Exception
    {
        server = new EdgeServer("127.0.0.1", 0, 1, 4_096, sink)
            .pluginSettings(Map.of("edge.allowed.origins", "https://app.example.com, https://admin.example.com"))
            .start();
        assertEquals(403, refusedHandshake(Map.of("Origin", "https://evil.example.net")).getResponse().statusCode());
        HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "https://APP.example.com")
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new TestClient()).join().abort();
        // clients that are not browsers send no origin
        TestClient.connect(new TestClient(), server.port(), "/").abort();
    }

    private WebSocketHandshakeException refusedHandshake(final Map<String, String> headers)
    {
        final WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        final CompletionException failure = assertThrows(CompletionException.class, () -> builder
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new TestClient()).join());
        return assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    }
}
