package io.herald.engine.filter;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

import java.util.Arrays;

/**
 * The ranges registered on one field, answering "which ranges contain x" in O(log n + answers).
 * <p>
 * A static segment tree over the elementary slots between sorted endpoints (each endpoint is a slot of its own, so
 * open and closed bounds are exact) holds every range in O(log n) nodes; a query walks one leaf-to-root path.
 * Ranges added since the last build wait in a short pending list scanned linearly, removed ones are skipped until
 * the next build, and the tree is rebuilt at query time when either grows past {@link #REBUILD_THRESHOLD} or a
 * quarter of the tree. Bulk registration therefore costs one build, and interleaved subscribe/publish traffic a
 * bounded scan.
 */
final class IntervalIndex
{
    static final int REBUILD_THRESHOLD = 64;
    static final int ANSWER_BUDGET_PER_RANGE = 256;

    private final HitSink purity;
    private RangeCondition[] conditions = new RangeCondition[16];
    private int[] slots = new int[16];
    private int count;
    private final Int2IntHashMap positionBySlot = new Int2IntHashMap(-1);

    private final IntArrayList pending = new IntArrayList();
    private boolean[] built = new boolean[16];
    private int removedSinceBuild;
    private int builtCount;

    private double[] endpoints = new double[0];
    private int treeSize = 1;
    private int[] nodeStart = new int[3];
    private int[] nodeItems = new int[0];

    private boolean answersValid;
    private int queriesSinceChange;
    private long lastCoverage;
    private int[] pureStart = new int[0];
    private int[] pureFilters = new int[0];
    private int[] otherStart = new int[0];
    private int[] otherConditions = new int[0];

    IntervalIndex(final HitSink purity)
    {
        this.purity = purity;
    }

    /**
     * What the condition in this slot leads to changed: answers that include it are stale.
     */
    void changed(final int slot)
    {
        final int position = positionBySlot.get(slot);
        if (position >= 0 && built[position])
        {
            invalidateAnswers();
        }
    }

    private void invalidateAnswers()
    {
        answersValid = false;
        queriesSinceChange = 0;
    }

    void add(final int slot, final RangeCondition condition)
    {
        if (count == conditions.length)
        {
            conditions = Arrays.copyOf(conditions, count * 2);
            slots = Arrays.copyOf(slots, count * 2);
            built = Arrays.copyOf(built, count * 2);
        }
        conditions[count] = condition;
        slots[count] = slot;
        built[count] = false;
        positionBySlot.put(slot, count);
        pending.addInt(count);
        count++;
    }

    void remove(final int slot)
    {
        final int position = positionBySlot.remove(slot);
        if (built[position])
        {
            removedSinceBuild++;
            invalidateAnswers();
        }
        else
        {
            pending.removeInt(position);
        }
        conditions[position] = null;
        slots[position] = -1;
        built[position] = false;
    }

    boolean isEmpty()
    {
        return positionBySlot.isEmpty();
    }

    void query(final double value, final HitSink sink)
    {
        if (pending.size() > REBUILD_THRESHOLD + (builtCount >> 2) ||
            removedSinceBuild > REBUILD_THRESHOLD + (builtCount >> 2) ||
            (!answersValid && builtCount > 0 && ++queriesSinceChange > 1024 + (lastCoverage >> 5)))
        {
            rebuild();
        }
        for (int i = 0, n = pending.size(); i < n; i++)
        {
            final int position = pending.getInt(i);
            if (conditions[position].contains(value))
            {
                sink.hit(slots[position]);
            }
        }
        if (endpoints.length == 0 && builtCount == 0)
        {
            return;
        }
        if (answersValid)
        {
            final int slot = slotOf(value);
            sink.matchedFilters(pureFilters, pureStart[slot], pureStart[slot + 1]);
            for (int i = otherStart[slot], end = otherStart[slot + 1]; i < end; i++)
            {
                sink.hit(otherConditions[i]);
            }
            return;
        }
        int node = slotOf(value) + treeSize;
        while (node >= 1)
        {
            for (int i = nodeStart[node], end = nodeStart[node + 1]; i < end; i++)
            {
                final int position = nodeItems[i];
                if (built[position])
                {
                    sink.hit(slots[position]);
                }
            }
            node >>= 1;
        }
    }

    private int slotOf(final double value)
    {
        final int found = Arrays.binarySearch(endpoints, value);
        return found >= 0 ? 2 * found + 1 : 2 * (-found - 1);
    }

    private void rebuild()
    {
        compact();
        final double[] points = new double[2 * count];
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            if (!Double.isInfinite(conditions[i].low))
            {
                points[n++] = conditions[i].low;
            }
            if (!Double.isInfinite(conditions[i].high))
            {
                points[n++] = conditions[i].high;
            }
        }
        Arrays.sort(points, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++)
        {
            if (unique == 0 || points[unique - 1] != points[i])
            {
                points[unique++] = points[i];
            }
        }
        endpoints = Arrays.copyOf(points, unique);
        final int leaves = 2 * unique + 1;
        treeSize = Integer.highestOneBit(leaves) == leaves ? leaves : Integer.highestOneBit(leaves) << 1;

