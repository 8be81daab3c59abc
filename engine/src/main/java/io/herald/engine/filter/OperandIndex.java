package io.herald.engine.filter;

/**
 * An index over the conditions of one kind: given a document, reports the conditions that hold, at a cost that
 * grows with the candidates it touches rather than with the number of conditions it holds.
 */
interface OperandIndex
{
    void add(int slot, Condition condition);

    void remove(int slot, Condition condition);

    void match(Document document, HitSink sink);

    /**
     * @return whether the index holds no condition (then matching skips it).
     */
    boolean isEmpty();

    /**
     * What a condition leads to changed (filters or AND terms added or removed): indexes that cache answers per
     * condition drop them.
     */
    default void changed(final int slot, final Condition condition)
    {
    }
}
