package io.herald.transport.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.transport.Counters;
import io.herald.transport.edge.plugin.ConnectionWriter;
import io.herald.transport.edge.plugin.IoThreadResponses;
import io.herald.transport.edge.plugin.PluginContext;
import io.herald.transport.edge.plugin.ProtocolPlugin;
import io.herald.transport.edge.plugin.SharedHttpPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.agrona.ErrorHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's client side: Netty I/O threads, the shared HTTP port (Kuzzle's 7512), and the {@link ProtocolPlugin}s
 * found on the classpath (HTTP and WebSocket ship), which take branches of that port or bind listeners of their own.
 * Plugins reach the edge through a {@link PluginContext} only. The server never closes a client with code 1000 (the
 * SDK would not reconnect): shutting down says 1001.
 */
public final class EdgeServer implements AutoCloseable
{
    /** Actions the edge serves, by controller, for {@code server:publicApi}; plugins add their routes to them. */
    private static final Map<String, List<String>> SERVED = Map.of(
        "server", List.of("now", "info", "publicApi"),
        "auth", List.of("checkToken"),
        "cluster", List.of("status"),
        "realtime", List.of("subscribe", "unsubscribe", "join", "publish", "count", "list", "validate"));

    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final EventLoopGroup group;
    private final SocketTransport transport;
    private final EdgeConnections connections = new EdgeConnections();
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final RequestSink sink;
    private Counters counters = Counters.inMemory();
    private ErrorHandler errorLog;
    private SslContext tls;
    private int maxConnections = Integer.MAX_VALUE;
    private int maxConnectionsPerAddress = Integer.MAX_VALUE;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private QuietErrors quietErrors = new QuietErrors(counters.get(HeraldCounter.CLIENT_SOCKET_ERRORS),
        counters.get(HeraldCounter.EDGE_ERRORS), null);
    private IoThreadResponses responses = new IoThreadResponses(counters);
    private final MetricsEndpoint metrics = new MetricsEndpoint(() -> counters.reader());
    private final Context context = new Context();
    private final List<ProtocolPlugin> plugins = new ArrayList<>();
    private Map<String, String> settings = Map.of();
    private Channel listener;
    private Channel loopback;
    private List<String> protocols = List.of();
    private ObjectNode publicApi = JsonNodeFactory.instance.objectNode();
    private long httpRequestTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long httpIdleTimeoutNs = TimeUnit.SECONDS.toNanos(60);

    public EdgeServer(final String host, final int port, final int ioThreads, final int maxFrameBytes,
        final RequestSink sink)
    {
        this(host, port, ioThreads, maxFrameBytes, sink, SocketTransport.of("auto"));
    }

