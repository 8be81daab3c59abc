package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.collections.IntArrayList;

import java.util.ArrayList;

/**
 * match and select: conditions over whole objects or array elements that no index structure serves; each is
 * evaluated on every document, so their cost grows with their own number only.
 */
final class ScanIndex implements OperandIndex
{
    private final ArrayList<Condition> conditions = new ArrayList<>();
    private final IntArrayList slots = new IntArrayList();

    public void add(final int slot, final Condition condition)
    {
        conditions.add(condition);
        slots.addInt(slot);
    }

    public void remove(final int slot, final Condition condition)
    {
        final int i = slots.indexOf(slot);
        slots.fastUnorderedRemove(i);
        final int last = conditions.size() - 1;
        conditions.set(i, conditions.get(last));
        conditions.remove(last);
    }

    public void match(final Document document, final HitSink sink)
    {
        final JsonNode tree = document.tree();
        for (int i = 0, n = conditions.size(); i < n; i++)
        {
            if (conditions.get(i).test(tree))
            {
                sink.hit(slots.getInt(i));
            }
        }
    }

    public boolean isEmpty()
    {
        return conditions.isEmpty();
    }
}
