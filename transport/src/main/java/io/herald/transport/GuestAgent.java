package io.herald.transport;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent run inside another agent's duty cycle instead of on a thread of its own. {@code herald up} can run the
 * edge's router this way on the node service's thread (setting {@code agent.router.thread}), so that a read goes from
 * the router to the node and back without waking another thread.
 * <p>
 * The host calls {@link #doWork()} from its duty cycle: the guest is started there on its first call, and what it
 * throws is reported and the host goes on, as an {@code AgentRunner} would. {@link #close()} may come from any thread:
 * it waits for a duty cycle in progress to end, then closes the guest on the calling thread; later calls from the host
 * do nothing.
 */
public final class GuestAgent implements AutoCloseable
{
    private static final int NEW = 0;
    private static final int IDLE = 1;
    private static final int WORKING = 2;
    private static final int CLOSED = 3;

    private final Agent agent;
    private final ErrorHandler errorHandler;
    private final AtomicInteger state = new AtomicInteger(NEW);

    public GuestAgent(final Agent agent, final ErrorHandler errorHandler)
    {
        this.agent = agent;
        this.errorHandler = errorHandler;
    }

    /**
     * The host's thread: one duty cycle of the guest.
     *
     * @return the guest's work count.
     */
    public int doWork()
    {
        final int was = state.get();
        if ((was != IDLE && was != NEW) || !state.compareAndSet(was, WORKING))
        {
            return 0;
        }
        try
        {
            if (was == NEW)
            {
                agent.onStart();
            }
            return agent.doWork();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
            return 0;
        }
        finally
        {
            state.set(IDLE);
        }
    }

    /**
     * Any thread: stops the guest (after a duty cycle in progress) and closes it.
     */
    public void close()
    {
        while (true)
        {
            final int was = state.get();
            if (was == CLOSED)
            {
                return;
            }
            if (was == WORKING)
            {
                Thread.yield();
            }
            else if (state.compareAndSet(was, CLOSED))
            {
                agent.onClose();
                return;
            }
        }
    }

    /**
     * @return the guest's name.
     */
    public String roleName()
    {
        return agent.roleName();
    }
}
