package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code exists: 'field["value"]'}: the field is an array holding this scalar. A non-scalar value can never be
 * found (Koncorde compares by identity), so such a condition is always false.
 */
final class ArrayContainsCondition extends Condition
{
    final JsonNode value;

    ArrayContainsCondition(final FieldPath field, final JsonNode value)
    {
        super(Kind.ARRAY_CONTAINS, field, "exists " + Canonical.string(field.path()) + '[' +
            Canonical.json(value) + ']');
        this.value = value;
    }

    boolean test(final JsonNode document)
    {
        final JsonNode array = field.resolve(document);
        if (null == array || !array.isArray() || !Scalars.isScalar(value))
        {
            return false;
        }
        for (int i = 0, n = array.size(); i < n; i++)
        {
            if (Scalars.strictEquals(array.get(i), value))
            {
                return true;
            }
        }
        return false;
    }
}
