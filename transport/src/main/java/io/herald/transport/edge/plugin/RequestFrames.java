package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.RequestJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;

/**
 * Reads a client's request from the bytes it came in (a WebSocket frame, an MQTT payload, an HTTP body): once, into
 * the tree and, for a publish, its body's text as sent, which goes on to the nodes and into notifications without
 * being written again ({@link RequestJson#readFrame}).
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
        return read(content, RequestJson::readFrame);
    }

    /**
     * @param content a body sent on its own (an HTTP request's content, not consumed), read as
     *                {@link RequestJson#readBodyAlone} reads it.
     * @throws IOException when it is not JSON, or nests too deep.
     */
    public static RequestJson.Frame readBodyAlone(final ByteBuf content) throws IOException
    {
        return read(content, RequestJson::readBodyAlone);
    }

    private static RequestJson.Frame read(final ByteBuf content, final BytesReader reader) throws IOException
    {
        return content.hasArray() ?
            reader.read(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes()) :
            reader.read(ByteBufUtil.getBytes(content), 0, content.readableBytes());
    }

    @FunctionalInterface
    private interface BytesReader
    {
        RequestJson.Frame read(byte[] bytes, int offset, int length) throws IOException;
    }
}
