package io.herald.engine.filter;

import org.agrona.collections.IntArrayList;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The filters of one index ({@code index/collection}) and the structures that match documents against them.
 * <p>
 * Conditions are shared by every filter that uses them and kept in a {@link ConditionTable}.
 * A conjunction of one positive condition (the common case) notifies its filters directly when that condition
 * holds; longer conjunctions ("subfilters") count their positive conditions that held, and are vetoed by any
 * negated condition that held. Subfilters made only of negations are the one set checked on every match. A match
 * allocates nothing: per-match state lives in arrays stamped with a match epoch.
 * <p>
 * Not thread-safe: one instance belongs to one thread.
 */
final class FilterIndex implements HitSink
{
    private static final int MISSING = ConditionTable.MISSING;
    private static final int STATE_STRIDE = ConditionTable.STATE_STRIDE;
    private static final int EPOCH = ConditionTable.EPOCH;
    private static final int DIRECT = ConditionTable.DIRECT;
    private static final int FLAGS = ConditionTable.FLAGS;
    private static final int UNIQUE_DIRECT = ConditionTable.UNIQUE_DIRECT;
    private static final int MORE_DIRECT = ConditionTable.MORE_DIRECT;
    private static final int POSITIVE_SUBFILTERS = ConditionTable.POSITIVE_SUBFILTERS;
    private static final int NEGATIVE_SUBFILTERS = ConditionTable.NEGATIVE_SUBFILTERS;

    private final ConditionTable conditions = new ConditionTable(this);

    private final HashMap<String, Integer> subfilterSlots = new HashMap<>();
    private final SlotAllocator subfilterAllocator = new SlotAllocator();
    private String[] subfilterKeys = new String[16];
    private int[] subfilterRefs = new int[16];
    private int[] positiveCount = new int[16];
    private Literal[][] subfilterLiterals = new Literal[16][];
    private IntArrayList[] subfilterFilters = new IntArrayList[16];
    private int[] subfilterEpoch = new int[16];
    private int[] hits = new int[16];
    private int[] vetoEpoch = new int[16];
    private final IntArrayList negativeOnly = new IntArrayList();

    private final SlotAllocator filterAllocator = new SlotAllocator();
    private NormalizedFilter[] filters = new NormalizedFilter[16];
    private int[] filterRefs = new int[16];
    private int[] filterEpoch = new int[16];
    private int[] filterTerms = new int[16];
    private final IntArrayList matchAll = new IntArrayList();
    private int filterCount;

    private final IntArrayList touched = new IntArrayList();
    private IntList out;
    private int epoch;

    /**
     * @return the filter's slot; a filter stored twice is stored once with two references.
     */
    int store(final NormalizedFilter filter, final int existingSlot)
    {
        if (existingSlot != MISSING)
        {
            filterRefs[existingSlot]++;
            return existingSlot;
        }
        final int slot = filterAllocator.allocate();
        ensureFilterCapacity(slot + 1);
        filters[slot] = filter;
        filterRefs[slot] = 1;
        filterEpoch[slot] = 0;
        filterTerms[slot] = filter.dnf().conjunctions().size();
        filterCount++;
        final List<List<Literal>> conjunctions = filter.dnf().conjunctions();
        for (int i = 0; i < conjunctions.size(); i++)
        {
            final List<Literal> conjunction = conjunctions.get(i);
            if (conjunction.isEmpty())
            {
                matchAll.addInt(slot);
            }
            else if (isDirect(conjunction))
            {
                conditions.addDirect(conditions.acquire(conjunction.get(0).condition()), slot, filterTerms[slot] == 1);
            }
            else
            {
                subfilterFiltersOf(acquireSubfilter(conjunction, filter.dnf().texts().get(i))).addInt(slot);
            }
        }
        return slot;
    }

