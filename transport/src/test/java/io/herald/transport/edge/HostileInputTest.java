package io.herald.transport.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.engine.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What hostile or broken clients send to the listener, on real sockets: malformed HTTP (bad escapes, garbage request
 * lines), bad WebSocket handshakes, requests trickled byte by byte, frames nested deeper than allowed, sockets reset
 * mid-frame. Each gets a Kuzzle error in its request's room (or HTTP status) or a clean close, nothing in the log,
 * and the listener keeps serving everyone else.
 */
class HostileInputTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long REQUEST_TIMEOUT_MS = 500;

    private EdgeServer server;

    private final RequestSink echo = new RequestSink()
    {
        private final ThreadLocal<ResponseWriter> writers = ThreadLocal.withInitial(ResponseWriter::new);

        public void onOpen(final long connectionId, final String protocol, final String remoteAddress)
        {
        }

        public boolean onRequest(final long connectionId, final KuzzleRequest request)
        {
            server.connections().sendText(connectionId, writers.get().success(request,
                JsonNodeFactory.instance.objectNode().put("connection", connectionId)));
            return true;
        }

        public void onClose(final long connectionId)
        {
        }
    };

    @BeforeEach
    void start() throws InterruptedException
    {
        server = new EdgeServer("127.0.0.1", 0, 1, 1 << 20, echo)
            .httpTimeouts(TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS), TimeUnit.SECONDS.toNanos(30))
            .start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /**
     * Sends raw bytes and reads what comes back until the server closes the socket (or 5 s pass).
     */
    private String exchange(final String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buffer = new byte[8192];
        try
        {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer))
            {
                out.write(buffer, 0, n);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            out.write("<still open>".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode body(final String response) throws IOException
    {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void malformedEscapesAndRequestLinesAreAnswered400WithAKuzzleError() throws Exception
    {
        for (final String uri : List.of("/%zz", "/_now?a=%zz"))
        {
            final String response = exchange("GET " + uri + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertEquals("network.http.malformed_request", body(response).get("error").get("id").textValue());
        }
        final String publish = exchange("POST /i/%E0%A4%A/_publish HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" +
            "Connection: close\r\n\r\n{}");
        assertTrue(publish.startsWith("HTTP/1.1 400 "), publish);

        for (final String garbage : List.of("GARBAGE\r\n\r\n", "GET\r\n\r\n", "\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n"))
        {
            final String response = exchange(garbage);
            assertTrue(response.startsWith("HTTP/1.1 400 "), garbage + " -> " + response);
            assertEquals(400, body(response).get("status").intValue());
            assertTrue(response.endsWith("}"), "the socket is closed after the answer: " + response);
        }
    }

    @Test
    void aRequestTrickledTooSlowlyIsAnswered408AndClosed() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(5_000);
            final OutputStream out = socket.getOutputStream();
            final long started = System.nanoTime();
            out.write("GET /_now HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            final String response = readAll(socket.getInputStream());
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(response.startsWith("HTTP/1.1 408 "), response);
            assertEquals("network.http.request_timeout", body(response).get("error").get("id").textValue());
            assertTrue(elapsedMs >= REQUEST_TIMEOUT_MS, "answered after " + elapsedMs + " ms");
        }
        // a request that arrives whole in time is served on a socket that stays open (keep-alive)
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("GET /_now HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final String response = readAll(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200 ") && response.endsWith("<still open>"), response);
        }
    }

    @Test
    void handshakesRfc6455RefusesAreNotUpgraded() throws Exception
    {
        final String good = "dGhlIHNhbXBsZSBub25jZQ==";
        for (final String[] handshake : List.of(
            new String[] {"GET", "13", "bad", "Upgrade", "400"},
            new String[] {"GET", "13", "c2hvcnQ=", "Upgrade", "400"},
            new String[] {"GET", "8", good, "Upgrade", "426"},
            new String[] {"GET", "13", good, "keep-alive", "400"},
            new String[] {"POST", "13", good, "Upgrade", "400"}))
        {
            final String response = exchange(handshake[0] + " / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
                "Connection: " + handshake[3] + "\r\nSec-WebSocket-Version: " + handshake[1] + "\r\n" +
                "Sec-WebSocket-Key: " + handshake[2] + "\r\nContent-Length: 0\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 " + handshake[4] + " "), String.join(" ", handshake) + " -> " +
                response);
            assertEquals("network.websocket.bad_handshake", body(response).get("error").get("id").textValue());
        }
        final String accepted = exchange("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
            "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + good + "\r\n\r\n");
        assertTrue(accepted.startsWith("HTTP/1.1 101 "), accepted);
    }

    /**
     * Browsers fail a handshake whose answer does not name a subprotocol they asked for; the kuzzle-sdk browser
     * bundle asks for "null".
     */
    @Test
    void theFirstSubprotocolAskedForIsEchoed() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .subprotocols("null", "other").buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), client)
            .join();
        assertEquals("null", socket.getSubprotocol());
        assertEquals("1", client.ask(socket, "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"1\"}")
            .get("room").textValue());
    }

    @Test
    void framesNestedTooDeepAreAnswered400InTheirRoomWhereverTheRequestIdIs() throws Exception
    {
        final TestClient client = new TestClient();
        final WebSocket socket = TestClient.connect(client, server.port(), "/");
        final String deep = "{\"a\":".repeat(1_200) + "1" + "}".repeat(1_200);
        socket.sendText("{\"requestId\":\"before\",\"controller\":\"realtime\",\"action\":\"publish\",\"body\":" +
            deep + "}", true).join();
        final JsonNode before = client.next();
        assertEquals("before", before.get("room").textValue());
        assertEquals(400, before.get("status").intValue());
        assertTrue(before.get("error").get("message").textValue().contains("deeper than"), before.toString());
        socket.sendText("{\"controller\":\"realtime\",\"action\":\"publish\",\"body\":" + deep +
            ",\"requestId\":\"after\"}", true).join();
        final JsonNode after = client.next();
        assertEquals("after", after.get("room").textValue());
        assertEquals(400, after.get("status").intValue());
        // as deep as allowed: the request object and 99 levels of body
        final String deepest = "{\"a\":".repeat(98) + "1" + "}".repeat(98);
        final JsonNode accepted = client.ask(socket, "{\"requestId\":\"ok\",\"controller\":\"realtime\"," +
            "\"action\":\"publish\",\"body\":" + deepest + "}");
        assertEquals(200, accepted.get("status").intValue(), accepted.toString());
    }

    /**
     * Clients reset their sockets all day (a phone loses its network): the connection ends without a stack trace,
     * counted, and the others are served.
     */
    @Test
    void aSocketResetMidFrameIsCountedNotLogged() throws Exception
    {
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
        try
        {
            for (int i = 0; i < 3; i++)
            {
                final Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
                    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                final InputStream in = socket.getInputStream();
                final byte[] upgrade = new byte[129];
                assertTrue(in.read(upgrade) > 0);
                // half a masked text frame, then RST instead of FIN
                socket.getOutputStream().write(new byte[] {(byte)0x81, (byte)0xFE, 0x10, 0x00, 1, 2, 3, 4, 'x'});
                socket.setSoLinger(true, 0);
                socket.close();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.clientErrors() < 3 && System.nanoTime() < deadline)
            {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            assertEquals(3, server.clientErrors());
            final TestClient client = new TestClient();
            final WebSocket socket = TestClient.connect(client, server.port(), "/");
            assertEquals(200, client.ask(socket, "{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"1\"}")
                .get("status").intValue());
        }
        finally
        {
            System.setErr(stderr);
        }
        assertEquals("", log.toString(StandardCharsets.UTF_8), "nothing is logged for a client's reset");
    }
}
