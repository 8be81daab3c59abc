package io.herald.transport;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent idling with parks of a minute is handed work 2,000 times by another thread, each time at a random
 * point of its idling (spinning, yielding, announced, parked): it takes every piece, which it could not within the
 * test's deadline if a single wake were lost.
 */
class WakeableIdleStrategyTest
{
    @Test
    void anAgentHandedWorkRunsAtOnceWhateverPointOfItsIdlingItIsAt() throws Exception
    {
        // every park is a minute long: only a wake ends it within the test
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(10, 5, TimeUnit.SECONDS.toNanos(60),
            TimeUnit.SECONDS.toNanos(60));
        final AtomicLong handed = new AtomicLong();
        final AtomicLong taken = new AtomicLong();
        final int pieces = 2_000;
        final CountDownLatch done = new CountDownLatch(1);
        final Thread agent = new Thread(() ->
        {
            long seen = 0;
            while (seen < pieces)
            {
                final long now = handed.get();
                final int work = (int)(now - seen);
                seen = now;
                taken.set(seen);
                idle.idle(work);
            }
            done.countDown();
        });
        agent.setDaemon(true);
        agent.start();
        for (int i = 1; i <= pieces; i++)
        {
            // wait until the agent took the last piece, then let it idle a random while before the next
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (taken.get() < i - 1)
            {
                assertTrue(System.nanoTime() < deadline, "piece " + (i - 1) + " never taken: a wake was lost");
                Thread.onSpinWait();
            }
            final long pause = (long)(Math.random() * 50_000);
            final long until = System.nanoTime() + pause;
            while (System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
            handed.set(i);
            idle.wake();
        }
        assertTrue(done.await(10, TimeUnit.SECONDS), "the last piece was never taken: a wake was lost");
        assertEquals(pieces, taken.get());
    }
}
