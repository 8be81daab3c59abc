package io.herald.tools;

import io.herald.tools.config.HeraldConfig;

import java.util.Map;

/**
 * The configuration the end-to-end tests start Herald with: the defaults, but a port that opens at once
 * ({@code edge.warmup=0}: the warm-up would add 10-20 s to every start, and its traffic to the counters some tests
 * read). {@link WarmUpTest} runs the warm-up.
 */
final class TestConfig
{
    private TestConfig()
    {
    }

    static HeraldConfig defaults()
    {
        return HeraldConfig.defaults().with(Map.of("edge.warmup", "0s"));
    }
}
