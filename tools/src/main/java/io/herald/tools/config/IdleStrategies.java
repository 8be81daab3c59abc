package io.herald.tools.config;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.function.Supplier;

/**
 * The idle strategies a config file names ({@link HeraldSettings#IDLE_STRATEGIES}), as Agrona's.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name a validated setting value.
     * @return a supplier of fresh instances (an idle strategy belongs to one agent).
     */
    public static Supplier<IdleStrategy> of(final String name)
    {
        switch (name)
        {
            case "backoff":
                // spin a little, yield a little, then park from 1 us up to 1 ms: an idle agent costs ~nothing
                return () -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
            case "busy-spin":
                return BusySpinIdleStrategy::new;
            case "yielding":
                return YieldingIdleStrategy::new;
            case "sleeping":
                return () -> new SleepingMillisIdleStrategy(1);
            case "noop":
                return NoOpIdleStrategy::new;
            default:
                throw new IllegalArgumentException("unknown idle strategy " + name);
        }
    }
}
