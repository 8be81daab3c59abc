package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A short seeded {@code herald bench fuzz} run against an embedded Herald: hostile frames and HTTP, sockets reset
 * mid-frame, slow requests; every request with a readable requestId answered in its room, the witness client loses
 * nothing, and the server still answers. Longer runs and their figures: BENCHMARKS.md.
 */
class FuzzTest
{
    @TempDir
    File data;

    @Test
    void aSeededFuzzRunLeavesEveryRequestAnsweredAndTheWitnessWhole() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final HeraldConfig config = TestConfig.defaults().with(Map.of("edge.http.request.timeout", "2s"));
        try (EmbeddedHerald herald = EmbeddedHerald.start(config, data, KuzzleSdkEndToEndTest.freeUdpPorts(6), 0,
            errors::add))
        {
            final int exit = new CommandLine(new HeraldCommand()).execute("bench", "fuzz", "--url",
                "ws://127.0.0.1:" + herald.port(), "--seed", "20261202", "--seconds", "15",
                "--http-request-timeout", "2");
            assertEquals(0, exit, "the fuzz run found unanswered requests, witness losses or a dead server");
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }
}
