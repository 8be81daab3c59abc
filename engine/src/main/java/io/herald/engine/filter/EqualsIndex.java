package io.herald.engine.filter;

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

    public void match(final Document document, final HitSink sink)
    {
        for (int i = 0, n = fields.resolve(document); i < n; i++)
        {
            final int slot = fields.presentEntry(i).get(document, fields.presentValue(i));
            if (slot != ScalarMap.MISSING)
            {
                sink.hit(slot);
            }
        }
    }

    public boolean isEmpty()
    {
        return fields.size() == 0;
    }
}
