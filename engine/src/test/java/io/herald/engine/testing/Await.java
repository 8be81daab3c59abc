package io.herald.engine.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait: for a condition, checked every millisecond, until a deadline; never a bare sleep standing
 * in for a condition. A condition not met fails the test with what was awaited (and the last value seen).
 */
public final class Await
{
    private Await()
    {
    }

    /**
     * @param what names the condition in the failure.
     * @throws AssertionError when the condition is not met within the timeout.
     */
    public static void await(final String what, final Duration timeout, final BooleanSupplier condition)
        throws InterruptedException
    {
        await(what, timeout, condition::getAsBoolean, (met) -> met);
    }

    /**
     * @return the first value that satisfies {@code done}.
     * @throws AssertionError with the last value seen when none did within the timeout.
     */
    public static <T> T await(
        final String what, final Duration timeout, final Supplier<T> value, final Predicate<T> done)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final T seen = value.get();
            if (done.test(seen))
            {
                return seen;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms (last seen: " + seen + ")");
            }
            Thread.sleep(1);
        }
    }
}
