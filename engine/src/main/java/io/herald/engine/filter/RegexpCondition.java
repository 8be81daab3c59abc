package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;

/**
 * {@code regexp}: the field is a string in which the RE2 pattern is found (a search, like JavaScript's
 * {@code RegExp.test}). Flags: {@code i}, {@code m}, {@code s}; {@code g}, {@code y} and {@code u} change nothing
 * for a yes/no test on RE2 and are accepted.
 */
final class RegexpCondition extends Condition
{
    final Pattern pattern;

    RegexpCondition(final FieldPath field, final String value, final String flags, final Pattern pattern)
    {
        super(Kind.REGEXP, field, "regexp " + Canonical.string(field.path()) + ' ' + Canonical.string(value) +
            '/' + flags);
        this.pattern = pattern;
    }

    boolean test(final JsonNode document)
    {
        final JsonNode value = field.resolve(document);
        return null != value && value.isTextual() && pattern.matcher(value.textValue()).find();
    }
}
