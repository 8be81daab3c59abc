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

    /** How long a backing-off agent parks at most, by default ({@code agent.idle.max.park}). */
    public static final long DEFAULT_MAX_PARK_NS = 1_000_000;

    /**
     * @param name a validated setting value.
     * @return a supplier of fresh instances (an idle strategy belongs to one agent).
     */
    public static Supplier<IdleStrategy> of(final String name)
    {
        return of(name, DEFAULT_MAX_PARK_NS);
    }

    /**
     * @param name      a validated setting value.
     * @param maxParkNs for {@code backoff}: the longest park once idle ({@code agent.idle.max.park}).
     * @return a supplier of fresh instances (an idle strategy belongs to one agent).
     */
    public static Supplier<IdleStrategy> of(final String name, final long maxParkNs)
    {
        switch (name)
        {
            case "backoff":
                // spin a little, yield a little, then park from 1 us up to the longest park
                return () -> new BackoffIdleStrategy(10, 5, 1_000, maxParkNs);
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
