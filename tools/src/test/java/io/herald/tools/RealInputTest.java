package io.herald.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What users send, through every path a request takes ({@code e2e/sizes.test.js} with the real kuzzle-sdk):
 * documents, filters and volatiles of every size up to {@code edge.max.frame.bytes} and just over it, through a
 * one-node Herald, a three-node cluster, and from one edge to another. Aeron fragments anything over a datagram, and
 * refuses messages over a term / 8: these sizes cross each link whole or are answered 413 in their room.
 */
class RealInputTest
{
    private static final int MAX_BYTES = 1 << 20;

    @TempDir
    File data;

    private TestCluster cluster;

    @AfterEach
    void close()
    {
        CloseHelper.close(cluster);
    }

    @Test
    void everySizeUpToTheLimitThroughOneNode() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults(), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            E2eSuite.run("sizes.test.js", Map.of("HERALD_PORT", Integer.toString(herald.port()),
                "HERALD_MAX_BYTES", Integer.toString(MAX_BYTES)), 120);
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    @Test
    void everySizeUpToTheLimitThroughThreeNodesAndBetweenTwoEdges() throws Exception
    {
        cluster = TestCluster.aCluster().withNodes(3).start(data);
        E2eSuite.run("sizes.test.js", Map.of("HERALD_PORT", Integer.toString(cluster.wsPort()),
            "HERALD_MAX_BYTES", Integer.toString(MAX_BYTES)), 120);

        cluster.startEdge(2);
        cluster.awaitStatus(cluster.edgePort(2), 3);
        E2eSuite.run("sizes.test.js", Map.of("HERALD_PORT", Integer.toString(cluster.wsPort()),
            "HERALD_PORT_B", Integer.toString(cluster.edgePort(2)), "HERALD_MAX_BYTES", Integer.toString(MAX_BYTES)),
            120);
        assertEquals(List.of(), cluster.edgeErrors(), "the edge may report no error");
    }
}
