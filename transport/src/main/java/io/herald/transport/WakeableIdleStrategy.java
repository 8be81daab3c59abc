package io.herald.transport;

import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * An idle strategy another thread can cut short. Idle, it spins, then yields, then parks for longer and longer up to
 * a longest park, as Agrona's {@code BackoffIdleStrategy}; but a thread that hands the agent work calls
 * {@link #wake()}, and a parked agent runs at once instead of at the end of its park. An idle agent costs what a
 * backing-off one costs; a request crossing agents that wake each other waits for no park.
 * <p>
 * No wake is lost: before its first park the agent announces it will sleep, then runs one more duty cycle; work
 * handed over before the announcement is seen by that cycle, work handed over after it finds the announcement and
 * unparks the agent (an unpark before the park makes the park return at once). Both sides fence between their write
 * and their read.
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int ANNOUNCED = 3;
    private static final int PARKING = 4;

    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private final long busyWindowNs;
    private int state = NOT_IDLE;
    private long idleSinceNs;
    private long spins;
    private long yields;
    private long parkNs;
    /** The agent's thread while it is about to park or parked, else null. */
    private volatile Thread sleeper;

    /**
     * @param maxParkNs the longest park, reached by doubling from {@code minParkNs}.
     */
    public WakeableIdleStrategy(final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs)
    {
        this(maxSpins, maxYields, minParkNs, maxParkNs, 0);
    }

    /**
     * @param busyWindowNs how long after its last work the agent keeps yielding before it may park: an answer that
     *                     comes back within it finds the agent awake, at the cost of that much CPU after each burst.
     */
    public WakeableIdleStrategy(
        final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs, final long busyWindowNs)
    {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.busyWindowNs = busyWindowNs;
    }

    /**
     * Any thread: the agent has work; if it is parked or about to park, it runs now.
     */
    public void wake()
    {
        VarHandle.fullFence();
        final Thread thread = sleeper;
        if (null != thread)
        {
            LockSupport.unpark(thread);
        }
    }

    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    public void idle()
    {
        switch (state)
        {
            case NOT_IDLE:
                state = SPINNING;
                spins = 1;
                if (busyWindowNs > 0)
                {
                    idleSinceNs = System.nanoTime();
                }
                Thread.onSpinWait();
                break;
            case SPINNING:
                Thread.onSpinWait();
                if (++spins > maxSpins)
                {
                    state = YIELDING;
                    yields = 0;
                }
                break;
            case YIELDING:
                if (++yields > maxYields && (busyWindowNs == 0 || System.nanoTime() - idleSinceNs >= busyWindowNs))
                {
                    // announced, then one more duty cycle before the first park
                    sleeper = Thread.currentThread();
                    VarHandle.fullFence();
                    state = ANNOUNCED;
                    parkNs = minParkNs;
                }
                else
                {
                    Thread.yield();
                }
                break;
            case ANNOUNCED:
                state = PARKING;
                LockSupport.parkNanos(parkNs);
                break;
            default:
                parkNs = Math.min(parkNs << 1, maxParkNs);
                LockSupport.parkNanos(parkNs);
                break;
        }
    }

    public void reset()
    {
        if (NOT_IDLE != state)
        {
            if (state >= ANNOUNCED)
            {
                sleeper = null;
            }
            state = NOT_IDLE;
        }
    }

    public String alias()
    {
        return "wakeable-backoff";
    }
}
