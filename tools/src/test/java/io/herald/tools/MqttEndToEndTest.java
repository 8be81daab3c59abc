package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.testing.Await;
import io.herald.engine.testing.TestClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kuzzle's MQTT protocol against a real edge and node, with a real MQTT client (Eclipse Paho) beside WebSocket
 * clients: requests on {@code Kuzzle/request}, answers on {@code Kuzzle/response} to the asking session only,
 * notifications on the channel's topic, across protocols; and what MQTT clients get wrong.
 */
class MqttEndToEndTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static File data;

    private static EmbeddedHerald herald;
    private static final List<Throwable> ERRORS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception
    {
        herald = EmbeddedHerald.start(TestConfig.defaults().with(Map.of("edge.mqtt.allow.pubsub", "true")), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, ERRORS::add);
        assertTrue(herald.mqttPort() > 0, "the MQTT listener is on");
        assertTrue(herald.protocols().contains("mqtt"), herald.protocols().toString());
    }

    @AfterAll
    static void stop()
    {
        herald.close();
        assertEquals(List.of(), ERRORS, "no component may report an error");
    }

    /**
     * An MQTT client as Kuzzle's MQTT clients are: it asks on Kuzzle/request and reads Kuzzle/response.
     */
    private static final class Device implements AutoCloseable
    {
        final MqttClient client;
        final LinkedBlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        volatile Throwable lost;

        Device() throws MqttException
        {
            this(true);
        }

        Device(final boolean subscribeResponses) throws MqttException
        {
            client = new MqttClient("tcp://127.0.0.1:" + herald.mqttPort(), "device-" + IDS.incrementAndGet(),
                new MemoryPersistence());
            client.setCallback(new MqttCallback()
            {
                public void connectionLost(final Throwable cause)
                {
                    lost = cause;
                }

                public void messageArrived(final String topic, final MqttMessage message)
                {
                    received.add(new String[]{topic, new String(message.getPayload(), StandardCharsets.UTF_8)});
                }

                public void deliveryComplete(final IMqttDeliveryToken token)
                {
                }
            });
            final MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            client.connect(options);
            if (subscribeResponses)
            {
                client.subscribe("Kuzzle/response", 0);
            }
        }

        /**
         * Publishes a request and returns its answer (other messages meanwhile are kept).
         */
        JsonNode ask(final String request, final int qos) throws Exception
        {
            final String requestId = JSON.readTree(request).path("requestId").asText();
            client.publish("Kuzzle/request", request.getBytes(StandardCharsets.UTF_8), qos, false);
            return awaitResponse(requestId);
        }

        JsonNode awaitResponse(final String requestId) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            final LinkedBlockingQueue<String[]> others = new LinkedBlockingQueue<>();
            try
            {
                while (System.nanoTime() < deadline)
                {
                    final String[] message = received.poll(100, TimeUnit.MILLISECONDS);
                    if (null == message)
                    {
                        continue;
                    }
                    final JsonNode json = JSON.readTree(message[1]);
                    if ("Kuzzle/response".equals(message[0]) && requestId.equals(json.path("requestId").asText()))
                    {
                        return json;
                    }
                    others.add(message);
                }
                throw new AssertionError("no answer to " + requestId + " within 10 s; received " + others.size());
            }
            finally
            {
                received.addAll(others);
            }
        }

        /**
         * @return the next message on {@code topic}, or null after the timeout.
         */
        JsonNode next(final String topic, final Duration timeout) throws Exception
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline)
            {
                final String[] message = received.poll(10, TimeUnit.MILLISECONDS);
                if (null != message && topic.equals(message[0]))
                {
                    return JSON.readTree(message[1]);
                }
            }
            return null;
        }

        public void close() throws MqttException
        {
            if (client.isConnected())
            {
                client.disconnect();
            }
            client.close();
        }
    }

    private static String request(final String controller, final String action, final String rest)
    {
        return "{\"controller\":\"" + controller + "\",\"action\":\"" + action + "\",\"requestId\":\"r" +
            IDS.incrementAndGet() + "\"" + rest + "}";
    }

    private static String subscribe(final String collection, final String filter, final String users)
    {
        return request("realtime", "subscribe", ",\"index\":\"iot\",\"collection\":\"" + collection +
            "\",\"body\":" + filter + ",\"users\":\"" + users + "\"");
    }

    private static String publish(final String collection, final String body)
    {
        return request("realtime", "publish", ",\"index\":\"iot\",\"collection\":\"" + collection + "\",\"body\":" +
            body);
    }

    @Test
    void theNpmMqttClientAndTheKuzzleSdkTalkThroughHerald() throws Exception
    {
        E2eSuite.run("mqtt.test.js", Map.of("HERALD_PORT", Integer.toString(herald.port()),
            "HERALD_MQTT_PORT", Integer.toString(herald.mqttPort())), 60);
    }

    @Test
    void aDeviceReceivesWhatAWebSocketClientPublishesAndTheOtherWayRound() throws Exception
    {
        final TestClient web = new TestClient();
        final WebSocket socket = TestClient.connect(web, herald.port(), "/");
        try (Device device = new Device())
        {
            final JsonNode subscribed = device.ask(subscribe("sensors", "{\"range\":{\"temp\":{\"gt\":30}}}", "none"),
                1);
            assertEquals(200, subscribed.path("status").asInt(), subscribed.toString());
            assertFalse(subscribed.has("room"), "answers carry no room over MQTT: " + subscribed);
            final String channel = subscribed.path("result").path("channel").asText();
            device.client.subscribe(channel, 0);

            assertEquals(200, web.ask(socket, publish("sensors", "{\"temp\":20}")).path("status").asInt());
            assertEquals(200, web.ask(socket, publish("sensors", "{\"temp\":35,\"id\":\"hot\"}")).path("status")
                .asInt());
            final JsonNode notification = device.next(channel, Duration.ofSeconds(10));
            assertNotNull(notification, "the device was notified");
            assertEquals("hot", notification.path("result").path("_source").path("id").asText(), notification.toString());
            assertEquals("websocket", notification.path("protocol").asText());
            assertFalse(notification.has("room"), "notifications carry no room over MQTT: " + notification);
            assertNull(device.next(channel, Duration.ofMillis(300)), "the cold reading matched nothing");

            final JsonNode wsSubscribed = web.ask(socket, subscribe("commands", "{\"equals\":{\"to\":\"d1\"}}",
                "none"));
            final String wsChannel = wsSubscribed.path("result").path("channel").asText();
            assertEquals(200, device.ask(publish("commands", "{\"to\":\"d1\",\"do\":\"reboot\"}"), 0).path("status")
                .asInt());
            final JsonNode command = notification(web, "a notification from the device");
            assertEquals(wsChannel, command.path("room").asText());
            assertEquals("mqtt", command.path("protocol").asText(), command.toString());
            assertEquals("reboot", command.path("result").path("_source").path("do").asText());
        }
        finally
        {
            socket.abort();
        }
    }

    @Test
    void documentsOfEverySizeUpToTheLimitTravelBothWays() throws Exception
    {
        final TestClient web = new TestClient();
        final WebSocket socket = TestClient.connect(web, herald.port(), "/");
        try (Device device = new Device())
        {
            final String channel = device.ask(subscribe("blobs", "{\"exists\":\"blob\"}", "none"), 1)
                .path("result").path("channel").asText();
            device.client.subscribe(channel, 0);
            web.ask(socket, subscribe("blobs", "{\"exists\":\"blob\"}", "none"));
            // past Aeron's ~1.4 KB fragment, past a 16 KiB MQTT remaining-length boundary, and large
            for (final int size : new int[]{1_500, 2_048, 16_400, 300_000})
            {
                final String blob = "x".repeat(size);
                assertEquals(200, web.ask(socket, publish("blobs", "{\"blob\":\"" + blob + "\",\"from\":\"web\"}"))
                    .path("status").asInt());
                final JsonNode toDevice = device.next(channel, Duration.ofSeconds(10));
                assertNotNull(toDevice, size + " bytes from WebSocket to MQTT");
                assertEquals(size, toDevice.path("result").path("_source").path("blob").asText().length());
                assertEquals(200, device.ask(publish("blobs", "{\"blob\":\"" + blob + "\",\"from\":\"mqtt\"}"), 1)
                    .path("status").asInt());
                final JsonNode toWeb = notification(web, size + " bytes from MQTT to WebSocket",
                    (message) -> "mqtt".equals(message.path("result").path("_source").path("from").asText()));
                assertEquals(size, toWeb.path("result").path("_source").path("blob").asText().length());
                device.next(channel, Duration.ofSeconds(10)); // its own publish comes back to it too
            }
        }
        finally
        {
            socket.abort();
        }
    }

    @Test
    void answersGoToTheAskingSessionOnlyAndUnsubscribeStopsDelivery() throws Exception
    {
        try (Device device = new Device(); Device other = new Device())
        {
            final JsonNode subscribed = device.ask(subscribe("doors", "{}", "none"), 2); // QoS 2: executed once
            final String roomId = subscribed.path("result").path("roomId").asText();
            final String channel = subscribed.path("result").path("channel").asText();
            device.client.subscribe(channel, 0);
            other.client.subscribe(channel, 0); // names the channel, holds no subscription: gets nothing
            assertNull(other.next("Kuzzle/response", Duration.ofMillis(300)), "another session's answer");

            final JsonNode count = device.ask(request("realtime", "count", ",\"body\":{\"roomId\":\"" + roomId + "\"}"),
                0);
            assertEquals(1, count.path("result").path("count").asInt(), count.toString());
            assertEquals(200, device.ask(publish("doors", "{\"open\":true}"), 1).path("status").asInt());
            assertNotNull(device.next(channel, Duration.ofSeconds(10)), "the subscriber was notified");
            assertNull(other.next(channel, Duration.ofMillis(300)), "only the session holding the subscription");

            final JsonNode unsubscribed = device.ask(request("realtime", "unsubscribe",
                ",\"body\":{\"roomId\":\"" + roomId + "\"}"), 1);
            assertEquals(200, unsubscribed.path("status").asInt(), unsubscribed.toString());
            assertEquals(200, device.ask(publish("doors", "{\"open\":false}"), 0).path("status").asInt());
            assertNull(device.next(channel, Duration.ofMillis(500)), "nothing after unsubscribe");
        }
    }

    @Test
    void userNotificationsAndCountsCrossProtocolsAndAClosedSessionLeavesItsRooms() throws Exception
    {
        final TestClient web = new TestClient();
        final WebSocket socket = TestClient.connect(web, herald.port(), "/");
        try
        {
            final JsonNode watching = web.ask(socket, subscribe("presence", "{}", "all"));
            final String roomId = watching.path("result").path("roomId").asText();
            final Device device = new Device();
            assertEquals(200, device.ask(subscribe("presence", "{}", "none"), 1).path("status").asInt());
            final JsonNode joined = notification(web, "the device's arrival",
                (message) -> message.path("result").path("count").asInt() == 2);
            assertEquals("user", joined.path("type").asText(), joined.toString());
            assertEquals("in", joined.path("user").asText(), joined.toString());
            assertEquals(2, joined.path("result").path("count").asInt());

            device.client.disconnectForcibly(0, 1000); // the socket drops without unsubscribing
            device.client.close();
            final JsonNode left = notification(web, "the device's departure",
                (message) -> "out".equals(message.path("user").asText()));
            assertEquals("out", left.path("user").asText(), left.toString());
            assertEquals(1, web.ask(socket, request("realtime", "count",
                ",\"body\":{\"roomId\":\"" + roomId + "\"}")).path("result").path("count").asInt());
            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + herald.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(Pattern.compile("herald_connections_closed_total\\{protocol=\"mqtt\"[^}]*\\} [1-9]")
                .matcher(metrics).find(), metrics);
        }
        finally
        {
            socket.abort();
        }
    }

    @Test
    void badInputIsAnsweredAndTheSessionStaysUsable() throws Exception
    {
        try (Device device = new Device())
        {
            device.client.publish("Kuzzle/request", "not json {".getBytes(StandardCharsets.UTF_8), 1, false);
            final JsonNode unreadable = device.next("Kuzzle/response", Duration.ofSeconds(10));
            assertEquals(400, unreadable.path("status").asInt(), String.valueOf(unreadable));
            assertEquals("network.mqtt.unexpected_error", unreadable.path("error").path("id").asText());

            final JsonNode unknown = device.ask(request("nope", "never", ""), 0);
            assertEquals(404, unknown.path("status").asInt(), unknown.toString());

            device.client.publish("Kuzzle/response", "{}".getBytes(StandardCharsets.UTF_8), 0, false);
            final JsonNode readOnly = device.next("Kuzzle/response", Duration.ofSeconds(10));
            assertEquals("network.mqtt.unexpected_error", readOnly.path("error").path("id").asText());
            assertTrue(readOnly.path("error").path("message").asText().contains("read-only"), readOnly.toString());

            for (final String refused : List.of("#", "sensors/+", "Kuzzle/request"))
            {
                assertEquals(0x80, grantedQos(device.client, refused), "SUBSCRIBE " + refused + " is refused");
            }
            // a flood of SUBSCRIBEs: a session holds at most 1,024 topics (Kuzzle/response is one), the rest refused
            int refusedTopics = 0;
            for (int i = 0; i < 1_100; i++)
            {
                refusedTopics += grantedQos(device.client, "flood/" + i) == 0x80 ? 1 : 0;
            }
            assertEquals(1_100 - 1_023, refusedTopics);
            assertTrue(device.client.isConnected(), "the session stays open");
            final JsonNode now = device.ask(request("server", "now", ""), 0);
            assertEquals(200, now.path("status").asInt(), now.toString());
            assertNull(device.lost);
        }
    }

    /**
     * @return the WebSocket client's next notification, whether it came while it waited for an answer or not.
     */
    private static JsonNode notification(final TestClient web, final String what) throws InterruptedException
    {
        return notification(web, what, (message) -> true);
    }

    /**
     * @return the WebSocket client's next notification that passes {@code wanted}; the others are dropped.
     */
    private static JsonNode notification(
        final TestClient web, final String what, final Predicate<JsonNode> wanted)
        throws InterruptedException
    {
        return Await.await(what, Duration.ofSeconds(10), () ->
        {
            final JsonNode kept = web.notifications.poll();
            if (null != kept)
            {
                return kept;
            }
            final String message = web.messages.poll();
            try
            {
                return null == message ? null : JSON.readTree(message);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, (message) -> null != message && wanted.test(message));
    }

    private static int grantedQos(final MqttClient client, final String topic) throws MqttException
    {
        try
        {
            final IMqttToken token = client.subscribeWithResponse(topic, 0);
            return token.getGrantedQos()[0];
        }
        catch (final MqttException ex)
        {
            return ex.getReasonCode(); // Paho turns a refused subscription into REASON_CODE_SUBSCRIBE_FAILED (128)
        }
    }

    @Test
    void clientsShareTheirOwnTopicsWhenPubSubIsOn() throws Exception
    {
        try (Device a = new Device(false); Device b = new Device(false))
        {
            b.client.subscribe("plant/line1", 0);
            a.client.publish("plant/line1", "{\"speed\":3}".getBytes(StandardCharsets.UTF_8), 1, false);
            final JsonNode relayed = b.next("plant/line1", Duration.ofSeconds(10));
            assertEquals(3, relayed.path("speed").asInt(), String.valueOf(relayed));
            assertNull(a.next("plant/line1", Duration.ofMillis(200)), "a did not subscribe");
        }
    }

    @Test
    void oversizedMalformedAndMqtt5PacketsEndOnlyTheirConnection() throws Exception
    {
        try (Device bystander = new Device())
        {
            // a PUBLISH announcing 100 MB: refused from its header, with a 413 on Kuzzle/response, then closed
            try (Socket raw = new Socket("127.0.0.1", herald.mqttPort()))
            {
                raw.setSoTimeout(10_000);
                final OutputStream out = raw.getOutputStream();
                out.write(connect(4, 0));
                assertEquals(0x20, readConnAck(raw.getInputStream())[0], "CONNACK");
                out.write(new byte[]{0x30, (byte)0x80, (byte)0x80, (byte)0x80, 0x30, 0, 14});
                out.write("Kuzzle/request".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final String answer = readUntilClosed(raw.getInputStream());
                assertTrue(answer.contains("\"status\":413"), answer);
            }
            // garbage instead of a CONNECT: closed
            try (Socket raw = new Socket("127.0.0.1", herald.mqttPort()))
            {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("", readUntilClosed(raw.getInputStream()));
            }
            // MQTT 5: CONNACK with reason 0x84 (unsupported protocol version), then closed
            try (Socket raw = new Socket("127.0.0.1", herald.mqttPort()))
            {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write(connect(5, 0));
                final byte[] connAck = readConnAck(raw.getInputStream());
                assertEquals(0x20, connAck[0]);
                assertEquals((byte)0x84, connAck[3], "reason code");
            }
            // keep-alive of 1 s and then silence: closed after 1.5 s
            try (Socket raw = new Socket("127.0.0.1", herald.mqttPort()))
            {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write(connect(4, 1));
                readConnAck(raw.getInputStream());
                final long started = System.nanoTime();
                assertEquals("", readUntilClosed(raw.getInputStream()));
                assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(1_400),
                    "closed before 1.5 keep-alive periods");
            }
            assertTrue(bystander.client.isConnected());
            assertEquals(200, bystander.ask(request("server", "now", ""), 1).path("status").asInt());
        }
    }

    /**
     * A CONNECT packet (clean session, client id "raw") of protocol level 4 (3.1.1) or 5.
     */
    private static byte[] connect(final int level, final int keepAliveSeconds)
    {
        final byte[] id = "raw".getBytes(StandardCharsets.US_ASCII);
        final boolean v5 = level == 5;
        final int remaining = 2 + 4 + 1 + 1 + 2 + (v5 ? 1 : 0) + 2 + id.length;
        final byte[] packet = new byte[2 + remaining];
        int i = 0;
        packet[i++] = 0x10;
        packet[i++] = (byte)remaining;
        packet[i++] = 0;
        packet[i++] = 4;
        for (final byte b : "MQTT".getBytes(StandardCharsets.US_ASCII))
        {
            packet[i++] = b;
        }
        packet[i++] = (byte)level;
        packet[i++] = 0x02; // clean session
        packet[i++] = (byte)(keepAliveSeconds >> 8);
        packet[i++] = (byte)keepAliveSeconds;
        if (v5)
        {
            packet[i++] = 0; // no properties
        }
        packet[i++] = 0;
        packet[i++] = (byte)id.length;
        System.arraycopy(id, 0, packet, i, id.length);
        return packet;
    }

    private static byte[] readConnAck(final InputStream in) throws Exception
    {
        final byte[] header = in.readNBytes(2);
        final byte[] body = in.readNBytes(header[1]);
        final byte[] packet = new byte[2 + body.length];
        System.arraycopy(header, 0, packet, 0, 2);
        System.arraycopy(body, 0, packet, 2, body.length);
        return packet;
    }

    private static String readUntilClosed(final InputStream in) throws Exception
    {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
