package io.herald.engine.filter;

/**
 * exists (plain and array form): one lookup per registered field, plus one hash lookup per array element when
 * array-form conditions exist on that field.
 */
final class ExistsIndex implements OperandIndex
{
    private static final class Field
    {
        int exists = ScalarMap.MISSING;
        final ScalarMap arrayValues = new ScalarMap();
        int neverTrue;

        boolean isEmpty()
        {
            return exists == ScalarMap.MISSING && arrayValues.isEmpty() && neverTrue == 0;
        }
    }

    private final FieldEntries<Field> fields = new FieldEntries<>();

    public void add(final int slot, final Condition condition)
    {
        final Field field = fields.getOrCreate(condition.field, (path) -> new Field());
        if (condition instanceof ArrayContainsCondition contains)
        {
            if (Scalars.isScalar(contains.value))
            {
                field.arrayValues.put(contains.value, slot);
            }
            else
            {
                field.neverTrue++;
            }
        }
        else
        {
            field.exists = slot;
        }
    }

    public void remove(final int slot, final Condition condition)
    {
        final Field field = fields.get(condition.field);
        if (condition instanceof ArrayContainsCondition contains)
        {
            if (Scalars.isScalar(contains.value))
            {
                field.arrayValues.put(contains.value, ScalarMap.MISSING);
            }
            else
            {
                field.neverTrue--;
            }
        }
        else
        {
            field.exists = ScalarMap.MISSING;
        }
        if (field.isEmpty())
        {
            fields.remove(condition.field);
        }
    }

    public void match(final Document document, final HitSink sink)
    {
        for (int i = 0, n = fields.resolve(document); i < n; i++)
        {
            final int value = fields.presentValue(i);
            final Field field = fields.presentEntry(i);
            if (field.exists != ScalarMap.MISSING)
            {
                sink.hit(field.exists);
            }
            if (document.isArray(value) && !field.arrayValues.isEmpty())
            {
                for (int element = document.first(value); element != Document.NONE;
                    element = document.next(value, element))
                {
                    final int slot = field.arrayValues.get(document, element);
                    if (slot != ScalarMap.MISSING)
                    {
                        sink.hit(slot);
                    }
                }
            }
        }
    }

    public boolean isEmpty()
    {
        return fields.size() == 0;
    }
}
