package io.herald.tools;

import io.herald.engine.testing.TestClient;
import io.herald.tools.bench.WarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edge.warmup}: the edge exercises itself before its port opens, through the node (fan-out included), and
 * leaves nothing behind: once the port is open, the warm-up's shared room holds only a client's own subscription,
 * and a publish reaches that client once.
 */
class WarmUpTest
{
    private static final String SHARED_FILTER = "{\"and\":[{\"equals\":{\"topic\":\"all\"}}," +
        "{\"range\":{\"n\":{\"gte\":0}}}]}";

    @TempDir
    File data;

    @Test
    void warmsUpThroughTheNodeThenOpensThePortWithNothingLeftBehind() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults().with(Map.of("edge.warmup", "2s")),
            data, KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            final HttpClient http = HttpClient.newHttpClient();
            final String metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + herald.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(counter(metrics, "herald_answers_total\\{status=\"2xx\",edge=\"1\"\\}") > 100,
                "the warm-up's requests were answered: " + metrics);
            assertTrue(counter(metrics, "herald_notifications_total\\{edge=\"1\"\\}") > 100,
                "the warm-up's publishes reached its subscribers: " + metrics);
            assertEquals(0, counter(metrics, "herald_answers_total\\{status=\"5xx\",edge=\"1\"\\}"), metrics);

            final TestClient client = new TestClient();
            final LinkedBlockingQueue<String> frames = client.messages;
            final WebSocket socket = TestClient.connect(client, herald.port(), "/");
            socket.sendText("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"s\",\"index\":\"" +
                WarmUp.INDEX + "\",\"collection\":\"warmup\",\"body\":" + SHARED_FILTER + "}", true).join();
            final String subscribed = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(subscribed, "the subscription is answered");
            final Matcher room = Pattern.compile("\"roomId\":\"([0-9a-f]+)\"").matcher(subscribed);
            assertTrue(room.find(), subscribed);

            socket.sendText("{\"controller\":\"realtime\",\"action\":\"count\",\"requestId\":\"c\",\"body\":" +
                "{\"roomId\":\"" + room.group(1) + "\"}}", true).join();
            final String count = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(count, "the count is answered");
            assertTrue(count.contains("\"count\":1"), "the warm-up's 24 subscriptions to the room are gone: " + count);

            socket.sendText("{\"controller\":\"realtime\",\"action\":\"publish\",\"requestId\":\"p\",\"index\":\"" +
                WarmUp.INDEX + "\",\"collection\":\"warmup\",\"body\":{\"topic\":\"all\",\"n\":1}}", true).join();
            String notification = null;
            String answer = null;
            for (int i = 0; i < 2; i++)
            {
                final String frame = frames.poll(10, TimeUnit.SECONDS);
                assertNotNull(frame, "the publish's answer and its notification come");
                if (frame.contains("\"type\":\"document\""))
                {
                    notification = frame;
                }
                else
                {
                    answer = frame;
                }
            }
            assertNotNull(answer);
            assertTrue(answer.contains("\"status\":200"), answer);
            assertNotNull(notification);
            assertTrue(notification.contains("\"n\":1"), notification);
            assertNull(frames.poll(500, TimeUnit.MILLISECONDS), "nothing else comes: no warm-up publish was left");
            socket.abort();
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void aClientConnectingDuringTheWarmUpWaitsAndIsServedOnceThePortOpens() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final ExecutorService starter = Executors.newSingleThreadExecutor();
        final Future<EmbeddedHerald> starting = starter.submit(() -> EmbeddedHerald.start(
            TestConfig.defaults().with(Map.of("edge.warmup", "3s")), data, KuzzleSdkEndToEndTest.freeUdpPorts(6), port,
            errors::add));
        try
        {
            // the port is bound before the warm-up: a connection is taken by the kernel while the edge warms up
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean connected = false;
            while (!connected && !starting.isDone() && System.nanoTime() < deadline)
            {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
                {
                    connected = true;
                }
                catch (final ConnectException notYet)
                {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            }
            assertTrue(connected, "a connection was taken while the edge was still starting (warming up)");

            final HttpClient http = HttpClient.newHttpClient();
            final TestClient client = new TestClient();
            final LinkedBlockingQueue<String> frames = client.messages;
            // the handshake is answered once the port opens, after the warm-up
            final WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"),
                client).get(60, TimeUnit.SECONDS);
            socket.sendText("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"n\"}", true).join();
            final String now = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(now, "server:now is answered");
            assertTrue(now.contains("\"status\":200"), now);
            socket.abort();
        }
        finally
        {
            starting.get(60, TimeUnit.SECONDS).close();
            starter.shutdown();
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void aWarmUpWhoseConnectionsAreRefusedEndsAtOnceAndClosesWhatItOpened() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults().with(Map.of(
            "edge.max.connections.per.address", "10")), data, KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            final WarmUp.Result result = WarmUp.run(URI.create("ws://127.0.0.1:" + herald.port()),
                TimeUnit.SECONDS.toNanos(30), TimeUnit.MILLISECONDS.toNanos(200));
            assertEquals(1, result.rounds(), result.toString());
            assertEquals("its connections were refused", result.ended(), result.toString());
            assertTrue(result.firstRefusal().contains("503"), result.toString());

            final HttpClient http = HttpClient.newHttpClient();
            final String metricsUrl = "http://127.0.0.1:" + herald.port() + "/metrics";
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String metrics;
            do
            {
                metrics = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            }
            while (counter(metrics, "herald_connections_opened_total\\{protocol=\"websocket\",edge=\"1\"\\}") !=
                counter(metrics, "herald_connections_closed_total\\{protocol=\"websocket\",edge=\"1\"\\}") &&
                System.nanoTime() < deadline);
            assertEquals(10, counter(metrics, "herald_connections_opened_total\\{protocol=\"websocket\",edge=\"1\"\\}"),
                "the ten the limit let in: " + metrics);
            assertEquals(10, counter(metrics, "herald_connections_closed_total\\{protocol=\"websocket\",edge=\"1\"\\}"),
                "every connection the warm-up opened is closed: " + metrics);
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private static long counter(final String metrics, final String sample)
    {
        final Matcher value = Pattern.compile("(?m)^" + sample + " (\\d+)").matcher(metrics);
        assertTrue(value.find(), sample + " in " + metrics);
        return Long.parseLong(value.group(1));
    }
}
