package io.herald.engine.filter;

/**
 * range: per field, an {@link IntervalIndex} queried when the field holds a number.
 */
final class RangeIndex implements OperandIndex
{
    private final FieldEntries<IntervalIndex> fields = new FieldEntries<>();
    private final HitSink purity;

    RangeIndex(final HitSink purity)
    {
        this.purity = purity;
    }

    public void changed(final int slot, final Condition condition)
    {
        final IntervalIndex intervals = fields.get(condition.field);
        if (null != intervals)
        {
            intervals.changed(slot);
        }
    }

    public void add(final int slot, final Condition condition)
    {
        fields.getOrCreate(condition.field, (path) -> new IntervalIndex(purity)).add(slot, (RangeCondition)condition);
    }

    public void remove(final int slot, final Condition condition)
    {
        final IntervalIndex intervals = fields.get(condition.field);
        intervals.remove(slot);
        if (intervals.isEmpty())
        {
            fields.remove(condition.field);
        }
    }

    public void match(final Document document, final HitSink sink)
    {
        for (int i = 0, n = fields.resolve(document); i < n; i++)
        {
            final int value = fields.presentValue(i);
            if (document.type(value) == Document.NUMBER)
            {
                fields.presentEntry(i).query(document.number(value), sink);
            }
        }
    }

    public boolean isEmpty()
    {
        return fields.size() == 0;
    }
}