    /**
     * Drops one reference to a filter.
     *
     * @return true when it was the last one and the filter is gone.
     */
    boolean remove(final int slot)
    {
        if (--filterRefs[slot] > 0)
        {
            return false;
        }
        final NormalizedFilter filter = filters[slot];
        final List<List<Literal>> conjunctions = filter.dnf().conjunctions();
        for (int i = 0; i < conjunctions.size(); i++)
        {
            final List<Literal> conjunction = conjunctions.get(i);
            if (conjunction.isEmpty())
            {
                matchAll.removeInt(slot);
            }
            else if (isDirect(conjunction))
            {
                final int condition = conditions.slotOf(conjunction.get(0).condition());
                conditions.removeDirect(condition, slot, filterTerms);
                conditions.release(condition);
            }
            else
            {
                final int subfilter = subfilterSlots.get(filter.dnf().texts().get(i));
                subfilterFilters[subfilter].removeInt(slot);
                releaseSubfilter(subfilter);
            }
        }
        filters[slot] = null;
        filterAllocator.free(slot);
        filterCount--;
        return true;
    }

    int filterCount()
    {
        return filterCount;
    }

    String filterId(final int slot)
    {
        return filters[slot].id();
    }

    NormalizedFilter filter(final int slot)
    {
        return filters[slot];
    }

    /**
     * Appends the slots of every filter the document matches to {@code result}, each once.
     */
    void match(final Document document, final IntList result)
    {
        if (++epoch == Integer.MAX_VALUE)
        {
            resetEpochs();
        }
        // A reference store costs a G1 post-write barrier (a StoreLoad fence when the objects sit in different old
        // regions, ~25% of an equals miss in perfasm): store only when the list changes, and keep it afterwards.
        if (out != result)
        {
            out = result;
        }
        touched.clear();
        // The loop stays here rather than in ConditionTable: one call level less keeps the path within C2's
        // inlining limits (JMH showed ~20% lost on the equals workload with the extra level).
        final OperandIndex[] active = conditions.activeOperands;
        for (int i = 0; i < active.length; i++)
        {
            active[i].match(document, this);
        }
        for (int i = 0, n = touched.size(); i < n; i++)
        {
            final int subfilter = touched.getInt(i);
            if (hits[subfilter] == positiveCount[subfilter] && vetoEpoch[subfilter] != epoch)
            {
                emitSubfilter(subfilter);
            }
        }
        for (int i = 0, n = negativeOnly.size(); i < n; i++)
        {
            final int subfilter = negativeOnly.getInt(i);
            if (vetoEpoch[subfilter] != epoch)
            {
                emitSubfilter(subfilter);
            }
        }
        for (int i = 0, n = matchAll.size(); i < n; i++)
        {
            emit(matchAll.getInt(i));
        }
    }

    public void hit(final int condition)
    {
        final int[] state = conditions.state;
        final int base = condition * STATE_STRIDE;
        if (state[base + EPOCH] == epoch)
        {
            return;
        }
        state[base + EPOCH] = epoch;
        final int direct = state[base + DIRECT];
        final int flags = state[base + FLAGS];
        if (direct != MISSING)
        {
            if ((flags & UNIQUE_DIRECT) != 0)
            {
                out.add(direct);
            }
            else
            {
                emit(direct);
            }
        }
        if ((flags & ~UNIQUE_DIRECT) != 0)
        {
            hitShared(condition, flags);
        }
    }

    public void matchedFilters(final int[] filters, final int from, final int to)
    {
        out.addAll(filters, from, to);
    }

    public int pureFilter(final int condition)
    {
        return conditions.pureFilter(condition);
    }

    private void hitShared(final int condition, final int flags)
    {
        if ((flags & MORE_DIRECT) != 0)
        {
            final IntArrayList direct = conditions.directFilters[condition];
            for (int i = 0, n = direct.size(); i < n; i++)
            {
                emit(direct.getInt(i));
            }
        }
        if ((flags & POSITIVE_SUBFILTERS) != 0)
        {
            final IntArrayList positive = conditions.positiveSubfilters[condition];
            for (int i = 0, n = positive.size(); i < n; i++)
            {
                final int subfilter = positive.getInt(i);
                if (subfilterEpoch[subfilter] != epoch)
                {
                    subfilterEpoch[subfilter] = epoch;
                    hits[subfilter] = 0;
                    touched.addInt(subfilter);
                }
                hits[subfilter]++;
            }
        }
        if ((flags & NEGATIVE_SUBFILTERS) != 0)
        {
            final IntArrayList negative = conditions.negativeSubfilters[condition];
            for (int i = 0, n = negative.size(); i < n; i++)
            {
                vetoEpoch[negative.getInt(i)] = epoch;
            }
        }
    }

