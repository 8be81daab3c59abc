package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.herald.codecs.ErrorResponseDecoder;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.NotificationListDecoder;
import io.herald.codecs.PublishRequestEncoder;
import io.herald.engine.filter.FilterEngineContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import io.herald.engine.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's read side, sent what no edge should send: messages too short for a header, of another schema, and a
 * publish whose fields lie about their lengths. Each is dropped and counted, never retried; one whose answer channel
 * can be read is answered 400; and a publish of a document of several datagrams that follows is matched and answered.
 */
class ReadServerPoisonTest
{
    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private ClusterNode node;
    private Aeron aeron;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(aeron, node);
    }

    private static void await(final BooleanSupplier condition, final Runnable poll) throws InterruptedException
    {
        Await.await("the condition", Duration.ofSeconds(10), () ->
        {
            poll.run();
            return condition.getAsBoolean();
        });
    }

    @Test
    void unreadableReadsAreDroppedCountedAndAnsweredWhereTheyCanBe() throws Exception
    {
        final String readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        final NodeService service = new NodeService(new FilterEngineContext(), readChannel);
        node = ClusterNode.launch(0, TestPorts.oneMember(TestPorts.freeUdpPort()), base, true, 500, service,
            errors::add);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
        final String answerChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        final Subscription answers = aeron.addSubscription(answerChannel, 1002);
        final ExclusivePublication reads = aeron.addExclusivePublication(readChannel, 1001);
        await(reads::isConnected, () -> { });

        final List<String> received = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ErrorResponseDecoder error = new ErrorResponseDecoder();
        final NotificationListDecoder list = new NotificationListDecoder();
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, fragment) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                error.wrapAndApplyHeader(buffer, offset, header);
                received.add("error " + error.correlationId() + " " + error.status());
            }
            else if (header.templateId() == NotificationListDecoder.TEMPLATE_ID)
            {
                list.wrapAndApplyHeader(buffer, offset, header);
                received.add("list " + list.correlationId());
            }
        });
        final Runnable poll = () -> answers.poll(assembler, 10);

        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
        // too short for a header, then another schema
        offer(reads, buffer, 3);
        buffer.putShort(4, (short)9999);
        offer(reads, buffer, MessageHeaderEncoder.ENCODED_LENGTH + 16);

        // a publish whose kuzzleId claims more bytes than the message holds: its answer channel is readable
        final PublishRequestEncoder publish = new PublishRequestEncoder();
        final int lying = encodePublish(publish, buffer, 7, answerChannel, "{\"a\":1}");
        final int kuzzleIdAt = lying - 4 * 4; // kuzzleId, requestId, volatileJson and protocol are empty
        buffer.putInt(kuzzleIdAt, 1 << 30);
        offer(reads, buffer, lying);
        await(() -> received.contains("error 7 400"), poll);
        await(() -> service.malformedReads() == 3, poll);

        // a publish of a document over several datagrams, after all that: matched (nothing subscribed) and answered
        final int whole = encodePublish(publish, buffer, 8, answerChannel,
            "{\"s\":\"" + "x".repeat(20_000) + "\"}");
        offer(reads, buffer, whole);
        await(() -> received.contains("list 8"), poll);
        assertEquals(3, service.malformedReads());
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private static int encodePublish(
        final PublishRequestEncoder publish, final UnsafeBuffer buffer, final long correlationId,
        final String answerChannel, final String document)
    {
        publish.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).edgeId(1).minLogPosition(0).publishId(correlationId).createdAt(1)
            .index("i").collection("c").document(document).responseChannel(answerChannel)
            .kuzzleId("").requestId("").volatileJson("").protocol("");
        return MessageHeaderEncoder.ENCODED_LENGTH + publish.encodedLength();
    }

    private static void offer(final ExclusivePublication publication, final UnsafeBuffer buffer, final int length)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publication.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "the node's read channel took nothing for 5 s");
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}
