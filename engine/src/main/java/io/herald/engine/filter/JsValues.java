package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;

/**
 * JavaScript value conversions Koncorde relies on ({@code parseFloat}, {@code String(x)}, truthiness), so that
 * filters and documents written for Kuzzle are read the same way here.
 */
final class JsValues
{
    private JsValues()
    {
    }

    /**
     * {@code parseFloat(String(node))}: numbers as they are, strings by their longest numeric prefix.
     *
     * @param node any JSON value, or null for undefined.
     * @return the number, or NaN.
     */
    static double parseFloat(final JsonNode node)
    {
        if (node instanceof NumericNode)
        {
            return node.doubleValue();
        }
        if (null == node)
        {
            return Double.NaN;
        }
        if (node.isTextual())
        {
            return parseFloat(node.textValue());
        }
        if (node.isArray() && node.size() > 0)
        {
            // String([a, b]) is "a,b": only the first element can start a number.
            return parseFloat(node.get(0));
        }
        return Double.NaN;
    }

    /**
     * {@code parseFloat(String(value))} of a flat document's value, {@link Document#NONE} for undefined.
     */
    static double parseFloat(final Document document, final int value)
    {
        if (value == Document.NONE)
        {
            return Double.NaN;
        }
        switch (document.type(value))
        {
            case Document.NUMBER:
                return document.number(value);
            case Document.STRING:
                return parseFloat(document.text(value));
            case Document.ARRAY:
                final int first = document.first(value);
                return first == Document.NONE ? Double.NaN : parseFloat(document, first);
            default:
                return Double.NaN;
        }
    }

    /**
     * JavaScript truthiness of a flat document's value, {@link Document#NONE} for undefined.
     */
    static boolean isTruthy(final Document document, final int value)
    {
        if (value == Document.NONE)
        {
            return false;
        }
        switch (document.type(value))
        {
            case Document.NULL:
            case Document.FALSE:
                return false;
            case Document.NUMBER:
                final double number = document.number(value);
                return number != 0 && !Double.isNaN(number);
            case Document.STRING:
                return document.textLength(value) > 0;
            default:
                return true;
        }
    }

    /**
     * JavaScript's {@code parseFloat}: skips leading white space, then reads the longest prefix that is a
     * decimal literal (or Infinity).
     *
     * @param text the text.
     * @return the number, or NaN when no prefix is a number.
     */
    static double parseFloat(final CharSequence text)
    {
        final int length = text.length();
        int i = 0;
        while (i < length && isJsWhiteSpace(text.charAt(i)))
        {
            i++;
        }
        final int start = i;
        if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-'))
        {
            i++;
        }
        if (regionMatches(text, i, "Infinity"))
        {
            return text.charAt(start) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        final int digitsStart = i;
        boolean digits = false;
        while (i < length && isDigit(text.charAt(i)))
        {
            i++;
            digits = true;
        }
        if (i < length && text.charAt(i) == '.')
        {
            i++;
            while (i < length && isDigit(text.charAt(i)))
            {
                i++;
                digits = true;
            }
        }
        if (!digits)
        {
            return Double.NaN;
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E'))
        {
            int j = i + 1;
            if (j < length && (text.charAt(j) == '+' || text.charAt(j) == '-'))
            {
                j++;
            }
            final int expStart = j;
            while (j < length && isDigit(text.charAt(j)))
            {
                j++;
            }
            if (j > expStart)
            {
                i = j;
            }
        }
        if (digitsStart == i)
        {
            return Double.NaN;
        }
        return Double.parseDouble(text.subSequence(start, i).toString());
    }

    /**
     * JavaScript truthiness of a JSON value: false, 0, "" and null are falsy.
     *
     * @param node the value, null for undefined.
     * @return whether the value is truthy.
     */
    static boolean isTruthy(final JsonNode node)
    {
        if (null == node || node.isNull() || node.isMissingNode())
        {
            return false;
        }
        if (node.isBoolean())
        {
            return node.booleanValue();
        }
        if (node.isNumber())
        {
            final double value = node.doubleValue();
            return value != 0 && !Double.isNaN(value);
        }
        if (node.isTextual())
        {
            return !node.textValue().isEmpty();
        }
        return true;
    }

    static boolean isJsWhiteSpace(final char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u00A0' ||
            c == '\uFEFF' || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean regionMatches(final CharSequence text, final int offset, final String expected)
    {
        if (offset + expected.length() > text.length())
        {
            return false;
        }
        for (int i = 0; i < expected.length(); i++)
        {
            if (text.charAt(offset + i) != expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
