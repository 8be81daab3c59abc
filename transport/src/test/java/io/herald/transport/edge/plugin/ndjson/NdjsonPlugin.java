package io.herald.transport.edge.plugin.ndjson;

import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.ProtocolPlugin;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * The README's example protocol plugin: Kuzzle requests as line-delimited JSON over plain TCP, one request per line,
 * answers and notifications one per line. It binds a listener of its own on {@code plugin.ndjson.port} (off when that
 * setting is absent) and sees the edge only through its {@link PluginContext}. Registered for the tests by
 * {@code src/test/resources/META-INF/services/io.herald.transport.edge.plugin.ProtocolPlugin}.
 */
public final class NdjsonPlugin implements ProtocolPlugin
{
    public static final String PORT_SETTING = "plugin.ndjson.port";
    static final String PROTOCOL = "ndjson";

    private Channel listener;

    public String name()
    {
        return PROTOCOL;
    }

    public void start(final PluginContext context) throws InterruptedException
    {
        final String port = context.setting(PORT_SETTING, null);
        if (null == port)
        {
            return;
        }
        listener = new ServerBootstrap()
            .group(context.ioThreads())
            .channel(context.serverChannel())
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(new LineBasedFrameDecoder(context.maxRequestBytes()))
                        .addLast(new NdjsonHandler(context))
                        .addLast(context.clientErrors());
                }
            })
            .bind(context.host(), Integer.parseInt(port)).sync().channel();
    }

    public void close()
    {
        if (null != listener)
        {
            listener.close().syncUninterruptibly();
        }
    }
}
