package io.herald.transport.edge.plugin.mqtt;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.RequestJson;
import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.RequestFrames;
import io.herald.transport.edge.plugin.RequestSubmitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.agrona.collections.IntHashSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT 3.1/3.1.1 session, as Kuzzle's MQTT protocol serves it: requests are the JSON of Kuzzle's API PUBLISHed
 * to {@code Kuzzle/request}, answers come back on {@code Kuzzle/response}, notifications on the topic named after
 * their channel once the session SUBSCRIBEd to it. Sessions are clean: their state lives as long as their connection.
 * <p>
 * Bad input answers a Kuzzle error on {@code Kuzzle/response} and keeps the session (an unreadable or refused request,
 * a publish on another topic, a subscription refused in its SUBACK); a malformed packet, a second CONNECT or anything before the first one closes the connection, as the specification requires (packets over
 * the size limit are stopped before the decoder buffers them: {@link MqttPacketLimit}).
 */
final class MqttSession extends SimpleChannelInboundHandler<MqttMessage>
{
    static final AttributeKey<MqttSession> KEY = AttributeKey.valueOf("herald.mqtt.session");
    static final String PROTOCOL = "mqtt";
    static final String REQUEST_TOPIC = "Kuzzle/request";
    /** Topics one session may subscribe to; further SUBSCRIBEs are refused in their SUBACK. */
    static final int MAX_TOPICS = 1024;
    /** Room for a PUBLISH's topic and header beyond the request limit in the decoder's packet limit. */
    static final int PACKET_OVERHEAD = 1024;
    private static final int SUBACK_FAILURE = 0x80;

    private final PluginContext context;
    private final MqttBroker broker;
    private final RequestSubmitter submitter;
    private long connectionId = -1;
    private MqttVersion version;
    private byte[][] topics = new byte[4][];
    private int topicCount;
    /** The will of a client of the plain broker, published if the connection ends without a DISCONNECT. */
    private String willTopic;
    private byte[] willMessage;
    /** QoS 2 requests received whose PUBREL has not come yet: a PUBLISH sent again is not executed again. */
    private IntHashSet unreleased;

