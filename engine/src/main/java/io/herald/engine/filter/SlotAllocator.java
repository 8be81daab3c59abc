package io.herald.engine.filter;

import org.agrona.collections.IntArrayList;

/**
 * Hands out dense int slots, reusing freed ones first so that the parallel arrays indexed by them stay small.
 */
final class SlotAllocator
{
    private final IntArrayList free = new IntArrayList();
    private int next;

    int allocate()
    {
        return free.isEmpty() ? next++ : free.popInt();
    }

    void free(final int slot)
    {
        free.pushInt(slot);
    }
}
