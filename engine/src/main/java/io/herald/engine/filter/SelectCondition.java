package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code select}: the field is an array and its element at {@code index} (negative: from the end) satisfies the
 * query, which sees the element as the field {@code value}.
 */
final class SelectCondition extends Condition
{
    private final int index;
    private final FilterNode query;

    SelectCondition(final FieldPath field, final int index, final FilterNode query, final String queryCanonical)
    {
        super(Kind.SELECT, field, "select " + Canonical.string(field.path()) + '[' + index + "] " + queryCanonical);
        this.index = index;
        this.query = query;
    }

    boolean test(final JsonNode document)
    {
        final JsonNode array = field.resolve(document);
        if (null == array || !array.isArray())
        {
            return false;
        }
        final int position = index >= 0 ? index : array.size() + index;
        if (position < 0 || position >= array.size())
        {
            return false;
        }
        final ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.set("value", array.get(position));
        return query.evaluate(wrapper);
    }
}
