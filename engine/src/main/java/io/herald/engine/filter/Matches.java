package io.herald.engine.filter;

/**
 * The filters one document matched, reused from match to match so that matching does not allocate.
 * Valid until the next match with the same instance or the next change of the engine.
 */
public final class Matches
{
    final IntList slots = new IntList();
    FilterIndex index;

    /**
     * @return how many filters matched.
     */
    public int size()
    {
        return slots.size();
    }

    /**
     * @param i from 0 to {@link #size()} - 1.
     * @return the id of the i-th matching filter (no allocation: ids are kept by the engine).
     */
    public String filterId(final int i)
    {
        return index.filterId(slots.get(i));
    }

    /**
     * @param i from 0 to {@link #size()} - 1.
     * @return the i-th matching filter.
     */
    public NormalizedFilter filter(final int i)
    {
        return index.filter(slots.get(i));
    }

    void reset(final FilterIndex index)
    {
        if (this.index != index)
        {
            this.index = index; // stored only on change: a reference store costs a G1 write barrier per match
        }
        slots.clear();
    }
}
