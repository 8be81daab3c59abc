package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official, unchanged kuzzle-sdk (npm, installed in {@code e2e/} by the build) against an embedded Herald:
 * {@code node --test e2e/realtime.test.js}.
 */
class KuzzleSdkEndToEndTest
{
    private static final File E2E = new File("..", "e2e");

    @TempDir
    File data;

    private static int freeUdpPorts(final int count) throws Exception
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = ThreadLocalRandom.current().nextInt(30_000, 60_000);
            final List<DatagramSocket> sockets = new ArrayList<>();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    sockets.add(new DatagramSocket(base + i));
                }
                return base;
            }
            catch (final SocketException ex)
            {
                // taken: try another range
            }
            finally
            {
                sockets.forEach(DatagramSocket::close);
            }
        }
        throw new IllegalStateException("no 6 free consecutive UDP ports");
    }

    @Test
    void kuzzleSdkRealtimeSuitePasses() throws Exception
    {
        assertTrue(new File(E2E, "node_modules/kuzzle-sdk").isDirectory(),
            "kuzzle-sdk is missing in e2e/node_modules: the build runs `npm ci` there");
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(HeraldConfig.defaults(), data, freeUdpPorts(6), 0,
            errors::add))
        {
            final ProcessBuilder command = new ProcessBuilder("node", "--test", "realtime.test.js")
                .directory(E2E)
                .redirectErrorStream(true);
            command.environment().put("HERALD_PORT", Integer.toString(herald.port()));
            final Process node = command.start();
            node.getOutputStream().close();
            final StringBuilder output = new StringBuilder();
            final Thread collector = new Thread(() ->
            {
                try
                {
                    output.append(new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                catch (final IOException ex)
                {
                    output.append(ex);
                }
            });
            collector.start();
            final boolean finished = node.waitFor(90, TimeUnit.SECONDS);
            if (!finished)
            {
                node.destroyForcibly();
            }
            collector.join(5_000);
            System.out.println(output);
            assertTrue(finished, "the SDK suite did not finish in 90 s");
            assertEquals(0, node.exitValue(), "the kuzzle-sdk suite failed:\n" + output);
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }
}
