package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code exists}: the field is present, whatever its value (null included). {@code missing} is its negation.
 */
final class ExistsCondition extends Condition
{
    ExistsCondition(final FieldPath field)
    {
        super(Kind.EXISTS, field, "exists " + Canonical.string(field.path()));
    }

    boolean test(final JsonNode document)
    {
        return null != field.resolve(document);
    }
}
