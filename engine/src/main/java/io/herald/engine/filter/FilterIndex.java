package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.collections.IntArrayList;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The filters of one index ({@code index/collection}) and the structures that match documents against them.
 * <p>
 * Conditions are shared by every filter that uses them and stored once in an {@link OperandIndex} of their kind.
 * A conjunction of one positive condition (the common case) notifies its filters directly when that condition
 * holds; longer conjunctions ("subfilters") count their positive conditions that held, and are vetoed by any
 * negated condition that held. Subfilters made only of negations are the one set checked on every match. A match
 * allocates nothing: per-match state lives in arrays stamped with a match epoch.
 * <p>
 * Not thread-safe: one instance belongs to one thread.
 */
final class FilterIndex implements HitSink
{
    private static final int MISSING = -1;
    private static final int STATE_STRIDE = 4;
    private static final int EPOCH = 0;
    private static final int DIRECT = 1;
    private static final int FLAGS = 2;
    /** The first direct filter has a single AND term: this condition is its only way in, no dedupe needed. */
    private static final int UNIQUE_DIRECT = 1;
    private static final int MORE_DIRECT = 2;
    private static final int POSITIVE_SUBFILTERS = 4;
    private static final int NEGATIVE_SUBFILTERS = 8;

    private final OperandIndex[] operands = new OperandIndex[Condition.Kind.values().length];
    private final OperandIndex[] distinctOperands;
    private OperandIndex[] activeOperands = new OperandIndex[0];

    private final HashMap<String, Integer> conditionSlots = new HashMap<>();
    private final SlotAllocator conditionAllocator = new SlotAllocator();
    private Condition[] conditions = new Condition[16];
    private int[] conditionRefs = new int[16];
    /**
     * Per condition, 4 ints side by side so that a hit reads one cache line: the match epoch it last held in, its
     * first direct filter (or -1), flags, and padding.
     */
    private int[] conditionState = new int[16 * STATE_STRIDE];
    private IntArrayList[] directFilters = new IntArrayList[16];
    private IntArrayList[] positiveSubfilters = new IntArrayList[16];
    private IntArrayList[] negativeSubfilters = new IntArrayList[16];

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

    FilterIndex()
    {
        operands[Condition.Kind.EQUALS.ordinal()] = new EqualsIndex();
        final ExistsIndex exists = new ExistsIndex();
        operands[Condition.Kind.EXISTS.ordinal()] = exists;
        operands[Condition.Kind.ARRAY_CONTAINS.ordinal()] = exists;
        operands[Condition.Kind.RANGE.ordinal()] = new RangeIndex(this);
        operands[Condition.Kind.REGEXP.ordinal()] = new RegexpIndex();
        operands[Condition.Kind.GEO.ordinal()] = new GeoIndex();
        final ScanIndex scan = new ScanIndex();
        operands[Condition.Kind.MATCH.ordinal()] = scan;
        operands[Condition.Kind.SELECT.ordinal()] = scan;
        distinctOperands = Arrays.stream(operands).distinct().toArray(OperandIndex[]::new);
    }

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
                addDirect(acquireCondition(conjunction.get(0).condition()), slot);
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
                final int condition = conditionSlots.get(conjunction.get(0).condition().key);
                removeDirect(condition, slot);
                releaseCondition(condition);
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
    void match(final JsonNode document, final IntList result)
    {
        if (++epoch == Integer.MAX_VALUE)
        {
            resetEpochs();
        }
        out = result;
        touched.clear();
        final OperandIndex[] active = activeOperands;
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
        out = null;
    }

    public void hit(final int condition)
    {
        final int[] state = conditionState;
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
        final int base = condition * STATE_STRIDE;
        return conditionState[base + FLAGS] == UNIQUE_DIRECT ? conditionState[base + DIRECT] : MISSING;
    }

    private void hitShared(final int condition, final int flags)
    {
        if ((flags & MORE_DIRECT) != 0)
        {
            final IntArrayList direct = directFilters[condition];
            for (int i = 0, n = direct.size(); i < n; i++)
            {
                emit(direct.getInt(i));
            }
        }
        if ((flags & POSITIVE_SUBFILTERS) != 0)
        {
            final IntArrayList positive = positiveSubfilters[condition];
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
            final IntArrayList negative = negativeSubfilters[condition];
            for (int i = 0, n = negative.size(); i < n; i++)
            {
                vetoEpoch[negative.getInt(i)] = epoch;
            }
        }
    }

    private void refreshActiveOperands()
    {
        int count = 0;
        for (final OperandIndex operand : distinctOperands)
        {
            count += operand.isEmpty() ? 0 : 1;
        }
        if (count != activeOperands.length)
        {
            final OperandIndex[] active = new OperandIndex[count];
            int i = 0;
            for (final OperandIndex operand : distinctOperands)
            {
                if (!operand.isEmpty())
                {
                    active[i++] = operand;
                }
            }
            activeOperands = active;
        }
    }

