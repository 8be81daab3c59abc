package io.herald.engine.filter;

/**
 * A condition or its negation: one term of a conjunction in a normalized filter.
 */
record Literal(Condition condition, boolean negated)
{
    String key()
    {
        return negated ? "!" + condition.key : condition.key;
    }

    Literal negate()
    {
        return new Literal(condition, !negated);
    }

    public String toString()
    {
        return key();
    }
}
