package io.herald.engine.filter;

import org.agrona.collections.IntArrayList;

import java.util.ArrayList;

/**
 * regexp: per field, the set of distinct patterns, tested only when the field holds a string.
 */
final class RegexpIndex implements OperandIndex
{
    private static final class Field
    {
        final ArrayList<RegexpCondition> conditions = new ArrayList<>();
        final IntArrayList slots = new IntArrayList();
    }

    private final FieldEntries<Field> fields = new FieldEntries<>();

    public void add(final int slot, final Condition condition)
    {
        final Field field = fields.getOrCreate(condition.field, (path) -> new Field());
        field.conditions.add((RegexpCondition)condition);
        field.slots.addInt(slot);
    }

    public void remove(final int slot, final Condition condition)
    {
        final Field field = fields.get(condition.field);
        final int i = field.slots.indexOf(slot);
        field.slots.fastUnorderedRemove(i);
        final int last = field.conditions.size() - 1;
        field.conditions.set(i, field.conditions.get(last));
        field.conditions.remove(last);
        if (field.conditions.isEmpty())
        {
            fields.remove(condition.field);
        }
    }

    public void match(final Document document, final HitSink sink)
    {
        for (int i = 0, n = fields.resolve(document); i < n; i++)
        {
            final int value = fields.presentValue(i);
            if (document.type(value) != Document.STRING)
            {
                continue;
            }
            final Field field = fields.presentEntry(i);
            final CharSequence text = document.text(value);
            for (int j = 0, size = field.conditions.size(); j < size; j++)
            {
                if (field.conditions.get(j).pattern.matcher(text).find())
                {
                    sink.hit(field.slots.getInt(j));
                }
            }
        }
    }

    public boolean isEmpty()
    {
        return fields.size() == 0;
    }
}
