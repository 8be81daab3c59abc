package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * equals (and so in, ids): one hash lookup per registered field.
 */
final class EqualsIndex implements OperandIndex
{
    private final FieldEntries<ScalarMap> fields = new FieldEntries<>();

    public void add(final int slot, final Condition condition)
    {
        fields.getOrCreate(condition.field, (path) -> new ScalarMap())
            .put(((EqualsCondition)condition).value, slot);
    }

    public void remove(final int slot, final Condition condition)
    {
        final ScalarMap values = fields.get(condition.field);
        values.put(((EqualsCondition)condition).value, ScalarMap.MISSING);
        if (values.isEmpty())
        {
            fields.remove(condition.field);
        }
    }

    public void match(final JsonNode document, final HitSink sink)
    {
        for (int i = 0, n = fields.size(); i < n; i++)
        {
            final JsonNode value = fields.paths.get(i).resolve(document);
            if (null != value)
            {
                final int slot = fields.entries.get(i).get(value);
                if (slot != ScalarMap.MISSING)
                {
                    sink.hit(slot);
                }
            }
        }
    }
}
