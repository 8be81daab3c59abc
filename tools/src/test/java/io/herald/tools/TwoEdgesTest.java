package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import io.herald.transport.node.ClusterNode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two edges, each on its own media driver, in front of one node: the real kuzzle-sdk publishes on one edge and
 * subscribers on both hear it once ({@code e2e/two-edges.test.js}).
 */
class TwoEdgesTest
{
    @TempDir
    File data;

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Test
    void publishesReachSubscribersOnBothEdges() throws Exception
    {
        final int base = 41_000 + (int)(ProcessHandle.current().pid() % 150) * 100;
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final HeraldConfig cluster = TestConfig.defaults().with(Map.of("cluster.members", "localhost:" + base,
            "edge.host", "127.0.0.1"));
        ClusterNode node = null;
        EdgeProcess a = null;
        EdgeProcess b = null;
        try
        {
            node = NodeProcess.start(cluster, data, true, errors::add);
            a = EdgeProcess.start(cluster.with(Map.of("edge.id", "1", "edge.answer.port",
                Integer.toString(freeUdpPort()))), data, null, 0, errors::add);
            b = EdgeProcess.start(cluster.with(Map.of("edge.id", "2", "edge.answer.port",
                Integer.toString(freeUdpPort()))), data, null, 0, errors::add);
            TestCluster.awaitEdgeHearsNodes(a.port(), 1);
            TestCluster.awaitEdgeHearsNodes(b.port(), 1);

            final ProcessBuilder command = new ProcessBuilder("node", "--test", "two-edges.test.js")
                .directory(new File("..", "e2e")).redirectErrorStream(true);
            command.environment().put("HERALD_PORT_A", Integer.toString(a.port()));
            command.environment().put("HERALD_PORT_B", Integer.toString(b.port()));
            final Process suite = command.start();
            suite.getOutputStream().close();
            final boolean finished = suite.waitFor(90, TimeUnit.SECONDS);
            final String output = new String(suite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(output);
            assertTrue(finished, "the two-edge suite did not finish");
            assertEquals(0, suite.exitValue(), "the two-edge suite failed:\n" + output);
        }
        finally
        {
            CloseHelper.closeAll(a, b, node);
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }
}
