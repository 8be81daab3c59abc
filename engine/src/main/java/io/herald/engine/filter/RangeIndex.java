package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * range: per field, an {@link IntervalIndex} queried when the field holds a number.
 */
final class RangeIndex implements OperandIndex
{
    private final FieldEntries<IntervalIndex> fields = new FieldEntries<>();

    public void add(final int slot, final Condition condition)
    {
        fields.getOrCreate(condition.field, (path) -> new IntervalIndex()).add(slot, (RangeCondition)condition);
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

    public void match(final JsonNode document, final HitSink sink)
    {
        for (int i = 0, n = fields.size(); i < n; i++)
        {
            final JsonNode value = fields.paths.get(i).resolve(document);
            if (null != value && value.isNumber())
            {
                fields.entries.get(i).query(value.doubleValue(), sink);
            }
        }
    }
}
