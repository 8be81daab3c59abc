package io.herald.engine.filter;

import org.agrona.collections.IntArrayList;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The conditions of one {@link FilterIndex}: each stored once (key = canonical text) with a reference count, filed in
 * the {@link OperandIndex} of its kind, and linked to what it leads to: filters it alone satisfies ("direct"), and
 * AND terms that contain it positively or negated.
 * <p>
 * The hot fields are read by {@link FilterIndex#hit(int)} directly: per condition, {@link #STATE_STRIDE} ints side by
 * side in {@link #state} (epoch of the last match it held in, first direct filter, flags), so a hit reads one cache
 * line.
 */
final class ConditionTable
{
    static final int MISSING = -1;
    static final int STATE_STRIDE = 4;
    static final int EPOCH = 0;
    static final int DIRECT = 1;
    static final int FLAGS = 2;
    /** The first direct filter has a single AND term: this condition is its only way in, no dedupe needed. */
    static final int UNIQUE_DIRECT = 1;
    static final int MORE_DIRECT = 2;
    static final int POSITIVE_SUBFILTERS = 4;
    static final int NEGATIVE_SUBFILTERS = 8;

    int[] state = new int[16 * STATE_STRIDE];
    IntArrayList[] directFilters = new IntArrayList[16];
    IntArrayList[] positiveSubfilters = new IntArrayList[16];
    IntArrayList[] negativeSubfilters = new IntArrayList[16];

    private final OperandIndex[] operands = new OperandIndex[Condition.Kind.values().length];
    private final OperandIndex[] distinctOperands;
    /** The operand indexes holding at least one condition: the only ones a match asks. */
    OperandIndex[] activeOperands = new OperandIndex[0];
    private final HashMap<String, Integer> slots = new HashMap<>();
    private final SlotAllocator allocator = new SlotAllocator();
    private Condition[] conditions = new Condition[16];
    private int[] references = new int[16];

    /**
     * @param purity tells the range index which conditions lead to one filter only (see {@link HitSink#pureFilter}).
     */
    ConditionTable(final HitSink purity)
    {
        operands[Condition.Kind.EQUALS.ordinal()] = new EqualsIndex();
        final ExistsIndex exists = new ExistsIndex();
        operands[Condition.Kind.EXISTS.ordinal()] = exists;
        operands[Condition.Kind.ARRAY_CONTAINS.ordinal()] = exists;
        operands[Condition.Kind.RANGE.ordinal()] = new RangeIndex(purity);
        operands[Condition.Kind.REGEXP.ordinal()] = new RegexpIndex();
        operands[Condition.Kind.GEO.ordinal()] = new GeoIndex();
        final ScanIndex scan = new ScanIndex();
        operands[Condition.Kind.MATCH.ordinal()] = scan;
        operands[Condition.Kind.SELECT.ordinal()] = scan;
        distinctOperands = Arrays.stream(operands).distinct().toArray(OperandIndex[]::new);
    }

    int slotOf(final Condition condition)
    {
        return slots.get(condition.key);
    }

    /**
     * @return the slot of the condition, stored on first use; every call must be paired with {@link #release}.
     */
    int acquire(final Condition condition)
    {
        final Integer existing = slots.get(condition.key);
        if (null != existing)
        {
            references[existing]++;
            return existing;
        }
        final int slot = allocator.allocate();
        ensureCapacity(slot + 1);
        conditions[slot] = condition;
        references[slot] = 1;
        final int base = slot * STATE_STRIDE;
        state[base + EPOCH] = 0;
        state[base + DIRECT] = MISSING;
        state[base + FLAGS] = 0;
        slots.put(condition.key, slot);
        operands[condition.kind.ordinal()].add(slot, condition);
        refreshActiveOperands();
        return slot;
    }

    void release(final int slot)
    {
        if (--references[slot] > 0)
        {
            return;
        }
        final Condition condition = conditions[slot];
        operands[condition.kind.ordinal()].remove(slot, condition);
        refreshActiveOperands();
        slots.remove(condition.key);
        conditions[slot] = null;
        directFilters[slot] = null;
        positiveSubfilters[slot] = null;
        negativeSubfilters[slot] = null;
        allocator.free(slot);
    }

    /**
     * @param unique whether the filter is this condition alone (a single AND term).
     */
    void addDirect(final int condition, final int filter, final boolean unique)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        if (state[base + DIRECT] == MISSING)
        {
            state[base + DIRECT] = filter;
            if (unique)
            {
                state[base + FLAGS] |= UNIQUE_DIRECT;
            }
        }
        else
        {
            list(directFilters, condition).addInt(filter);
            state[base + FLAGS] |= MORE_DIRECT;
        }
    }

    /**
     * @param filterTerms AND terms per filter slot, to tell whether the filter promoted to first is unique.
     */
    void removeDirect(final int condition, final int filter, final int[] filterTerms)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        final IntArrayList more = directFilters[condition];
        if (state[base + DIRECT] == filter)
        {
            state[base + FLAGS] &= ~UNIQUE_DIRECT;
            state[base + DIRECT] = MISSING;
            if (null != more && !more.isEmpty())
            {
                final int next = more.popInt();
                state[base + DIRECT] = next;
                if (filterTerms[next] == 1)
                {
                    state[base + FLAGS] |= UNIQUE_DIRECT;
                }
            }
        }
        else
        {
            more.removeInt(filter);
        }
        if (null != more && more.isEmpty())
        {
            state[base + FLAGS] &= ~MORE_DIRECT;
        }
    }

    void addSubfilter(final int condition, final int subfilter, final boolean negated)
    {
        list(negated ? negativeSubfilters : positiveSubfilters, condition).addInt(subfilter);
        setFlag(condition, negated ? NEGATIVE_SUBFILTERS : POSITIVE_SUBFILTERS, true);
    }

    void removeSubfilter(final int condition, final int subfilter, final boolean negated)
    {
        final IntArrayList owners = (negated ? negativeSubfilters : positiveSubfilters)[condition];
        owners.removeInt(subfilter);
        setFlag(condition, negated ? NEGATIVE_SUBFILTERS : POSITIVE_SUBFILTERS, !owners.isEmpty());
    }

    int pureFilter(final int condition)
    {
        final int base = condition * STATE_STRIDE;
        return state[base + FLAGS] == UNIQUE_DIRECT ? state[base + DIRECT] : MISSING;
    }

    void resetEpochs()
    {
        for (int i = 0; i < state.length; i += STATE_STRIDE)
        {
            state[i + EPOCH] = 0;
        }
    }

    static IntArrayList list(final IntArrayList[] lists, final int slot)
    {
        IntArrayList list = lists[slot];
        if (null == list)
        {
            list = new IntArrayList(2, IntArrayList.DEFAULT_NULL_VALUE);
            lists[slot] = list;
        }
        return list;
    }

    private void setFlag(final int condition, final int flag, final boolean set)
    {
        changed(condition);
        final int base = condition * STATE_STRIDE;
        state[base + FLAGS] = set ? state[base + FLAGS] | flag : state[base + FLAGS] & ~flag;
    }

    private void changed(final int condition)
    {
        operands[conditions[condition].kind.ordinal()].changed(condition, conditions[condition]);
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

    private void ensureCapacity(final int capacity)
    {
        if (capacity > conditions.length)
        {
            final int length = Math.max(capacity, conditions.length * 2);
            conditions = Arrays.copyOf(conditions, length);
            references = Arrays.copyOf(references, length);
            state = Arrays.copyOf(state, length * STATE_STRIDE);
            directFilters = Arrays.copyOf(directFilters, length);
            positiveSubfilters = Arrays.copyOf(positiveSubfilters, length);
            negativeSubfilters = Arrays.copyOf(negativeSubfilters, length);
        }
    }
}