    /**
     * @param transport how the I/O threads drive their sockets ({@code edge.transport}).
     */
    public EdgeServer(final String host, final int port, final int ioThreads, final int maxFrameBytes,
        final RequestSink sink, final SocketTransport transport)
    {
        this.host = host;
        this.port = port;
        this.maxFrameBytes = maxFrameBytes;
        this.sink = sink;
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, transport.ioHandlerFactory());
        connections.counters(counters);
    }

    /**
     * @return how the I/O threads drive their sockets.
     */
    public SocketTransport transport()
    {
        return transport;
    }

    /**
     * @see EdgeConnections#maxPendingBytes
     * @return this.
     */
    /**
     * @param context TLS for the shared port (then {@code wss://} and {@code https://} only) and for the listeners of
     *                plugins that offer it (MQTT on {@code edge.mqtt.tls.port}); null for none.
     * @return this.
     */
    public EdgeServer tls(final SslContext context)
    {
        this.tls = context;
        return this;
    }

    /**
     * @return true when the shared port speaks TLS.
     */
    public boolean isTls()
    {
        return null != tls;
    }

    /**
     * @param total      connections the edge holds at most ({@code edge.max.connections}).
     * @param perAddress connections one remote address may hold ({@code edge.max.connections.per.address}), 0 for
     *                   no limit.
     * @return this.
     */
    public EdgeServer connectionLimits(final int total, final int perAddress)
    {
        this.maxConnections = total;
        this.maxConnectionsPerAddress = perAddress <= 0 ? Integer.MAX_VALUE : perAddress;
        return this;
    }

    public EdgeServer maxPendingBytes(final long bytes)
    {
        connections.maxPendingBytes(bytes);
        return this;
    }

    /**
     * @param requestTimeoutNs an HTTP request (a WebSocket handshake included) must arrive whole within this of its
     *                         first byte, or it is answered 408 and its socket closed.
     * @param idleTimeoutNs    an HTTP socket that sends nothing this long, before its first request or between two,
     *                         is closed; WebSocket connections are not concerned.
     * @return this.
     */
    public EdgeServer httpTimeouts(final long requestTimeoutNs, final long idleTimeoutNs)
    {
        this.httpRequestTimeoutNs = requestTimeoutNs;
        this.httpIdleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /**
     * @param settings the config file's settings plugins may read ({@link PluginContext#setting}).
     * @return this.
     */
    public EdgeServer pluginSettings(final Map<String, String> settings)
    {
        this.settings = Map.copyOf(settings);
        return this;
    }

    /**
     * @param counters where the edge counts (its process's counters file); in memory unless set.
     * @return this.
     */
    public EdgeServer counters(final Counters counters)
    {
        this.counters = counters;
        this.responses = new IoThreadResponses(counters);
        this.quietErrors = new QuietErrors(counters.get(HeraldCounter.CLIENT_SOCKET_ERRORS),
            counters.get(HeraldCounter.EDGE_ERRORS), errorLog);
        connections.counters(counters);
        return this;
    }

    /**
     * @param log the process's error log ({@code io.herald.transport.ErrorLog}), where the errors the I/O threads
     *            survive go; printed unless set.
     * @return this.
     */
    public EdgeServer errorLog(final ErrorHandler log)
    {
        this.errorLog = log;
        this.quietErrors = new QuietErrors(counters.get(HeraldCounter.CLIENT_SOCKET_ERRORS),
            counters.get(HeraldCounter.EDGE_ERRORS), log);
        return this;
    }

    /**
     * @return the edge's counters.
     */
    public Counters counters()
    {
        return counters;
    }

    /**
     * @return connections that ended on a client's error (reset, broken pipe, a frame refused), not logged.
     */
    public long clientErrors()
    {
        return counters.get(HeraldCounter.CLIENT_SOCKET_ERRORS).get();
    }

    /**
     * Loads the plugins, binds the port and starts the plugins' own listeners: the edge serves clients.
     */
    public EdgeServer start() throws InterruptedException
    {
        return bind().open();
    }

    /**
     * Loads the plugins and binds the port without accepting on it yet: a port taken fails here, and clients that
     * connect wait in its backlog until {@link #open()}.
     */
    public EdgeServer bind() throws InterruptedException
    {
        ServiceLoader.load(ProtocolPlugin.class, EdgeServer.class.getClassLoader()).forEach(plugins::add);
        plugins.sort(Comparator.comparingInt(ProtocolPlugin::order));
        if (plugins.isEmpty())
        {
            throw new IllegalStateException("no protocol plugin on the classpath");
        }
        publicApi = describe();
        listener = bootstrap(true).option(ChannelOption.AUTO_READ, false).bind(host, port).sync().channel();
        return this;
    }

    /**
     * Between {@link #bind()} and {@link #open()}: a listener on an ephemeral loopback port, for this process's own
     * warm-up, served at once and in plain text even with TLS set; {@link #open()} closes it (connections it took stay
     * as they are).
     *
     * @return its port.
     */
    public int openLoopback() throws InterruptedException
    {
        loopback = bootstrap(false).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        return ((InetSocketAddress)loopback.localAddress()).getPort();
    }

    /**
     * Accepts clients on the port bound by {@link #bind()}, starts the plugins' own listeners and closes the loopback
     * listener, if one was opened.
     */
    public EdgeServer open() throws InterruptedException
    {
        listener.config().setAutoRead(true);
        for (final ProtocolPlugin plugin : plugins)
        {
            try
            {
                plugin.start(context);
            }
            catch (final InterruptedException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("the " + plugin.name() + " plugin did not start: " + ex.getMessage(),
                    ex);
            }
        }
        protocols = plugins.stream().map(ProtocolPlugin::name).toList();
        if (null != loopback)
        {
            loopback.close().syncUninterruptibly();
        }
        return this;
    }

    private ServerBootstrap bootstrap(final boolean withTls)
    {
        return new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    clients.add(channel);
                    if (withTls && null != tls)
                    {
                        channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                    }
                    SharedHttpPort.install(channel.pipeline(), maxFrameBytes, httpRequestTimeoutNs, httpIdleTimeoutNs,
                        responses);
                    channel.pipeline().addLast(metrics);
                    for (final ProtocolPlugin plugin : plugins)
                    {
                        plugin.installOnSharedPort(channel.pipeline(), context);
                    }
                    channel.pipeline().addLast(quietErrors);
                }
            });
    }

    private ObjectNode describe()
    {
        final ObjectNode api = JsonNodeFactory.instance.objectNode();
        SERVED.forEach((controller, actions) -> actions.forEach((action) ->
            api.withObjectProperty(controller).withObjectProperty(action).withArrayProperty("http")));
        for (final ProtocolPlugin plugin : plugins)
        {
            plugin.describe(api);
        }
        return api;
    }

    /**
     * @return Kuzzle's {@code server:publicApi} answer: what the edge serves, with the routes its plugins add. Not to
     *         be changed.
     */
    public ObjectNode publicApi()
    {
        return publicApi;
    }

    /**
     * @return the protocols served, in pipeline order.
     */
    public List<String> protocols()
    {
        return protocols;
    }

    /**
     * @param protocol a plugin's name, or its name and {@code -tls} for its secure listener.
     * @return the port of the named plugin's own listener, or -1 when it has none or is not loaded.
     */
    public int pluginPort(final String protocol)
    {
        for (final ProtocolPlugin plugin : plugins)
        {
            if (plugin.name().equals(protocol))
            {
                return plugin.port();
            }
            if ((plugin.name() + "-tls").equals(protocol))
            {
                return plugin.tlsPort();
            }
        }
        return -1;
    }

    /**
     * @return the port bound (useful when started on port 0).
     */
    public int port()
    {
        return ((InetSocketAddress)listener.localAddress()).getPort();
    }

    public EdgeConnections connections()
    {
        return connections;
    }

    /**
     * Stops listening, tells every client the server is going away (1001), and stops the I/O threads.
     */
    public void close()
    {
        for (final ProtocolPlugin plugin : plugins)
        {
            plugin.close();
        }
        if (null != listener)
        {
            listener.close().syncUninterruptibly();
        }
        if (null != loopback)
        {
            loopback.close().syncUninterruptibly();
        }
        clients.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server stopping"))
            .awaitUninterruptibly(1_000);
        clients.close().awaitUninterruptibly(1_000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Counts a connection that stays open, in total and for its remote address, until its socket closes.
     */
    private void holdUntilClosed(final Channel channel)
    {
        openConnections.incrementAndGet();
        final InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ?
            remote.getAddress() : null;
        if (null != address)
        {
            perAddress.computeIfAbsent(address, (key) -> new AtomicInteger()).incrementAndGet();
        }
        channel.closeFuture().addListener((future) ->
        {
            openConnections.decrementAndGet();
            if (null != address)
            {
                perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
        });
    }

    private int held(final InetAddress address)
    {
        final AtomicInteger count = perAddress.get(address);
        return null == count ? 0 : count.get();
    }

    private static HeraldCounter openedCounter(final String protocol)
    {
        return switch (protocol)
        {
            case "websocket" -> HeraldCounter.CONNECTIONS_OPENED;
            case "mqtt" -> HeraldCounter.MQTT_CONNECTIONS_OPENED;
            default -> HeraldCounter.OTHER_CONNECTIONS_OPENED;
        };
    }

    private static HeraldCounter closedCounter(final String protocol)
    {
        return switch (protocol)
        {
            case "websocket" -> HeraldCounter.CONNECTIONS_CLOSED;
            case "mqtt" -> HeraldCounter.MQTT_CONNECTIONS_CLOSED;
            default -> HeraldCounter.OTHER_CONNECTIONS_CLOSED;
        };
    }

    /**
     * What plugins see of the edge.
     */
    private final class Context implements PluginContext
    {
        public EventLoopGroup ioThreads()
        {
            return group;
        }

        public Class<? extends ServerChannel> serverChannel()
        {
            return transport.serverChannel();
        }

        public String host()
        {
            return host;
        }

        public int maxRequestBytes()
        {
            return maxFrameBytes;
        }

        public String setting(final String key, final String defaultValue)
        {
            return settings.getOrDefault(key, defaultValue);
        }

        public long open(final Channel channel, final String protocol, final ConnectionWriter writer)
        {
            clients.add(channel);
            counters.get(openedCounter(protocol)).increment();
            holdUntilClosed(channel);
            final long id = connections.open(channel, protocol, writer);
            sink.onOpen(id, protocol, String.valueOf(channel.remoteAddress()));
            return id;
        }

        public String refusal(final Channel channel)
        {
            String refusal = null;
            if (openConnections.get() >= maxConnections)
            {
                refusal = "the edge holds its maximum of " + maxConnections + " connections (edge.max.connections)";
            }
            else if (channel.remoteAddress() instanceof InetSocketAddress remote &&
                held(remote.getAddress()) >= maxConnectionsPerAddress)
            {
                refusal = remote.getAddress().getHostAddress() + " holds its maximum of " + maxConnectionsPerAddress +
                    " connections (edge.max.connections.per.address)";
            }
            if (null != refusal)
            {
                counters.get(HeraldCounter.CONNECTIONS_REFUSED).increment();
            }
            return refusal;
        }

        public long openOneShot(final Channel channel, final ConnectionWriter writer)
        {
            return connections.openOneShot(channel, writer);
        }

        public boolean submit(final long connectionId, final KuzzleRequest request)
        {
            if (sink.onRequest(connectionId, request))
            {
                return true;
            }
            counters.get(HeraldCounter.RING_FULL).increment();
            return false;
        }

        public void closed(final long connectionId)
        {
            final String protocol = connections.closed(connectionId);
            if (null != protocol)
            {
                counters.get(closedCounter(protocol)).increment();
            }
            sink.onClose(connectionId);
        }

        public void dropOneShot(final long connectionId)
        {
            connections.closed(connectionId);
        }

        public void leaveSharedHttp(final ChannelPipeline pipeline)
        {
            SharedHttpPort.leave(pipeline);
        }

        public ChannelHandler clientErrors()
        {
            return quietErrors;
        }

        public IoThreadResponses responses()
        {
            return responses;
        }

        public SslContext tls()
        {
            return tls;
        }
    }
}
