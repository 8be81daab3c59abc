package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.KuzzleRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.ssl.SslContext;

/**
 * What the edge gives its protocol plugins: connections, the request path, its I/O threads and its settings. Every
 * method may be called from any I/O thread.
 */
public interface PluginContext
{
    /**
     * @return the edge's I/O threads, for listeners a plugin binds itself.
     */
    EventLoopGroup ioThreads();

    /**
     * @return the server channel class for a listener on {@link #ioThreads()} (their socket transport's).
     */
    Class<? extends ServerChannel> serverChannel();

    /**
     * @return the address the edge's listeners bind to.
     */
    String host();

    /**
     * @return the largest request accepted, in bytes ({@code edge.max.frame.bytes}).
     */
    int maxRequestBytes();

    /**
     * @return a setting of the edge's config file meant for plugins ({@code plugin.<name>.<key>}, which Herald
     *         passes through unchecked), or the default.
     */
    String setting(String key, String defaultValue);

    /**
     * Asked before a connection that stays open is accepted (a WebSocket handshake, an MQTT CONNECT): the edge's
     * connection limit ({@code edge.max.connections}) and the remote address's
     * ({@code edge.max.connections.per.address}). A refusal is counted.
     *
     * @return why the connection is refused, or null when it may open.
     */
    String refusal(Channel channel);

    /**
     * Registers a connection that stays open (a WebSocket, an MQTT session): requests submitted with its id are
     * answered through the writer, notifications for its subscriptions too.
     *
     * @return its id.
     */
    long open(Channel channel, String protocol, ConnectionWriter writer);

    /**
     * Registers one request of a request/response protocol (HTTP): its answer is the id's only write.
     *
     * @return its id.
     */
    long openOneShot(Channel channel, ConnectionWriter writer);

    /**
     * Hands a request to the edge's router.
     *
     * @return false when the edge cannot take it now (back pressure): the plugin answers or retries, and stops
     *         reading from its socket meanwhile.
     */
    boolean submit(long connectionId, KuzzleRequest request);

    /**
     * A connection opened with {@link #open} is gone: its subscriptions are dropped.
     */
    void closed(long connectionId);

    /**
     * A one-shot id will never be answered (its request was refused before it was submitted).
     */
    void dropOneShot(long connectionId);

    /**
     * A socket of the shared HTTP port stops speaking HTTP (it was upgraded): the HTTP time limits leave it.
     */
    void leaveSharedHttp(ChannelPipeline pipeline);

    /**
     * @return the handler to put last in the pipeline of a plugin's own sockets: clients' socket errors end the
     *         connection quietly, counted; anything else is logged once.
     */
    ChannelHandler clientErrors();

    /**
     * @return the writers of the answers the plugin gives itself, without the router (they are counted).
     */
    IoThreadResponses responses();

    /**
     * @return the edge's TLS ({@code edge.tls.certificate} and {@code edge.tls.key}) for a plugin's own secure
     *         listener, or null when none is configured.
     */
    SslContext tls();
}
