package io.herald.benchmarks;

import io.herald.codecs.BooleanType;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.NotificationListEncoder;
import io.herald.codecs.Scope;
import io.herald.codecs.SubscribeRequestDecoder;
import io.herald.codecs.SubscribeRequestEncoder;
import io.herald.codecs.Users;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE on Herald's paths: a subscribe request (edge → cluster log), and a notification list of one channel with
 * {@code connections} connections (node → edge, the publish path), each encoded and decoded. Run with {@code -prof gc}
 * for allocation per operation.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark
{
    @Param({ "1", "100" })
    public int connections;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer encodedList = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer encodedSubscribe = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubscribeRequestEncoder subscribeEncoder = new SubscribeRequestEncoder();
    private final SubscribeRequestDecoder subscribeDecoder = new SubscribeRequestDecoder();
    private final NotificationListEncoder listEncoder = new NotificationListEncoder();
    private final NotificationListDecoder listDecoder = new NotificationListDecoder();
    private final long[] keys = new long[100];
    private static final byte[] CHANNEL = "a3f4c2d1e5b6a7980f1e2d3c4b5a6978-an".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);

    @Setup
    public void setup()
    {
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = (1L << 48) | (1_000 + i);
        }
        encodeSubscribe(encodedSubscribe);
        encodeList(encodedList);
    }

    private int encodeSubscribe(final UnsafeBuffer into)
    {
        subscribeEncoder.wrapAndApplyHeader(into, 0, headerEncoder)
            .correlationId(42).edgeId(1).connectionId(7).oldestPending(0).scope(Scope.ALL).users(Users.NONE)
            .index("orders").collection("eu").filter("{\"range\":{\"total\":{\"gt\":100}}}")
            .volatileJson("{\"sdkInstanceId\":\"6b3f2a1e-0c4d-4f6a-9a57-2f1d8e6c9b10\"}");
        return MessageHeaderEncoder.ENCODED_LENGTH + subscribeEncoder.encodedLength();
    }

    private int encodeList(final UnsafeBuffer into)
    {
        final NotificationListEncoder.ChannelsEncoder channels = listEncoder.wrapAndApplyHeader(into, 0, headerEncoder)
            .correlationId(42).nodeId(0).logPosition(4096).last(BooleanType.TRUE).channelsCount(1);
        final NotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
            .connectionsCount(connections);
        for (int i = 0; i < connections; i++)
        {
            group.next().connection(keys[i]);
        }
        channels.channel("a3f4c2d1e5b6a7980f1e2d3c4b5a6978-an");
        return MessageHeaderEncoder.ENCODED_LENGTH + listEncoder.encodedLength();
    }

    @Benchmark
    public int encodeSubscribeRequest()
    {
        return encodeSubscribe(buffer);
    }

    @Benchmark
    public long decodeSubscribeRequest()
    {
        subscribeDecoder.wrapAndApplyHeader(encodedSubscribe, 0, headerDecoder.wrap(encodedSubscribe, 0));
        return subscribeDecoder.correlationId() + subscribeDecoder.connectionId() +
            subscribeDecoder.index().length() + subscribeDecoder.collection().length() +
            subscribeDecoder.filter().length() + subscribeDecoder.volatileJson().length();
    }

    @Benchmark
    public int encodeNotificationList()
    {
        return encodeList(buffer);
    }

    /**
     * As the node encodes it now: the channel name's bytes are kept (ChannelChunker), not encoded per publish.
     */
    @Benchmark
    public int encodeNotificationListKeptName()
    {
        final NotificationListEncoder.ChannelsEncoder channels = listEncoder.wrapAndApplyHeader(buffer, 0,
            headerEncoder).correlationId(42).nodeId(0).logPosition(4096).last(BooleanType.TRUE).channelsCount(1);
        final NotificationListEncoder.ChannelsEncoder.ConnectionsEncoder group = channels.next()
            .connectionsCount(connections);
        for (int i = 0; i < connections; i++)
        {
            group.next().connection(keys[i]);
        }
        channels.putChannel(CHANNEL, 0, CHANNEL.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + listEncoder.encodedLength();
    }

    /**
     * As the edge reads it today: every connection, and the channel name as a String (one per channel).
     */
    @Benchmark
    public long decodeNotificationList()
    {
        listDecoder.wrapAndApplyHeader(encodedList, 0, headerDecoder.wrap(encodedList, 0));
        long sum = 0;
        for (final NotificationListDecoder.ChannelsDecoder channel : listDecoder.channels())
        {
            for (final NotificationListDecoder.ChannelsDecoder.ConnectionsDecoder connection : channel.connections())
            {
                sum += connection.connection();
            }
            sum += channel.channel().length();
        }
        return sum;
    }
}
