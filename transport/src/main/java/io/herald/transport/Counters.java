package io.herald.transport;

import io.aeron.Aeron;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.counters.RoundTrips;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One process role's {@link HeraldCounter}s, allocated in its Aeron media driver's counters file (readable from
 * outside the process), or in memory for components running without Aeron (tests). Counters are safe to increment
 * from any thread.
 */
public final class Counters implements AutoCloseable
{
    private final Map<HeraldCounter, AtomicCounter> counters = new EnumMap<>(HeraldCounter.class);
    private final List<AtomicCounter> histograms = new ArrayList<>();
    private final CountersReader reader;
    private RoundTrips roundTrips;

    private Counters(final CountersReader reader)
    {
        this.reader = reader;
    }

    /**
     * @param scope the process's own Prometheus labels, e.g. {@code edge="1"}.
     */
    public static Counters allocate(final Aeron aeron, final HeraldCounter.Role role, final String scope)
    {
        final Counters counters = new Counters(aeron.countersReader());
        for (final HeraldCounter counter : HeraldCounter.values())
        {
            if (counter.role() == role)
            {
                counters.counters.put(counter, aeron.addCounter(counter.typeId(), counter.label(scope)));
            }
        }
        if (role == HeraldCounter.Role.EDGE)
        {
            counters.roundTrips = new RoundTrips((typeId) ->
                counters.track(aeron.addCounter(typeId, RoundTrips.label(typeId, scope))));
        }
        return counters;
    }

    /**
     * @return counters of every role, in memory only.
     */
    public static Counters inMemory()
    {
        final int capacity = 128;
        final AtomicBuffer metaData = new UnsafeBuffer(ByteBuffer.allocateDirect(
            capacity * CountersReader.METADATA_LENGTH));
        final AtomicBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * CountersReader.COUNTER_LENGTH));
        final CountersManager manager = new CountersManager(metaData, values);
        final Counters counters = new Counters(manager);
        for (final HeraldCounter counter : HeraldCounter.values())
        {
            counters.counters.put(counter, manager.newCounter(counter.label(""), counter.typeId()));
        }
        counters.roundTrips = new RoundTrips((typeId) ->
            counters.track(manager.newCounter(RoundTrips.label(typeId, ""), typeId)));
        return counters;
    }

    /**
     * @return the counter; one of another role (not allocated here) counts in memory only.
     */
    public AtomicCounter get(final HeraldCounter counter)
    {
        return counters.computeIfAbsent(counter, (absent) -> new AtomicCounter(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersReader.COUNTER_LENGTH)), 0));
    }

    /**
     * @return the histogram of round trips to the nodes (the edge's; in memory for another role).
     */
    public RoundTrips roundTrips()
    {
        if (null == roundTrips)
        {
            roundTrips = new RoundTrips((typeId) -> new AtomicCounter(
                new UnsafeBuffer(ByteBuffer.allocateDirect(CountersReader.COUNTER_LENGTH)), 0));
        }
        return roundTrips;
    }

    private AtomicCounter track(final AtomicCounter counter)
    {
        histograms.add(counter);
        return counter;
    }

    /**
     * @return the counters file these counters live in (others' counters included).
     */
    public CountersReader reader()
    {
        return reader;
    }

    public void close()
    {
        counters.values().forEach(AtomicCounter::close);
        histograms.forEach(AtomicCounter::close);
    }
}
