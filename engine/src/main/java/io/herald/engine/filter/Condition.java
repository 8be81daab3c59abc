package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One leaf test of a filter on a document (a field equals a value, a point lies in a shape...), never negated:
 * negation lives in {@link Literal}. Conditions are shared by every filter of an index that uses them, and are
 * identified by a canonical key (same semantics, same key).
 */
abstract class Condition
{
    enum Kind
    {
        EQUALS, EXISTS, ARRAY_CONTAINS, RANGE, REGEXP, GEO, MATCH, SELECT
    }

    final Kind kind;
    final FieldPath field;
    final String key;

    Condition(final Kind kind, final FieldPath field, final String key)
    {
        this.kind = kind;
        this.field = field;
        this.key = key;
    }

    /**
     * Evaluates the condition alone on a document, without indexes: the reference the indexes must agree with,
     * and the way scan-only conditions (match, select) are evaluated.
     *
     * @param document the document root.
     * @return whether the document satisfies the condition.
     */
    abstract boolean test(JsonNode document);

    public String toString()
    {
        return key;
    }
}
