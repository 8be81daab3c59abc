package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code equals}: the field holds exactly this scalar (no type coercion). {@code in} and {@code ids} become
 * several of these.
 */
final class EqualsCondition extends Condition
{
    final JsonNode value;

    EqualsCondition(final FieldPath field, final JsonNode value)
    {
        super(Kind.EQUALS, field, "equals " + Canonical.string(field.path()) + '=' + Canonical.json(value));
        this.value = value;
    }

    boolean test(final JsonNode document)
    {
        return Scalars.strictEquals(field.resolve(document), value);
    }
}
