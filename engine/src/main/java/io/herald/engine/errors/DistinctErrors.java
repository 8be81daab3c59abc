package io.herald.engine.errors;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Errors an agent survived, logged so that a flood of one bad input cannot flood the log: the first occurrence of a
 * distinct error (its type and where it was thrown) is printed with its stack trace, later ones are counted and
 * summed up at most once per {@code reportIntervalMs}. Time comes from the caller (an agent reads its clock once per
 * duty cycle). Not thread-safe: one per agent.
 */
public final class DistinctErrors
{
    /** Distinct errors remembered; beyond this, new ones are counted in the total only. */
    static final int MAX_DISTINCT = 1_024;
    /** Stack frames printed (a stack overflow has thousands, all alike). */
    static final int MAX_FRAMES = 40;

    private final String agent;
    private final PrintStream out;
    private final long reportIntervalMs;
    private final Map<String, Seen> seen = new HashMap<>();
    private long total;
    private AtomicCounter counter;
    private ErrorHandler log;

    private static final class Seen
    {
        long count;
        long reported;
        long reportedAtMs;
    }

    /**
     * @param agent names the agent in the log lines (e.g. {@code herald-router}).
     */
    public DistinctErrors(final String agent, final PrintStream out, final long reportIntervalMs)
    {
        this.agent = agent;
        this.out = out;
        this.reportIntervalMs = reportIntervalMs;
    }

    public DistinctErrors(final String agent)
    {
        this(agent, System.err, 60_000);
    }

    /**
     * @param log the process's error log (which keeps each distinct error with its count and times, counts them, and
     *            announces the first of each kind): errors go there instead of being printed and counted here.
     * @return this.
     */
    public DistinctErrors logInto(final ErrorHandler log)
    {
        this.log = log;
        return this;
    }

    /**
     * @param counter counts every error recorded from now on, readable from outside the process.
     * @return this.
     */
    public DistinctErrors countInto(final AtomicCounter counter)
    {
        this.counter = counter;
        return this;
    }

    /**
     * @param context what was being done (e.g. {@code "handling realtime:publish"}).
     */
    public void record(final Throwable error, final String context, final long nowMs)
    {
        total++;
        if (null != log)
        {
            log.onError(error);
            return;
        }
        if (null != counter)
        {
            counter.increment();
        }
        final String key = key(error);
        Seen entry = seen.get(key);
        if (null == entry)
        {
            if (seen.size() >= MAX_DISTINCT)
            {
                return;
            }
            entry = new Seen();
            entry.reportedAtMs = nowMs;
            seen.put(key, entry);
            entry.count = 1;
            entry.reported = 1;
            out.println(agent + ": error " + context + " (logged once; repeats are counted): " + error);
            final StackTraceElement[] trace = error.getStackTrace();
            for (int i = 0; i < Math.min(trace.length, MAX_FRAMES); i++)
            {
                out.println("\tat " + trace[i]);
            }
            if (trace.length > MAX_FRAMES)
            {
                out.println("\t... " + (trace.length - MAX_FRAMES) + " more");
            }
            return;
        }
        entry.count++;
        if (nowMs - entry.reportedAtMs >= reportIntervalMs)
        {
            out.println(agent + ": " + (entry.count - entry.reported) + " more of " + key + " in the last " +
                (nowMs - entry.reportedAtMs) / 1000 + " s (" + entry.count + " in all)");
            entry.reported = entry.count;
            entry.reportedAtMs = nowMs;
        }
    }

    /**
     * @return errors recorded, repeats included.
     */
    public long total()
    {
        return total;
    }

    /**
     * @return distinct errors seen.
     */
    public int distinct()
    {
        return seen.size();
    }

    private static String key(final Throwable error)
    {
        final StackTraceElement[] trace = error.getStackTrace();
        return error.getClass().getName() + (trace.length == 0 ? "" : " at " + trace[0]);
    }
}
