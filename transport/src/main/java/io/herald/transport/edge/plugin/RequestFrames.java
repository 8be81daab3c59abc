package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.RequestJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;

/**
 * Reads a client's request from the bytes it came in (a WebSocket frame, an MQTT payload): once, into the tree and,
 * for a publish, its body's text as sent, which goes on to the nodes and into notifications without being written
 * again ({@link RequestJson#readFrame}).
 */
public final class RequestFrames
{
    private RequestFrames()
    {
    }

    /**
     * @param content the request's bytes (not consumed).
     * @throws IOException when they are not JSON, or nest too deep.
     */
    public static RequestJson.Frame read(final ByteBuf content) throws IOException
    {
        return content.hasArray() ?
            RequestJson.readFrame(content.array(), content.arrayOffset() + content.readerIndex(),
                content.readableBytes()) :
            RequestJson.readFrame(ByteBufUtil.getBytes(content), 0, content.readableBytes());
    }
}
