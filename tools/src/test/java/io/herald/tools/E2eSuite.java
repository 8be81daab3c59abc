package io.herald.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code node --test} suite of {@code e2e/} (the real kuzzle-sdk, installed there by the build), run against a
 * Herald the test started; its output is printed, and the test fails with it when the suite fails or overruns.
 */
final class E2eSuite
{
    static final File E2E = new File("..", "e2e");

    private E2eSuite()
    {
    }

    /**
     * @param file        the suite, in {@code e2e/}.
     * @param environment what the suite reads (ports, limits).
     */
    static void run(final String file, final Map<String, String> environment, final long timeoutSeconds)
        throws Exception
    {
        assertTrue(new File(E2E, "node_modules/kuzzle-sdk").isDirectory(),
            "kuzzle-sdk is missing in e2e/node_modules: the build runs `npm ci` there");
        final ProcessBuilder command = new ProcessBuilder("node", "--test", file).directory(E2E)
            .redirectErrorStream(true);
        command.environment().putAll(environment);
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
        final boolean finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished)
        {
            node.destroyForcibly();
        }
        collector.join(5_000);
        System.out.println(output);
        assertTrue(finished, file + " did not finish in " + timeoutSeconds + " s:\n" + output);
        assertEquals(0, node.exitValue(), file + " failed:\n" + output);
    }
}
