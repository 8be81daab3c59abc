package io.herald.tools;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.NullCredentialsSupplier;
import io.herald.engine.counters.HeraldCounter;
import io.herald.tools.config.ConfigException;
import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;
import io.herald.tools.bench.WarmUp;
import io.herald.tools.config.IdleStrategies;
import io.herald.transport.Counters;
import io.herald.transport.ErrorLog;
import io.herald.transport.GuestAgent;
import io.herald.transport.edge.ClusterLink;
import io.herald.transport.edge.ConnectionTable;
import io.herald.transport.edge.EdgeContext;
import io.herald.transport.edge.EdgeServer;
import io.herald.transport.edge.JwtTokens;
import io.herald.transport.edge.ReadLink;
import io.herald.transport.edge.RequestRing;
import io.herald.transport.edge.SocketTransport;
import io.herald.transport.edge.RouterAgent;
import io.herald.transport.edge.plugin.mqtt.MqttPlugin;
import io.herald.transport.link.LinkStreams;
import io.herald.transport.node.ClusterMembers;
import io.herald.transport.node.DriverDirectory;
import io.herald.transport.node.NodeService;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The edge role from a config file: the WebSocket/HTTP listener, the request ring and the router agent, a cluster
 * session for writes and a read link to a node. Runs on its own media driver ({@code <data>/edge-<id>/driver}), or
 * on a given one when it shares a process with a node.
 */
final class EdgeProcess implements AutoCloseable
{
    /** How long each round of the warm-up publishes. */
    private static final long WARMUP_ROUND_NS = TimeUnit.MILLISECONDS.toNanos(1_000);

    private final MediaDriver driver;
    private final Aeron aeron;
    private final EdgeServer server;
    /** The router's thread, or its place in the node service's duty cycle ({@code agent.router.thread}). */
    private final AutoCloseable router;
    private final ConnectionTable table;
    private final Counters counters;
    private final ErrorLog errorLog;
    private final RightsFile rights;

    private EdgeProcess(
        final MediaDriver driver, final Aeron aeron, final EdgeServer server, final AutoCloseable router,
        final ConnectionTable table, final Counters counters, final ErrorLog errorLog, final RightsFile rights)
    {
        this.errorLog = errorLog;
        this.counters = counters;
        this.table = table;
        this.driver = driver;
        this.aeron = aeron;
        this.server = server;
        this.router = router;
        this.rights = rights;
    }

    /**
     * @param aeronDirectory a running media driver's directory, or null to launch one.
     * @param port           the WebSocket/HTTP port (0 for any), overriding {@code edge.port}.
     * @param alsoTo         hears every error the edge survives besides its error log
     *                       ({@code <data>/edge-<id>/errors.dat}), or null.
     */
    static EdgeProcess start(
        final HeraldConfig config, final File data, final String aeronDirectory, final int port,
        final ErrorHandler alsoTo) throws InterruptedException
    {
        return start(config, data, aeronDirectory, port, alsoTo, null);
    }

