package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.agrona.collections.Long2LongHashMap;

/**
 * JSON scalar to int, with JavaScript strict equality as the key equality (1 and 1.0 are one key, "1" another).
 * Lookups do not allocate.
 */
final class ScalarMap
{
    static final int MISSING = -1;

    private final TextTable strings = new TextTable();
    private final Long2LongHashMap numbers = new Long2LongHashMap(MISSING);
    private int trueValue = MISSING;
    private int falseValue = MISSING;
    private int nullValue = MISSING;
    private int size;

    /**
     * Type tests by class rather than Jackson's virtual {@code isXxx()}: this runs once per field per match.
     */
    int get(final JsonNode key)
    {
        if (key instanceof TextNode)
        {
            return strings.get(key.textValue());
        }
        if (key instanceof NumericNode)
        {
            return (int)numbers.get(numberKey(key.doubleValue()));
        }
        if (key instanceof BooleanNode)
        {
            return key.booleanValue() ? trueValue : falseValue;
        }
        return key instanceof NullNode ? nullValue : MISSING;
    }

    /**
     * A document's value: the path every published document takes.
     */
    int get(final Document document, final int value)
    {
        switch (document.type(value))
        {
            case Document.STRING:
                return strings.get(document.textChars(), document.textOffset(value), document.textLength(value),
                    document.textHash(value));
            case Document.NUMBER:
                return (int)numbers.get(numberKey(document.number(value)));
            case Document.TRUE:
                return trueValue;
            case Document.FALSE:
                return falseValue;
            case Document.NULL:
                return nullValue;
            default:
                return MISSING;
        }
    }

    /**
     * @param key   a scalar.
     * @param value the value, or {@link #MISSING} to remove the key.
     */
    void put(final JsonNode key, final int value)
    {
        final boolean had = get(key) != MISSING;
        if (key.isTextual())
        {
            if (value == MISSING)
            {
                strings.remove(key.textValue());
            }
            else
            {
                strings.put(key.textValue(), value);
            }
        }
        else if (key.isNumber())
        {
            if (value == MISSING)
            {
                numbers.remove(numberKey(key.doubleValue()));
            }
            else
            {
                numbers.put(numberKey(key.doubleValue()), value);
            }
        }
        else if (key.isBoolean())
        {
            if (key.booleanValue())
            {
                trueValue = value;
            }
            else
            {
                falseValue = value;
            }
        }
        else if (key.isNull())
        {
            nullValue = value;
        }
        else
        {
            throw new IllegalArgumentException("not a scalar: " + key);
        }
        size += (value != MISSING ? 1 : 0) - (had ? 1 : 0);
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    private static long numberKey(final double value)
    {
        return Double.doubleToLongBits(value == 0 ? 0.0 : value);
    }
}
