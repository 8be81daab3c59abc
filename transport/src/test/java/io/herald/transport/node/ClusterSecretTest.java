package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.security.CredentialsSupplier;
import io.herald.codecs.NotificationListDecoder;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.testing.Await;
import io.herald.transport.edge.ReadLink;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inside door with {@code cluster.secret}: a cluster session without the secret is refused, read requests
 * without its key are dropped (and counted) before anything is decoded or answered, those with it are served.
 */
class ClusterSecretTest
{
    private static final byte[] SECRET = "edges and nodes share this".getBytes(StandardCharsets.UTF_8);

    @TempDir
    File base;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private ClusterNode node;
    private Aeron aeron;
    private int ingress;
    private String readChannel;

    @BeforeEach
    void start()
    {
        ingress = TestPorts.freeUdpPort();
        readChannel = "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort();
        node = ClusterNode.launch(0, TestPorts.oneMember(ingress), base, true, NodeOptions.sharedHost(500),
            new NodeService(new FilterEngineContext(), readChannel).clusterSecret(SECRET), errors::add, SECRET);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(aeron, node);
    }

    private AeronCluster.Context session(final byte[] credentials)
    {
        return new AeronCluster.Context()
            .aeronDirectoryName(node.aeronDirectoryName())
            .ingressChannel("aeron:udp?term-length=128k")
            .ingressEndpoints("0=localhost:" + ingress)
            .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k")
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .credentialsSupplier(new CredentialsSupplier()
            {
                public byte[] encodedCredentials()
                {
                    return credentials;
                }

                public byte[] onChallenge(final byte[] challenge)
                {
                    return credentials;
                }
            });
    }

    @Test
    void onlySessionsWithTheSecretConnect()
    {
        assertThrows(Exception.class, () -> AeronCluster.connect(session("guess".getBytes())).close());
        try (AeronCluster cluster = AeronCluster.connect(session(SECRET)))
        {
            assertTrue(cluster.clusterSessionId() != 0);
        }
    }

    @Test
    void readsWithoutTheKeyAreDroppedAndCountedThoseWithItAreServed() throws Exception
    {
        final AtomicInteger statuses = new AtomicInteger();
        final ReadLink.Lists lists = new ReadLink.Lists()
        {
            public void onNotificationList(final long correlationId, final NotificationListDecoder list)
            {
            }

            public void onCount(final long correlationId, final int count)
            {
            }

            public void onList(final long correlationId, final String json)
            {
            }

            public void onError(final long correlationId, final int status, final String errorId, final String message)
            {
            }

            public void onStatus(
                final int nodeId, final int role, final long logPosition, final long pid, final int rooms,
                final long clusterTimeMs)
            {
                statuses.incrementAndGet();
            }
        };
        try (ReadLink forger = new ReadLink(aeron, readChannel,
            "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort(), 7).readKey(LinkStreams.readKey("guess".getBytes()));
            ReadLink edge = new ReadLink(aeron, readChannel,
                "aeron:udp?endpoint=localhost:" + TestPorts.freeUdpPort(), 8).readKey(LinkStreams.readKey(SECRET)))
        {
            Await.await("the forger's requests refused", Duration.ofSeconds(10), () ->
            {
                forger.requestStatus(1);
                forger.count(2, 0, "any-room");
                return refused() >= 2;
            });
            forger.poll(lists);
            assertEquals(0, statuses.get(), "no answer to a request without the key");
            Await.await("the edge's status request answered", Duration.ofSeconds(10), () ->
            {
                edge.requestStatus(3);
                edge.poll(lists);
                return statuses.get() > 0;
            });
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private long refused()
    {
        final AtomicLong value = new AtomicLong();
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == HeraldCounter.READS_REFUSED.typeId())
            {
                value.set(aeron.countersReader().getCounterValue(counterId));
            }
        });
        return value.get();
    }
}