    /**
     * @param broker the topics MQTT clients share with each other ({@code edge.mqtt.allow.pubsub}), or null.
     */
    MqttSession(final PluginContext context, final MqttBroker broker)
    {
        this.context = context;
        this.broker = broker;
        this.submitter = new RequestSubmitter(context, new RequestSubmitter.Outcome()
        {
            public void accepted(final ChannelHandlerContext ctx, final KuzzleRequest request, final int tag)
            {
                acknowledge(ctx, tag);
            }

            public void refused(
                final ChannelHandlerContext ctx, final KuzzleRequest request, final int tag,
                final KuzzleException error)
            {
                answer(ctx, request.requestId(), request, error);
                acknowledge(ctx, tag);
            }
        });
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final MqttMessage message)
    {
        if (message.decoderResult().isFailure())
        {
            onBadPacket(ctx, message);
            return;
        }
        final MqttMessageType type = message.fixedHeader().messageType();
        if (null == version && type != MqttMessageType.CONNECT)
        {
            ctx.close();
            return;
        }
        switch (type)
        {
            case CONNECT -> onConnect(ctx, (MqttConnectMessage)message);
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage)message);
            case PUBREL -> onRelease(ctx, (MqttMessageIdVariableHeader)message.variableHeader());
            case SUBSCRIBE -> onSubscribe(ctx, (MqttSubscribeMessage)message);
            case UNSUBSCRIBE -> onUnsubscribe(ctx, (MqttUnsubscribeMessage)message);
            case PINGREQ -> ctx.writeAndFlush(
                new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT ->
            {
                willTopic = null; // a clean end: the will is dropped [MQTT-3.14.4-3]
                ctx.close();
            }
            case PUBACK, PUBREC, PUBCOMP ->
            {
                // Herald publishes at QoS 0 only: nothing to acknowledge
            }
            default -> ctx.close(); // CONNACK, SUBACK... are the server's to send
        }
    }

    private void onConnect(final ChannelHandlerContext ctx, final MqttConnectMessage connect)
    {
        if (null != version)
        {
            ctx.close(); // a second CONNECT is a protocol violation [MQTT-3.1.0-2]
            return;
        }
        final MqttVersion asked = MqttVersion.fromProtocolNameAndLevel(
            connect.variableHeader().name(), (byte)connect.variableHeader().version());
        if (asked == MqttVersion.MQTT_5)
        {
            refuseConnect(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        if (connect.payload().clientIdentifier().isEmpty() && !connect.variableHeader().isCleanSession())
        {
            // a session kept across connections needs a client id [MQTT-3.1.3-8]; Herald keeps none anyway
            refuseConnect(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        final String full = context.refusal(ctx.channel());
        if (null != full)
        {
            refuseConnect(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE); // 3.1.1 has no reason text
            return;
        }
        version = asked;
        if (null != broker && connect.variableHeader().isWillFlag() &&
            null == MqttBroker.refusal(connect.payload().willTopic(), true))
        {
            willTopic = connect.payload().willTopic();
            willMessage = connect.payload().willMessageInBytes();
        }
        final int keepAliveSeconds = connect.variableHeader().keepAliveTimeSeconds();
        final IdleStateHandler connectDeadline = ctx.pipeline().get(IdleStateHandler.class);
        if (null != connectDeadline)
        {
            ctx.pipeline().remove(connectDeadline);
        }
        if (keepAliveSeconds > 0)
        {
            // silent for one and a half keep-alive periods: the client is gone [MQTT-3.1.2-24]
            ctx.pipeline().addBefore(ctx.name(), "keep-alive",
                new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        ctx.channel().attr(KEY).set(this);
        connectionId = context.open(ctx.channel(), PROTOCOL, MqttFrames.WRITER);
        ctx.writeAndFlush(MqttMessageBuilders.connAck()
            .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
            .sessionPresent(false)
            .build());
    }

    private static void refuseConnect(final ChannelHandlerContext ctx, final MqttConnectReturnCode code)
    {
        final MqttConnAckMessage refusal = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
    }

    private void onPublish(final ChannelHandlerContext ctx, final MqttPublishMessage publish)
    {
        final String topic = publish.variableHeader().topicName();
        final MqttQoS qos = publish.fixedHeader().qosLevel();
        final int tag = qos == MqttQoS.AT_MOST_ONCE ? 0 : (qos.value() << 16) | publish.variableHeader().packetId();
        if (qos == MqttQoS.EXACTLY_ONCE && !firstDelivery(publish.variableHeader().packetId()))
        {
            acknowledge(ctx, tag); // the PUBREC was lost: the request went through once already
            return;
        }
        if (REQUEST_TOPIC.equals(topic))
        {
            onRequest(ctx, publish.payload(), tag);
            return;
        }
        final String refusal = MqttBroker.refusal(topic, null != broker);
        if (null != refusal)
        {
            answer(ctx, null, null, new KuzzleException(KuzzleError.MQTT_ERROR, refusal));
        }
        else
        {
            broker.publish(ctx.channel(), topic, publish.payload());
        }
        acknowledge(ctx, tag);
    }

    private void onRequest(final ChannelHandlerContext ctx, final ByteBuf payload, final int tag)
    {
        final int length = payload.readableBytes();
        if (length > context.maxRequestBytes())
        {
            answer(ctx, RequestJson.findRequestId(new ByteBufInputStream(payload.duplicate())), null,
                new KuzzleException(KuzzleError.REQUEST_TOO_LARGE, length, context.maxRequestBytes()));
            acknowledge(ctx, tag);
            return;
        }
        final KuzzleRequest request;
        try
        {
            final RequestJson.Frame frame = RequestFrames.read(payload);
            try
            {
                request = KuzzleRequest.of(frame, PROTOCOL);
            }
            catch (final KuzzleException ex)
            {
                answer(ctx, KuzzleRequest.requestIdOf(frame.tree()), null, ex);
                acknowledge(ctx, tag);
                return;
            }
        }
        catch (final IOException ex)
        {
            // Kuzzle's MQTT protocol answers an unreadable payload with network.mqtt.unexpected_error
            answer(ctx, RequestJson.findRequestId(new ByteBufInputStream(payload.duplicate())), null,
                new KuzzleException(KuzzleError.MQTT_ERROR, RequestJson.invalid("the payload", ex).getMessage()));
            acknowledge(ctx, tag);
            return;
        }
        submitter.submit(ctx, connectionId, request, tag);
    }

    private boolean firstDelivery(final int packetId)
    {
        if (null == unreleased)
        {
            unreleased = new IntHashSet();
        }
        return unreleased.add(packetId);
    }

    private void onRelease(final ChannelHandlerContext ctx, final MqttMessageIdVariableHeader id)
    {
        if (null != unreleased)
        {
            unreleased.remove(id.messageId());
        }
        ctx.writeAndFlush(new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 2), id));
    }

    /**
     * A QoS 1 request is acknowledged (PUBACK) once the edge took it or answered it; a QoS 2 one gets its PUBREC.
     */
    private static void acknowledge(final ChannelHandlerContext ctx, final int tag)
    {
        if (0 == tag)
        {
            return;
        }
        final MqttMessageType type = (tag >>> 16) == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 2),
            MqttMessageIdVariableHeader.from(tag & 0xFFFF)));
    }

    private void onSubscribe(final ChannelHandlerContext ctx, final MqttSubscribeMessage subscribe)
    {
        final List<MqttTopicSubscription> asked = subscribe.payload().topicSubscriptions();
        final int[] granted = new int[asked.size()];
        for (int i = 0; i < granted.length; i++)
        {
            final String topic = asked.get(i).topicFilter();
            if (null != MqttBroker.subscribeRefusal(topic) || !addTopic(topic))
            {
                granted[i] = SUBACK_FAILURE;
            }
            else
            {
                // everything Herald sends is QoS 0 [MQTT-3.8.4-6 allows granting less than asked]
                granted[i] = MqttQoS.AT_MOST_ONCE.value();
                if (null != broker && !MqttFrames.RESPONSE_TOPIC.equals(topic))
                {
                    broker.subscribe(topic, ctx.channel());
                }
            }
        }
        ctx.writeAndFlush(new MqttSubAckMessage(
            new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()), new MqttSubAckPayload(granted)));
    }

    private void onUnsubscribe(final ChannelHandlerContext ctx, final MqttUnsubscribeMessage unsubscribe)
    {
        for (final String topic : unsubscribe.payload().topics())
        {
            removeTopic(topic);
            if (null != broker)
            {
                broker.unsubscribe(topic, ctx.channel());
            }
        }
        ctx.writeAndFlush(new MqttUnsubAckMessage(
            new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    private boolean addTopic(final String topic)
    {
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        if (indexOf(bytes, 0, bytes.length) >= 0)
        {
            return true;
        }
        if (topicCount == MAX_TOPICS)
        {
            return false;
        }
        if (topicCount == topics.length)
        {
            topics = Arrays.copyOf(topics, topicCount * 2);
        }
        topics[topicCount++] = bytes;
        return true;
    }

    private void removeTopic(final String topic)
    {
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        final int index = indexOf(bytes, 0, bytes.length);
        if (index >= 0)
        {
            topics[index] = topics[--topicCount];
            topics[topicCount] = null;
        }
    }

    /**
     * @return true when the session SUBSCRIBEd to the topic {@code name[from..to)} (UTF-8). Event loop only.
     */
    boolean isSubscribed(final byte[] name, final int from, final int to)
    {
        return indexOf(name, from, to) >= 0;
    }

    private int indexOf(final byte[] name, final int from, final int to)
    {
        for (int i = 0; i < topicCount; i++)
        {
            if (Arrays.equals(topics[i], 0, topics[i].length, name, from, to))
            {
                return i;
            }
        }
        return -1;
    }

    private void onBadPacket(final ChannelHandlerContext ctx, final MqttMessage message)
    {
        final Throwable cause = message.decoderResult().cause();
        if (null == version && cause instanceof MqttUnacceptableProtocolVersionException)
        {
            refuseConnect(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
        else if (null == version && cause instanceof MqttIdentifierRejectedException)
        {
            refuseConnect(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        else
        {
            ctx.close(); // a malformed packet: the connection is closed [MQTT-4.8.0-1]
        }
    }

    /**
     * Answers an error on {@code Kuzzle/response}.
     */
    private void answer(
        final ChannelHandlerContext ctx, final String requestId, final KuzzleRequest request,
        final KuzzleException error)
    {
        MqttFrames.WRITER.write(ctx.channel(), context.responses().writer().error(requestId, request, error));
        ctx.flush();
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent)
        {
            ctx.close(); // no CONNECT in time, or silent for 1.5 keep-alive periods
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (connectionId >= 0)
        {
            context.closed(connectionId);
            connectionId = -1;
        }
        if (null != willTopic)
        {
            broker.publish(ctx.channel(), willTopic, Unpooled.wrappedBuffer(willMessage));
            willTopic = null;
        }
        super.channelInactive(ctx);
    }
}