    private void emitSubfilter(final int subfilter)
    {
        final IntArrayList owners = subfilterFilters[subfilter];
        for (int i = 0, n = owners.size(); i < n; i++)
        {
            emit(owners.getInt(i));
        }
    }

    private void emit(final int filter)
    {
        if (filterEpoch[filter] != epoch)
        {
            filterEpoch[filter] = epoch;
            out.add(filter);
        }
    }

    private static boolean isDirect(final List<Literal> conjunction)
    {
        return conjunction.size() == 1 && !conjunction.get(0).negated();
    }

    private int acquireSubfilter(final List<Literal> conjunction, final String key)
    {
        final Integer existing = subfilterSlots.get(key);
        if (null != existing)
        {
            subfilterRefs[existing]++;
            return existing;
        }
        final int slot = subfilterAllocator.allocate();
        ensureSubfilterCapacity(slot + 1);
        subfilterKeys[slot] = key;
        subfilterRefs[slot] = 1;
        subfilterEpoch[slot] = 0;
        vetoEpoch[slot] = 0;
        subfilterLiterals[slot] = conjunction.toArray(new Literal[0]);
        subfilterSlots.put(key, slot);
        int positives = 0;
        for (final Literal literal : conjunction)
        {
            conditions.addSubfilter(conditions.acquire(literal.condition()), slot, literal.negated());
            positives += literal.negated() ? 0 : 1;
        }
        positiveCount[slot] = positives;
        if (positives == 0)
        {
            negativeOnly.addInt(slot);
        }
        return slot;
    }

    private void releaseSubfilter(final int slot)
    {
        if (--subfilterRefs[slot] > 0)
        {
            return;
        }
        for (final Literal literal : subfilterLiterals[slot])
        {
            final int condition = conditions.slotOf(literal.condition());
            conditions.removeSubfilter(condition, slot, literal.negated());
            conditions.release(condition);
        }
        if (positiveCount[slot] == 0)
        {
            negativeOnly.removeInt(slot);
        }
        subfilterSlots.remove(subfilterKeys[slot]);
        subfilterKeys[slot] = null;
        subfilterLiterals[slot] = null;
        subfilterFilters[slot] = null;
        subfilterAllocator.free(slot);
    }

    private IntArrayList subfilterFiltersOf(final int subfilter)
    {
        return ConditionTable.list(subfilterFilters, subfilter);
    }

    private void resetEpochs()
    {
        conditions.resetEpochs();
        Arrays.fill(subfilterEpoch, 0);
        Arrays.fill(vetoEpoch, 0);
        Arrays.fill(filterEpoch, 0);
        epoch = 1;
    }

    private void ensureSubfilterCapacity(final int capacity)
    {
        if (capacity > subfilterKeys.length)
        {
            final int length = Math.max(capacity, subfilterKeys.length * 2);
            subfilterKeys = Arrays.copyOf(subfilterKeys, length);
            subfilterRefs = Arrays.copyOf(subfilterRefs, length);
            positiveCount = Arrays.copyOf(positiveCount, length);
            subfilterLiterals = Arrays.copyOf(subfilterLiterals, length);
            subfilterFilters = Arrays.copyOf(subfilterFilters, length);
            subfilterEpoch = Arrays.copyOf(subfilterEpoch, length);
            hits = Arrays.copyOf(hits, length);
            vetoEpoch = Arrays.copyOf(vetoEpoch, length);
        }
    }

    private void ensureFilterCapacity(final int capacity)
    {
        if (capacity > filters.length)
        {
            final int length = Math.max(capacity, filters.length * 2);
            filters = Arrays.copyOf(filters, length);
            filterRefs = Arrays.copyOf(filterRefs, length);
            filterEpoch = Arrays.copyOf(filterEpoch, length);
            filterTerms = Arrays.copyOf(filterTerms, length);
        }
    }
}