    private void changed(final int condition)
    {
        operands[conditions[condition].kind.ordinal()].changed(condition, conditions[condition]);
    }

    private void addDirect(final int condition, final int filter)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        if (conditionState[base + DIRECT] == MISSING)
        {
            conditionState[base + DIRECT] = filter;
            if (filterTerms[filter] == 1)
            {
                conditionState[base + FLAGS] |= UNIQUE_DIRECT;
            }
        }
        else
        {
            list(directFilters, condition).addInt(filter);
            conditionState[base + FLAGS] |= MORE_DIRECT;
        }
    }

    private void removeDirect(final int condition, final int filter)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        final IntArrayList more = directFilters[condition];
        if (conditionState[base + DIRECT] == filter)
        {
            conditionState[base + FLAGS] &= ~UNIQUE_DIRECT;
            conditionState[base + DIRECT] = MISSING;
            if (null != more && !more.isEmpty())
            {
                final int next = more.popInt();
                conditionState[base + DIRECT] = next;
                if (filterTerms[next] == 1)
                {
                    conditionState[base + FLAGS] |= UNIQUE_DIRECT;
                }
            }
        }
        else
        {
            more.removeInt(filter);
        }
        if (null != more && more.isEmpty())
        {
            conditionState[base + FLAGS] &= ~MORE_DIRECT;
        }
    }

    private void setFlag(final int condition, final int flag, final boolean set)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        conditionState[base + FLAGS] = set ? conditionState[base + FLAGS] | flag : conditionState[base + FLAGS] & ~flag;
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

    private int acquireCondition(final Condition condition)
    {
        final Integer existing = conditionSlots.get(condition.key);
        if (null != existing)
        {
            conditionRefs[existing]++;
            return existing;
        }
        final int slot = conditionAllocator.allocate();
        ensureConditionCapacity(slot + 1);
        conditions[slot] = condition;
        conditionRefs[slot] = 1;
        final int base = slot * STATE_STRIDE;
        conditionState[base + EPOCH] = 0;
        conditionState[base + DIRECT] = MISSING;
        conditionState[base + FLAGS] = 0;
        conditionSlots.put(condition.key, slot);
        operands[condition.kind.ordinal()].add(slot, condition);
        refreshActiveOperands();
        return slot;
    }

    private void releaseCondition(final int slot)
    {
        if (--conditionRefs[slot] > 0)
        {
            return;
        }
        final Condition condition = conditions[slot];
        operands[condition.kind.ordinal()].remove(slot, condition);
        refreshActiveOperands();
        conditionSlots.remove(condition.key);
        conditions[slot] = null;
        directFilters[slot] = null;
        positiveSubfilters[slot] = null;
        negativeSubfilters[slot] = null;
        conditionAllocator.free(slot);
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
            final int condition = acquireCondition(literal.condition());
            list(literal.negated() ? negativeSubfilters : positiveSubfilters, condition).addInt(slot);
            setFlag(condition, literal.negated() ? NEGATIVE_SUBFILTERS : POSITIVE_SUBFILTERS, true);
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
            final int condition = conditionSlots.get(literal.condition().key);
            final IntArrayList owners = (literal.negated() ? negativeSubfilters : positiveSubfilters)[condition];
            owners.removeInt(slot);
            setFlag(condition, literal.negated() ? NEGATIVE_SUBFILTERS : POSITIVE_SUBFILTERS, !owners.isEmpty());
            releaseCondition(condition);
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
        return list(subfilterFilters, subfilter);
    }

    private static IntArrayList list(final IntArrayList[] lists, final int slot)
    {
        IntArrayList list = lists[slot];
        if (null == list)
        {
            list = new IntArrayList(2, IntArrayList.DEFAULT_NULL_VALUE);
            lists[slot] = list;
        }
        return list;
    }

    private void resetEpochs()
    {
        for (int i = 0; i < conditionState.length; i += STATE_STRIDE)
        {
            conditionState[i + EPOCH] = 0;
        }
        Arrays.fill(subfilterEpoch, 0);
        Arrays.fill(vetoEpoch, 0);
        Arrays.fill(filterEpoch, 0);
        epoch = 1;
    }

    private void ensureConditionCapacity(final int capacity)
    {
        if (capacity > conditions.length)
        {
            final int length = Math.max(capacity, conditions.length * 2);
            conditions = Arrays.copyOf(conditions, length);
            conditionRefs = Arrays.copyOf(conditionRefs, length);
            conditionState = Arrays.copyOf(conditionState, length * STATE_STRIDE);
            directFilters = Arrays.copyOf(directFilters, length);
            positiveSubfilters = Arrays.copyOf(positiveSubfilters, length);
            negativeSubfilters = Arrays.copyOf(negativeSubfilters, length);
        }
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
