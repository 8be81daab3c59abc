package io.herald.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameReaderTest
{
    private static final byte[] UPGRADE = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
        "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final List<byte[]> messages = new ArrayList<>();
    private final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();

    private EmbeddedChannel channel(final int maxFrameBytes)
    {
        return new EmbeddedChannel(
            new FrameReader(maxFrameBytes, (frame) -> messages.add(ByteBufUtil.getBytes(frame))),
            new ChannelInboundHandlerAdapter()
            {
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    final ByteBuf bytes = (ByteBuf)msg;
                    forwarded.writeBytes(ByteBufUtil.getBytes(bytes));
                    bytes.release();
                }
            });
    }

    @Test
    void readsEveryFrameWhereverTheReadsSplitTheStream()
    {
        final byte[] small = "{\"sent\":1}".getBytes(StandardCharsets.US_ASCII);
        final byte[] medium = filled(300, 'm');
        final byte[] large = filled(70_000, 'l');
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(UPGRADE);
        stream.writeBytes(frame(0x81, small));
        stream.writeBytes(frame(0x82, medium));
        stream.writeBytes(frame(0x89, "ping".getBytes(StandardCharsets.US_ASCII)));
        stream.writeBytes(frame(0x01, "frag".getBytes(StandardCharsets.US_ASCII)));
        stream.writeBytes(frame(0x8A, new byte[0])); // a pong between fragments: control frames may come there
        stream.writeBytes(frame(0x00, "men".getBytes(StandardCharsets.US_ASCII)));
        stream.writeBytes(frame(0x80, "ted".getBytes(StandardCharsets.US_ASCII)));
        stream.writeBytes(frame(0x81, large));
        stream.writeBytes(frame(0x81, new byte[0]));
        final byte[] bytes = stream.toByteArray();

        for (int seed = 0; seed < 200; seed++)
        {
            messages.clear();
            forwarded.reset();
            final EmbeddedChannel channel = channel(1 << 20);
            final Random random = new Random(seed);
            for (int at = 0; at < bytes.length; )
            {
                final int n = Math.min(bytes.length - at, 1 + random.nextInt(seed % 2 == 0 ? 16 : 4096));
                channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, at, at + n)));
                at += n;
            }
            channel.checkException();
            assertArrayEquals(UPGRADE, forwarded.toByteArray(), "seed " + seed);
            assertEquals(5, messages.size(), "seed " + seed);
            assertArrayEquals(small, messages.get(0));
            assertArrayEquals(medium, messages.get(1));
            assertArrayEquals("fragmented".getBytes(StandardCharsets.US_ASCII), messages.get(2));
            assertArrayEquals(large, messages.get(3));
            assertEquals(0, messages.get(4).length);
            final PongWebSocketFrame pong = channel.readOutbound();
            assertEquals("ping", pong.content().toString(StandardCharsets.US_ASCII));
            pong.release();
            assertTrue(channel.isOpen());
            assertFalse(channel.finishAndReleaseAll());
        }
    }

    @Test
    void closesOnACloseFrame()
    {
        final EmbeddedChannel channel = channel(1 << 20);
        channel.writeInbound(Unpooled.wrappedBuffer(UPGRADE), Unpooled.wrappedBuffer(frame(0x88, new byte[] {3, -24})));
        assertFalse(channel.isOpen());
    }

    @Test
    void refusesAMaskedFrameAndOneOverTheLimit()
    {
        final EmbeddedChannel masked = channel(1 << 20);
        final byte[] frame = frame(0x81, new byte[] {'a'});
        frame[1] |= (byte)0x80;
        assertThrows(CorruptedFrameException.class,
            () -> masked.writeInbound(Unpooled.wrappedBuffer(UPGRADE), Unpooled.wrappedBuffer(frame)));

        final EmbeddedChannel limited = channel(100);
        assertThrows(TooLongFrameException.class, () -> limited.writeInbound(Unpooled.wrappedBuffer(UPGRADE),
            Unpooled.wrappedBuffer(frame(0x81, filled(101, 'x')))));
        assertTrue(messages.isEmpty());
    }

    @Test
    void aRefusedUpgradeGoesToTheHandshakerWhole()
    {
        final byte[] refusal = "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno".getBytes(StandardCharsets.US_ASCII);
        final EmbeddedChannel channel = channel(1 << 20);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(refusal, 10)),
            Unpooled.wrappedBuffer(Arrays.copyOfRange(refusal, 10, refusal.length)));
        assertArrayEquals(refusal, forwarded.toByteArray());
        assertTrue(messages.isEmpty());
    }

    private static byte[] filled(final int length, final char c)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)c);
        return bytes;
    }

    /** A server's frame: first byte as given (FIN and opcode), not masked, the shortest length encoding. */
    private static byte[] frame(final int first, final byte[] payload)
    {
        final ByteBuf frame = Unpooled.buffer();
        frame.writeByte(first);
        if (payload.length < 126)
        {
            frame.writeByte(payload.length);
        }
        else if (payload.length < 65_536)
        {
            frame.writeByte(126).writeShort(payload.length);
        }
        else
        {
            frame.writeByte(127).writeLong(payload.length);
        }
        frame.writeBytes(payload);
        return ByteBufUtil.getBytes(frame);
    }
}
