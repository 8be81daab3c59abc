package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code range}: the field is a JSON number inside the interval. Bounds are exact: {@code gt: 5} excludes 5 and
 * nothing else (Koncorde shifts strict bounds by 1e-10 instead).
 */
final class RangeCondition extends Condition
{
    final double low;
    final boolean lowInclusive;
    final double high;
    final boolean highInclusive;

    RangeCondition(
        final FieldPath field,
        final double low,
        final boolean lowInclusive,
        final double high,
        final boolean highInclusive)
    {
        super(Kind.RANGE, field, "range " + Canonical.string(field.path()) + ' ' + (lowInclusive ? '[' : '(') +
            Canonical.number(low) + ',' + Canonical.number(high) + (highInclusive ? ']' : ')'));
        this.low = low;
        this.lowInclusive = lowInclusive;
        this.high = high;
        this.highInclusive = highInclusive;
    }

    boolean contains(final double value)
    {
        return (lowInclusive ? value >= low : value > low) && (highInclusive ? value <= high : value < high);
    }

    boolean test(final JsonNode document)
    {
        final JsonNode value = field.resolve(document);
        return null != value && value.isNumber() && contains(value.doubleValue());
    }
}
