package io.herald.codecs;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The generated codecs round-trip the messages the edge and nodes exchange, including the nested groups of a
 * notification list.
 */
class CodecsTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void subscribeRequestRoundTrips()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final SubscribeRequestEncoder encoder = new SubscribeRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(42).edgeId(3).connectionId(7_000_000_001L).scope(Scope.IN).users(Users.NONE)
            .index("myindex").collection("mycollection").filter("{\"equals\":{\"name\":\"Ådå\"}}")
            .volatileJson("{\"sdkInstanceId\":\"x\"}");

        headerDecoder.wrap(buffer, 0);
        assertEquals(SubscribeRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(SubscribeRequestDecoder.SCHEMA_ID, headerDecoder.schemaId());
        final SubscribeRequestDecoder decoder = new SubscribeRequestDecoder().wrapAndApplyHeader(buffer, 0,
            headerDecoder);
        assertEquals(42, decoder.correlationId());
        assertEquals(3, decoder.edgeId());
        assertEquals(7_000_000_001L, decoder.connectionId());
        assertEquals(Scope.IN, decoder.scope());
        assertEquals(Users.NONE, decoder.users());
        assertEquals("myindex", decoder.index());
        assertEquals("mycollection", decoder.collection());
        assertEquals("{\"equals\":{\"name\":\"Ådå\"}}", decoder.filter());
        assertEquals("{\"sdkInstanceId\":\"x\"}", decoder.volatileJson());
    }

    @Test
    void notificationListCarriesConnectionsPerChannel()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final NotificationListEncoder encoder = new NotificationListEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(9).nodeId(1).logPosition(4096)
            .last(BooleanType.TRUE);
        final NotificationListEncoder.ChannelsEncoder channels = encoder.channelsCount(2);
        channels.next().connectionsCount(3).next().connection(10).next().connection(11).next().connection(12);
        channels.channel("room-a-1");
        channels.next().connectionsCount(0);
        channels.channel("room-b-2");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final NotificationListDecoder decoder = new NotificationListDecoder().wrapAndApplyHeader(buffer, 0,
            headerDecoder.wrap(buffer, 0));
        assertEquals(9, decoder.correlationId());
        assertEquals(4096, decoder.logPosition());
        final StringBuilder seen = new StringBuilder();
        for (final NotificationListDecoder.ChannelsDecoder channel : decoder.channels())
        {
            for (final NotificationListDecoder.ChannelsDecoder.ConnectionsDecoder connection : channel.connections())
            {
                seen.append(connection.connection()).append(' ');
            }
            seen.append(channel.channel()).append(" | ");
        }
        assertEquals("10 11 12 room-a-1 | room-b-2 | ", seen.toString());
        assertEquals(BooleanType.TRUE, decoder.last());
        assertEquals(length, MessageHeaderEncoder.ENCODED_LENGTH + decoder.encodedLength());
    }
}
