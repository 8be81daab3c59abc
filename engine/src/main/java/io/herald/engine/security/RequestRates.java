package io.herald.engine.security;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.NanoClock;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Request rates an edge allows: per connection ({@code edge.limit.requests.per.second}) and per user (the highest
 * {@code rateLimit} of the user's profiles, 0 for none, as Kuzzle; all anonymous connections share the anonymous
 * user's, as in Kuzzle). Each limit is a generic cell rate algorithm: one theoretical arrival time per connection or
 * user, a burst of one second's worth. Router thread only; no allocation for a connection or user already seen.
 */
public final class RequestRates
{
    private static final long SECOND_NS = 1_000_000_000L;
    /** Users not heard from for this long are forgotten when the table grows. */
    private static final int SWEEP_ABOVE = 16_384;

    private final NanoClock clock;
    private final long connectionIntervalNs;
    private final Long2LongHashMap connections = new Long2LongHashMap(Long.MIN_VALUE);
    private final HashMap<String, long[]> users = new HashMap<>();

    /**
     * @param perConnection requests per second a connection may send, 0 for no limit.
     */
    public RequestRates(final int perConnection, final NanoClock clock)
    {
        this.clock = clock;
        this.connectionIntervalNs = perConnection <= 0 ? 0 : SECOND_NS / perConnection;
    }

    /**
     * @return true when the request may go on; false when the connection or the user is over its rate.
     */
    public boolean tryAcquire(final long connectionId, final User user)
    {
        final long nowNs = clock.nanoTime();
        if (0 != connectionIntervalNs)
        {
            final long arrival = connections.get(connectionId);
            final long next = admit(arrival == Long.MIN_VALUE ? nowNs : arrival, nowNs, connectionIntervalNs);
            if (next == Long.MIN_VALUE)
            {
                return false;
            }
            connections.put(connectionId, next);
        }
        final int rate = user.rateLimit();
        if (rate > 0)
        {
            long[] arrival = users.get(user.kuid());
            if (null == arrival)
            {
                sweep(nowNs);
                arrival = new long[]{nowNs};
                users.put(user.kuid(), arrival);
            }
            final long next = admit(arrival[0], nowNs, SECOND_NS / rate);
            if (next == Long.MIN_VALUE)
            {
                return false;
            }
            arrival[0] = next;
        }
        return true;
    }

    /**
     * @return the next theoretical arrival time, or {@link Long#MIN_VALUE} when the request comes too early.
     */
    private static long admit(final long arrival, final long nowNs, final long intervalNs)
    {
        if (arrival - nowNs > SECOND_NS - intervalNs)
        {
            return Long.MIN_VALUE;
        }
        return Math.max(arrival, nowNs) + intervalNs;
    }

    private void sweep(final long nowNs)
    {
        if (users.size() < SWEEP_ABOVE)
        {
            return;
        }
        for (final Iterator<Map.Entry<String, long[]>> it = users.entrySet().iterator(); it.hasNext(); )
        {
            if (it.next().getValue()[0] < nowNs)
            {
                it.remove();
            }
        }
    }

    public void closed(final long connectionId)
    {
        connections.remove(connectionId);
    }
}