    /**
     * @param colocated the only node shares this process and {@code aeronDirectory}'s driver (a one-member
     *                  {@code herald up}): reads and their answers go over {@link LinkStreams#ipcChannel}, and the
     *                  router and the node's service wake each other; or null.
     */
    static EdgeProcess start(
        final HeraldConfig config, final File data, final String aeronDirectory, final int port,
        final ErrorHandler alsoTo, final Colocated colocated) throws InterruptedException
    {
        final boolean ipcReads = null != colocated;
        final int edgeId = config.get(HeraldSettings.EDGE_ID);
        final ClusterMembers members = config.get(HeraldSettings.CLUSTER_MEMBERS);
        final String host = config.get(HeraldSettings.EDGE_AERON_HOST);
        MediaDriver driver = null;
        Aeron aeron = null;
        EdgeServer server = null;
        ConnectionTable table = null;
        Counters counters = null;
        RightsFile rights = null;
        final String rightsPath = config.get(HeraldSettings.AUTH_RIGHTS_FILE);
        final ErrorLog errorLog = ErrorLog.create(directory(data, edgeId), System.out).alsoTo(alsoTo);
        final ErrorHandler errorHandler = errorLog;
        try
        {
            table = ConnectionTable.create(directory(data, edgeId), config.get(HeraldSettings.EDGE_MAX_CONNECTIONS));
            if (table.leftByPreviousRun() > 0)
            {
                System.out.println("herald: edge " + edgeId + "'s previous run died with " +
                    table.leftByPreviousRun() + " connection(s) open; the cluster drops their subscriptions");
            }
            if (null == aeronDirectory)
            {
                driver = MediaDriver.launch(NodeProcess.options(config).mediaDriverContext(
                    DriverDirectory.forDriver(directory(data, edgeId)), errorHandler));
            }
            final String directory = null == driver ? aeronDirectory : driver.aeronDirectoryName();
            final byte[] secret = clusterSecret(config);
            // every publication that may carry a client's data holds the largest request (see termLengthFor)
            final int termLength = NodeProcess.options(config).termLength();
            final String answerChannel = ipcReads ? LinkStreams.ipcChannel(termLength) : "aeron:udp?endpoint=" + host +
                ":" + config.get(HeraldSettings.EDGE_ANSWER_PORT) + "|term-length=" + termLength;
            final ClusterLink link = new ClusterLink(new AeronCluster.Context()
                .aeronDirectoryName(directory)
                .ingressChannel("aeron:udp?term-length=" + termLength)
                .ingressEndpoints(members.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=" + host + ":0|term-length=" + termLength)
                .credentialsSupplier(credentials(secret))
                .errorHandler(errorHandler), edgeId, answerChannel);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory).errorHandler(errorHandler));
            final List<String> readChannels = new ArrayList<>();
            for (int node = 0; node < members.size(); node++)
            {
                readChannels.add(ipcReads ? LinkStreams.ipcChannel(termLength) :
                    members.readChannel(node) + "|term-length=" + termLength);
            }
            final ReadLink reads = new ReadLink(aeron, readChannels, answerChannel, edgeId)
                .readKey(LinkStreams.readKey(secret));
            counters = Counters.allocate(aeron, HeraldCounter.Role.EDGE, "edge=\"" + edgeId + "\"");
            errorLog.countInto(counters.get(HeraldCounter.EDGE_ERRORS));
            final RequestRing ring = new RequestRing(config.get(HeraldSettings.EDGE_RING_SIZE));
            if (ipcReads)
            {
                ring.wakeConsumer(colocated::wakeRouter);
            }
            server = new EdgeServer(config.get(HeraldSettings.EDGE_HOST), port,
                config.get(HeraldSettings.EDGE_IO_THREADS), config.get(HeraldSettings.EDGE_MAX_FRAME_BYTES), ring,
                SocketTransport.of(config.get(HeraldSettings.EDGE_TRANSPORT)))
                .maxPendingBytes(config.get(HeraldSettings.EDGE_MAX_PENDING_BYTES))
                .tls(tls(config))
                .connectionLimits(config.get(HeraldSettings.EDGE_MAX_CONNECTIONS),
                    config.get(HeraldSettings.EDGE_MAX_CONNECTIONS_PER_ADDRESS))
                .httpTimeouts(config.get(HeraldSettings.EDGE_HTTP_REQUEST_TIMEOUT),
                    config.get(HeraldSettings.EDGE_HTTP_IDLE_TIMEOUT))
                .pluginSettings(pluginSettings(config, port))
                .counters(counters)
                .errorLog(errorLog)
                .bind();
            final EdgeContext context = new EdgeContext()
                .ring(ring)
                .connections(server.connections())
                .version(EmbeddedHerald.version())
                .clusterLink(link)
                .readLink(reads)
                .readsSent(ipcReads ? colocated::wakeService : null)
                .requestTimeoutMs(TimeUnit.NANOSECONDS.toMillis(config.get(HeraldSettings.EDGE_REQUEST_TIMEOUT)))
                .readFailoverNs(config.get(HeraldSettings.EDGE_READ_FAILOVER))
                .maxRequestBytes(config.get(HeraldSettings.EDGE_MAX_FRAME_BYTES))
                .publicApi(server.publicApi())
                .counters(counters)
                .connectionTable(table)
                .errorLog(errorLog)
                .requestsPerSecond(config.get(HeraldSettings.EDGE_LIMIT_REQUESTS))
                .subscriptionsPerConnection(config.get(HeraldSettings.EDGE_LIMIT_SUBSCRIPTIONS))
                .tokenVerifier(tokens(config))
                .rights(rightsPath.isEmpty() ? null : RightsFile.load(Path.of(rightsPath)));
            final RouterAgent routerAgent = new RouterAgent(context); // concludes the context
            if (!rightsPath.isEmpty())
            {
                rights = RightsFile.watch(Path.of(rightsPath), context.users(), errorLog);
            }
            final AutoCloseable router;
            if (ipcReads && colocated.routerOnService() && null != colocated.host().get())
            {
                // agent.router.thread=service: no thread of its own; the node's service runs it (Colocated)
                final GuestAgent guest = new GuestAgent(routerAgent, errorHandler);
                final NodeService service = colocated.host().get();
                service.guest(guest);
                colocated.wakeService();
                router = () ->
                {
                    service.guest(null);
                    guest.close();
                };
            }
            else
            {
                final AgentRunner runner = new AgentRunner(ipcReads && null != colocated.router() ?
                    colocated.router() : IdleStrategies.of(config.get(HeraldSettings.ROUTER_IDLE),
                    config.get(HeraldSettings.AGENT_IDLE_MAX_PARK)).get(), errorHandler, null, routerAgent);
                AgentRunner.startOnThread(runner);
                router = runner;
            }
            warmUp(server, config.get(HeraldSettings.EDGE_WARMUP));
            server.open();
            return new EdgeProcess(driver, aeron, server, router, table, counters, errorLog, rights);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            CloseHelper.quietCloseAll(rights, server, counters, aeron, driver, table, errorLog);
            throw ex;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(rights, server, counters, aeron, driver, table, errorLog);
            throw new ConfigException("auth.rights.file " + rightsPath + ": " + ex.getMessage());
        }
    }

    /**
     * {@code edge.warmup}: client traffic to a loopback listener of the server's until the JIT compiler is quiet
     * ({@link WarmUp}), said on standard output; a warm-up that fails is said too, and the port opens anyway.
     */
    private static void warmUp(final EdgeServer server, final long maxNs) throws InterruptedException
    {
        if (maxNs <= 0)
        {
            return;
        }
        System.out.println("herald: warming up (edge.warmup=" + TimeUnit.NANOSECONDS.toSeconds(maxNs) + "s at most)");
        System.out.flush();
        final WarmUp.Result done = WarmUp.run(URI.create("ws://127.0.0.1:" + server.openLoopback()), maxNs,
            WARMUP_ROUND_NS);
        System.out.printf(Locale.ROOT, "herald: warm-up done in %.1f s: %d rounds, %,d publishes, %,d notifications, " +
            "%s (compiling, %% of each round: %s)%n", done.elapsedNs() / 1e9, done.rounds(), done.publishes(),
            done.notifications(), done.ended(), done.compiling());
        if (done.refused() > 0)
        {
            System.out.println("herald: the warm-up had " + done.refused() + " request(s) refused, first: " +
                done.firstRefusal());
        }
        System.out.flush();
    }

    /**
     * @return {@code cluster.secret} as bytes, or null when it is not set.
     */
    static byte[] clusterSecret(final HeraldConfig config)
    {
        final String secret = config.get(HeraldSettings.CLUSTER_SECRET);
        return secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return what the edge's cluster sessions present: the secret, or nothing.
     */
    private static CredentialsSupplier credentials(final byte[] secret)
    {
        if (null == secret)
        {
            return new NullCredentialsSupplier();
        }
        return new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return secret.clone();
            }

            public byte[] onChallenge(final byte[] challenge)
            {
                return secret.clone();
            }
        };
    }

    /**
     * @return the edge's TLS from {@code edge.tls.certificate} and {@code edge.tls.key}, or null when they are not set.
     */
    static SslContext tls(final HeraldConfig config)
    {
        final String certificate = config.get(HeraldSettings.EDGE_TLS_CERTIFICATE);
        final String key = config.get(HeraldSettings.EDGE_TLS_KEY);
        if (certificate.isEmpty() != key.isEmpty())
        {
            throw new ConfigException("edge.tls.certificate and edge.tls.key go together: set both, or neither");
        }
        if (certificate.isEmpty())
        {
            return null;
        }
        try
        {
            return SslContextBuilder.forServer(new File(certificate), new File(key)).sslProvider(SslProvider.JDK)
                .build();
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new ConfigException("edge.tls: " + ex.getMessage());
        }
    }

    /**
     * @return the token verifier the settings describe, or null when they name no key (tokens are then ignored).
     */
    static JwtTokens tokens(final HeraldConfig config)
    {
        final String secret = config.get(HeraldSettings.AUTH_JWT_HMAC_SECRET);
        final String keyFile = config.get(HeraldSettings.AUTH_JWT_PUBLIC_KEY);
        final String jwks = config.get(HeraldSettings.AUTH_JWT_JWKS_URL);
        if (secret.isEmpty() && keyFile.isEmpty() && jwks.isEmpty())
        {
            return null;
        }
        try
        {
            return new JwtTokens(secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8),
                keyFile.isEmpty() ? null : Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII),
                jwks.isEmpty() ? null : URI.create(jwks).toURL(), emptyToNull(config.get(HeraldSettings.AUTH_JWT_ISSUER)),
                emptyToNull(config.get(HeraldSettings.AUTH_JWT_AUDIENCE)),
                (int)TimeUnit.NANOSECONDS.toSeconds(config.get(HeraldSettings.AUTH_JWT_CLOCK_SKEW)));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new ConfigException("auth.jwt: " + ex.getMessage());
        }
    }

    private static String emptyToNull(final String text)
    {
        return text.isEmpty() ? null : text;
    }

    /**
     * @return the edge's own directory: its media driver (when it runs one), its connection table and error log.
     */
    static File directory(final File data, final int edgeId)
    {
        return new File(data, "edge-" + edgeId);
    }

    /**
     * @return the protocol plugins serving the port.
     */
    List<String> protocols()
    {
        return server.protocols();
    }

    /**
     * What the protocol plugins read: the config file's {@code plugin.*} settings and the MQTT listener's. An edge
     * asked for any free WebSocket port (tests) takes any free MQTT port too.
     */
    private static Map<String, String> pluginSettings(final HeraldConfig config, final int port)
    {
        final Map<String, String> settings = new HashMap<>(config.pluginSettings());
        settings.put(HeraldSettings.EDGE_ALLOWED_ORIGINS.key(), config.get(HeraldSettings.EDGE_ALLOWED_ORIGINS));
        if (config.get(HeraldSettings.EDGE_MQTT_ENABLED))
        {
            settings.put(MqttPlugin.PORT_SETTING, 0 == port ? "0" : config.get(HeraldSettings.EDGE_MQTT_PORT).toString());
            settings.put(MqttPlugin.PUBSUB_SETTING, config.get(HeraldSettings.EDGE_MQTT_ALLOW_PUBSUB).toString());
            settings.put(MqttPlugin.TLS_PORT_SETTING,
                0 == port ? "0" : config.get(HeraldSettings.EDGE_MQTT_TLS_PORT).toString());
        }
        return settings;
    }

    /**
     * @return where the edge listens, for its start-up line: {@code ws://host:port and mqtt://host:port (protocols)}.
     */
    String listening(final String host)
    {
        return listening(host, port(), server.isTls(), mqttPort(), protocols(), transport());
    }

    static String listening(
        final String host, final int port, final boolean tls, final int mqttPort, final List<String> protocols,
        final SocketTransport transport)
    {
        return (tls ? "wss://" : "ws://") + host + ":" + port +
            (mqttPort > 0 ? " and mqtt://" + host + ":" + mqttPort : "") + " (" + String.join(", ", protocols) +
            "; sockets: " + transport.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /**
     * @return how the I/O threads drive client sockets.
     */
    SocketTransport transport()
    {
        return server.transport();
    }

    boolean isTls()
    {
        return server.isTls();
    }

    /**
     * @return the MQTT over TLS listener's port, or -1 when it is off.
     */
    int mqttTlsPort()
    {
        return server.pluginPort(MqttPlugin.PROTOCOL + "-tls");
    }

    /**
     * @return the MQTT listener's port, or -1 when it is off.
     */
    int mqttPort()
    {
        return server.pluginPort(MqttPlugin.PROTOCOL);
    }

    int port()
    {
        return server.port();
    }

    public void close()
    {
        CloseHelper.closeAll(rights, router, server, counters, aeron, driver, table, errorLog);
    }
}
