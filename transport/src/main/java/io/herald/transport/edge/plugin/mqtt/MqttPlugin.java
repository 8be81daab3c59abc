package io.herald.transport.edge.plugin.mqtt;

import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.ProtocolPlugin;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Kuzzle's MQTT protocol (MQTT 3.1 and 3.1.1 over TCP), on a listener of its own: {@code edge.mqtt.port} (1883 in
 * Herald's config; off when the setting is absent, as in an edge built without the config file), and over TLS on
 * {@code edge.mqtt.tls.port} (8883) when the edge has a certificate. Netty's MQTT codec
 * reads and writes the packets; {@link MqttSession} is the protocol.
 */
public final class MqttPlugin implements ProtocolPlugin
{
    public static final String PROTOCOL = MqttSession.PROTOCOL;
    public static final String PORT_SETTING = "edge.mqtt.port";
    public static final String PUBSUB_SETTING = "edge.mqtt.allow.pubsub";
    public static final String TLS_PORT_SETTING = "edge.mqtt.tls.port";
    /** A socket that sends no CONNECT this long after it opened is closed. */
    static final long CONNECT_TIMEOUT_MS = 10_000;
    /** Client ids longer than this are refused (Netty's default is 23, the 3.1 limit; 3.1.1 allows more). */
    private static final int MAX_CLIENT_ID_LENGTH = 256;

    private Channel listener;
    private Channel tlsListener;

    public String name()
    {
        return MqttSession.PROTOCOL;
    }

    public void start(final PluginContext context) throws InterruptedException
    {
        final String port = context.setting(PORT_SETTING, null);
        if (null == port)
        {
            return;
        }
        final MqttBroker broker = Boolean.parseBoolean(context.setting(PUBSUB_SETTING, "false")) ?
            new MqttBroker() : null;
        final int maxPacket = context.maxRequestBytes() + MqttSession.PACKET_OVERHEAD;
        listener = listen(context, broker, maxPacket, null, Integer.parseInt(port));
        final String tlsPort = context.setting(TLS_PORT_SETTING, null);
        if (null != context.tls() && null != tlsPort)
        {
            tlsListener = listen(context, broker, maxPacket, context.tls(), Integer.parseInt(tlsPort));
        }
    }

    private static Channel listen(
        final PluginContext context, final MqttBroker broker, final int maxPacket, final SslContext tls,
        final int port) throws InterruptedException
    {
        return new ServerBootstrap()
            .group(context.ioThreads())
            .channel(context.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    if (null != tls)
                    {
                        channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                    }
                    channel.pipeline()
                        .addLast(new MqttPacketLimit(maxPacket, context.responses()))
                        .addLast(new MqttDecoder(maxPacket, MAX_CLIENT_ID_LENGTH))
                        .addLast(MqttEncoder.INSTANCE)
                        .addLast(new IdleStateHandler(CONNECT_TIMEOUT_MS, 0, 0, TimeUnit.MILLISECONDS))
                        .addLast(new MqttSession(context, broker))
                        .addLast(context.clientErrors());
                }
            })
            .bind(context.host(), port).sync().channel();
    }

    /**
     * @return the port of the MQTT over TLS listener, or -1 when it is off.
     */
    public int tlsPort()
    {
        return null == tlsListener ? -1 : ((InetSocketAddress)tlsListener.localAddress()).getPort();
    }

    public int port()
    {
        return null == listener ? -1 : ((InetSocketAddress)listener.localAddress()).getPort();
    }

    public void close()
    {
        for (final Channel open : new Channel[]{listener, tlsListener})
        {
            if (null != open)
            {
                open.close().syncUninterruptibly();
            }
        }
    }
}
