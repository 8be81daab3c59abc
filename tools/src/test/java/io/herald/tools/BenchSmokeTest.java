package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load harness cannot rot: {@code herald bench latency} runs for a second in both shapes against an embedded
 * Herald, writes its JSON and draws its plot; {@code herald bench fanout} publishes as fast as it is answered and
 * every accepted publish must reach every subscriber of its topic; {@code herald bench connections} opens a few
 * hundred connections. Seconds, not a benchmark: no figure is asserted beyond "every publish
 * was delivered".
 */
class BenchSmokeTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    File data;

    @Test
    void latencyAndFanoutRunsDeliverEverythingAndWriteTheirResults() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults(), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            final String url = "ws://127.0.0.1:" + herald.port();
            final File json = new File(data, "latency.json");
            final File png = new File(data, "latency.png");
            assertEquals(0, new CommandLine(new HeraldCommand()).execute("bench", "latency", "--url", url,
                "--connections", "4", "--subscriptions", "40", "--rate", "200", "--warmup", "1", "--seconds", "1",
                "--json", json.getPath(), "--plot", png.getPath()));
            final JsonNode latency = JSON.readTree(json);
            assertEquals("latency", latency.get("scenario").textValue());
            assertEquals(200, latency.get("expectedDeliveries").longValue());
            assertEquals(200, latency.get("latency").get("count").longValue(), latency.toString());
            assertEquals(200, latency.get("lastReceiver").get("count").longValue(), latency.toString());
            assertEquals(0, latency.get("refusedPublishes").longValue());
            assertTrue(latency.get("latency").get("p50Us").doubleValue() > 0);
            final BufferedImage plot = ImageIO.read(png);
            assertEquals(900, plot.getWidth());

            final File fanout = new File(data, "fanout.json");
            assertEquals(0, new CommandLine(new HeraldCommand()).execute("bench", "latency", "--url", url,
                "--fanout", "--connections", "10", "--rate", "100", "--warmup", "1", "--seconds", "1",
                "--json", fanout.getPath()));
            final JsonNode fan = JSON.readTree(fanout);
            assertEquals(1_000, fan.get("latency").get("count").longValue(), fan.toString());
            // one time-to-last-receiver per publish, never earlier than the median delivery
            assertEquals(100, fan.get("lastReceiver").get("count").longValue(), fan.toString());
            assertTrue(fan.get("lastReceiver").get("maxUs").doubleValue() >= fan.get("latency").get("p50Us")
                .doubleValue(), fan.toString());

            final File throughput = new File(data, "throughput.json");
            assertEquals(0, new CommandLine(new HeraldCommand()).execute("bench", "fanout", "--url", url,
                "--subscribers", "20", "--topics", "2", "--publishers", "2", "--window", "4", "--warmup", "1",
                "--seconds", "1", "--json", throughput.getPath()));
            final JsonNode through = JSON.readTree(throughput);
            assertTrue(through.get("deliveriesPerSecond").longValue() > 0, through.toString());
            assertTrue(through.get("expectedDeliveries").longValue() > 0, through.toString());
            assertEquals(through.get("expectedDeliveries").longValue(), through.get("delivered").longValue());
            assertEquals(0, through.get("refusedPublishes").longValue());

            final File connections = new File(data, "connections.json");
            assertEquals(0, new CommandLine(new HeraldCommand()).execute("bench", "connections", "--url", url,
                "--steps", "50,200", "--sources", "2", "--settle", "0", "--probes", "20",
                "--json", connections.getPath()));
            final JsonNode steps = JSON.readTree(connections).get("steps");
            assertEquals(2, steps.size(), steps.toString());
            assertEquals(200, steps.get(1).get("connections").longValue());
            assertEquals(20, steps.get(1).get("probesAnswered").longValue());
            assertTrue(steps.get(1).get("rssBytes").longValue() > 0);
            assertEquals(ProcessHandle.current().pid(), JSON.readTree(connections).get("serverPid").longValue());
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    /**
     * {@code herald bench failover} against three node JVMs: it kills a follower with -9 (this test starts it again,
     * as {@code herald up --nodes} would), and every acknowledged publish still reaches every subscriber.
     */
    @Test
    void failoverRunKillsAFollowerAndLosesNothingAcknowledged() throws Exception
    {
        final AtomicBoolean supervising = new AtomicBoolean(true);
        try (TestCluster cluster = TestCluster.aCluster().withNodes(3).start(data))
        {
            try
            {
                for (int node = 0; node < 3; node++)
                {
                    final int id = node;
                    cluster.process(node).onExit().thenRun(() -> restartWhileSupervising(cluster, id, supervising));
                }
                final File json = new File(data, "failover.json");
                assertEquals(0, new CommandLine(new HeraldCommand()).execute("bench", "failover",
                    "--url", "ws://127.0.0.1:" + cluster.wsPort(), "--kill", "follower", "--subscribers", "3",
                    "--rate", "100", "--before", "1", "--after", "2", "--recovery-timeout", "60",
                    "--json", json.getPath()));
                final JsonNode round = JSON.readTree(json).get("rounds").get(0);
                assertEquals("follower", round.get("killed").textValue(), round.toString());
                assertEquals(300, round.get("publishes").longValue());
                assertEquals(300, round.get("acknowledged").longValue(), round.toString());
                assertEquals(900, round.get("expectedDeliveries").longValue(), round.toString());
                assertEquals(0, round.get("missedDeliveries").longValue(), round.toString());
                assertEquals(0, round.get("duplicateDeliveries").longValue(), round.toString());
                assertEquals(0, round.get("closedConnections").longValue(), round.toString());
                assertTrue(round.get("writesResumedAfterMs").longValue() >= 0, round.toString());
                assertTrue(round.get("allUpAgainAfterMs").longValue() > 0, round.toString());
                final int killed = round.get("node").intValue();
                assertTrue(cluster.process(killed).pid() != round.get("pid").longValue(), "a new process");
            }
            finally
            {
                supervising.set(false);
            }
        }
    }

    private static void restartWhileSupervising(
        final TestCluster cluster, final int node, final AtomicBoolean supervising)
    {
        if (!supervising.get())
        {
            return;
        }
        try
        {
            cluster.restart(node);
            cluster.process(node).onExit().thenRun(() -> restartWhileSupervising(cluster, node, supervising));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
