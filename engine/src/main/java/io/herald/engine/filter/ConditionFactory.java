package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds conditions, sharing one {@link FieldPath} per path and compiling regular expressions (RE2 semantics,
 * JavaScript flags).
 */
final class ConditionFactory
{
    private static final String JS_FLAGS = "dgimsuy";

    private final Map<String, FieldPath> paths = new HashMap<>();

    FieldPath path(final String path)
    {
        return paths.computeIfAbsent(path, FieldPath::new);
    }

    Condition equalsCondition(final String field, final JsonNode value)
    {
        return new EqualsCondition(path(field), value);
    }

    Condition existsCondition(final String field)
    {
        return new ExistsCondition(path(field));
    }

    Condition arrayContainsCondition(final String field, final JsonNode value)
    {
        return new ArrayContainsCondition(path(field), value);
    }

    Condition rangeCondition(
        final String field, final double low, final boolean lowInclusive, final double high, final boolean highInclusive)
    {
        return new RangeCondition(path(field), low, lowInclusive, high, highInclusive);
    }

    Condition geoCondition(final String field, final GeoShape shape)
    {
        return new GeoCondition(path(field), shape);
    }

    Condition matchCondition(final JsonNode value)
    {
        return new MatchCondition(value);
    }

    Condition selectCondition(final String field, final int index, final FilterNode query, final String canonical)
    {
        return new SelectCondition(path(field), index, query, canonical);
    }

    /**
     * @param value the pattern; anything but a string is refused.
     * @param flags JavaScript flags, or null.
     */
    Condition regexpCondition(final String field, final String fieldPath, final JsonNode value, final String flags)
    {
        final String text = null == value ? "undefined" : value.isTextual() ? value.textValue() : value.toString();
        if (null == value || !value.isTextual())
        {
            throw regexpError(text, flags, "the pattern must be a string", fieldPath);
        }
        int re2Flags = 0;
        final StringBuilder seen = new StringBuilder();
        if (null != flags)
        {
            for (int i = 0; i < flags.length(); i++)
            {
                final char flag = flags.charAt(i);
                if (JS_FLAGS.indexOf(flag) < 0 || seen.indexOf(String.valueOf(flag)) >= 0)
                {
                    throw regexpError(text, flags, "Invalid flags supplied to RegExp constructor '" + flags + "'",
                        fieldPath);
                }
                seen.append(flag);
                re2Flags |= flag == 'i' ? Pattern.CASE_INSENSITIVE : flag == 'm' ? Pattern.MULTILINE :
                    flag == 's' ? Pattern.DOTALL : 0;
            }
        }
        final Pattern pattern;
        try
        {
            pattern = Pattern.compile(text, re2Flags);
        }
        catch (final PatternSyntaxException ex)
        {
            throw regexpError(text, flags, ex.getMessage(), fieldPath);
        }
        final String canonicalFlags = canonicalFlags(re2Flags);
        return new RegexpCondition(path(field), text, canonicalFlags, pattern);
    }

    private static String canonicalFlags(final int re2Flags)
    {
        return ((re2Flags & Pattern.CASE_INSENSITIVE) != 0 ? "i" : "") +
            ((re2Flags & Pattern.MULTILINE) != 0 ? "m" : "") +
            ((re2Flags & Pattern.DOTALL) != 0 ? "s" : "");
    }

    private static FilterException regexpError(
        final String value, final String flags, final String reason, final String fieldPath)
    {
        return new FilterException(
            "cannot parse regexp expression \"/" + value + '/' + (null == flags ? "undefined" : flags) + "\" (" +
            reason + ')', "regexp", fieldPath);
    }
}