        final int[] counts = new int[2 * treeSize + 1];
        for (int i = 0; i < count; i++)
        {
            decompose(i, counts, null, null);
        }
        nodeStart = new int[2 * treeSize + 1];
        for (int node = 1; node <= 2 * treeSize; node++)
        {
            nodeStart[node] = nodeStart[node - 1] + counts[node - 1];
        }
        nodeItems = new int[nodeStart[2 * treeSize]];
        final int[] fill = Arrays.copyOf(nodeStart, nodeStart.length);
        for (int i = 0; i < count; i++)
        {
            decompose(i, null, fill, nodeItems);
        }
        for (int i = 0; i < count; i++)
        {
            built[i] = true;
        }
        builtCount = count;
        removedSinceBuild = 0;
        pending.clear();
        buildAnswers(leaves);
    }

    private void buildAnswers(final int leaves)
    {
        final int[] lowSlots = new int[count];
        final int[] highSlots = new int[count];
        long coverage = 0;
        for (int i = 0; i < count; i++)
        {
            lowSlots[i] = lowSlot(conditions[i]);
            highSlots[i] = highSlot(conditions[i]);
            coverage += Math.max(0, highSlots[i] - lowSlots[i] + 1);
        }
        lastCoverage = coverage;
        if (coverage > (long)ANSWER_BUDGET_PER_RANGE * count + 4096)
        {
            answersValid = false;
            pureStart = pureFilters = otherStart = otherConditions = new int[0];
            return;
        }
        final int[] pureCount = new int[leaves + 1];
        final int[] otherCount = new int[leaves + 1];
        final int[] pure = new int[count];
        for (int i = 0; i < count; i++)
        {
            pure[i] = purity.pureFilter(slots[i]);
            final int[] counts = pure[i] >= 0 ? pureCount : otherCount;
            for (int s = lowSlots[i]; s <= highSlots[i]; s++)
            {
                counts[s + 1]++;
            }
        }
        for (int s = 0; s < leaves; s++)
        {
            pureCount[s + 1] += pureCount[s];
            otherCount[s + 1] += otherCount[s];
        }
        pureStart = pureCount;
        otherStart = otherCount;
        pureFilters = new int[pureStart[leaves]];
        otherConditions = new int[otherStart[leaves]];
        final int[] pureFill = Arrays.copyOf(pureStart, leaves);
        final int[] otherFill = Arrays.copyOf(otherStart, leaves);
        for (int i = 0; i < count; i++)
        {
            for (int s = lowSlots[i]; s <= highSlots[i]; s++)
            {
                if (pure[i] >= 0)
                {
                    pureFilters[pureFill[s]++] = pure[i];
                }
                else
                {
                    otherConditions[otherFill[s]++] = slots[i];
                }
            }
        }
        answersValid = true;
        queriesSinceChange = 0;
    }

    private int lowSlot(final RangeCondition range)
    {
        return Double.isInfinite(range.low) ? 0 :
            2 * Arrays.binarySearch(endpoints, range.low) + (range.lowInclusive ? 1 : 2);
    }

    private int highSlot(final RangeCondition range)
    {
        return Double.isInfinite(range.high) ? 2 * endpoints.length :
            2 * Arrays.binarySearch(endpoints, range.high) + (range.highInclusive ? 1 : 0);
    }

    /**
     * Canonical segment-tree cover of the slots of one range: counts nodes, or writes the range into them.
     */
    private void decompose(final int position, final int[] counts, final int[] fill, final int[] items)
    {
        final RangeCondition range = conditions[position];
        int left = lowSlot(range) + treeSize;
        int right = highSlot(range) + treeSize + 1;
        while (left < right)
        {
            if ((left & 1) == 1)
            {
                record(left++, position, counts, fill, items);
            }
            if ((right & 1) == 1)
            {
                record(--right, position, counts, fill, items);
            }
            left >>= 1;
            right >>= 1;
        }
    }

    private static void record(final int node, final int position, final int[] counts, final int[] fill,
        final int[] items)
    {
        if (null != counts)
        {
            counts[node]++;
        }
        else
        {
            items[fill[node]++] = position;
        }
    }

    /**
     * Drops removed positions so that the arrays stay dense.
     */
    private void compact()
    {
        int live = 0;
        positionBySlot.clear();
        for (int i = 0; i < count; i++)
        {
            if (null != conditions[i])
            {
                conditions[live] = conditions[i];
                slots[live] = slots[i];
                positionBySlot.put(slots[live], live);
                live++;
            }
        }
        for (int i = live; i < count; i++)
        {
            conditions[i] = null;
            slots[i] = -1;
        }
        count = live;
    }
}
