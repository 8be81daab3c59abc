package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A parsed filter before normalization: the boolean structure over conditions.
 */
sealed interface FilterNode
{
    /**
     * Direct evaluation on a document: the reference semantics the indexed matcher must agree with.
     */
    boolean evaluate(JsonNode document);

    record And(List<FilterNode> operands) implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            for (final FilterNode operand : operands)
            {
                if (!operand.evaluate(document))
                {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<FilterNode> operands) implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            for (final FilterNode operand : operands)
            {
                if (operand.evaluate(document))
                {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(FilterNode operand) implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            return !operand.evaluate(document);
        }
    }

    record Leaf(Condition condition) implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            return condition.test(document);
        }
    }

    /** {@code {}}: every document. */
    record Everything() implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            return true;
        }
    }

    /** {@code nothing}: no document. */
    record Nothing() implements FilterNode
    {
        public boolean evaluate(final JsonNode document)
        {
            return false;
        }
    }
}
