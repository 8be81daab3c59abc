package io.herald.tools.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration setting: its key in the config file, its default, and how a value is read and checked. A value
 * that does not fit fails at start with a message naming the key and what it accepts.
 *
 * @param key         the key, e.g. {@code edge.port}.
 * @param description what it sets, for the documentation and error messages.
 * @param defaultText the default, as written in a file.
 * @param accepts     what values are accepted, in words.
 * @param parser      reads a value, returning null when it does not fit.
 * @param <T>         the value type.
 */
public record Setting<T>(String key, String description, String defaultText, String accepts, Function<String, T> parser)
{
    /**
     * @throws ConfigException naming the key, the accepted values and the value found.
     */
    public T parse(final String text, final String source)
    {
        final T value = null == text ? null : parser.apply(text.trim());
        if (null == value)
        {
            throw new ConfigException(source + ": setting '" + key + "' must be " + accepts + ", got '" + text + "'");
        }
        return value;
    }

    public static Setting<Integer> integer(
        final String key, final String description, final int defaultValue, final int min, final int max)
    {
        return new Setting<>(key, description, Integer.toString(defaultValue),
            "an integer in [" + min + ", " + max + "]",
            (text) ->
            {
                try
                {
                    final int value = Integer.parseInt(text);
                    return value >= min && value <= max ? value : null;
                }
                catch (final NumberFormatException ex)
                {
                    return null;
                }
            });
    }

    public static Setting<Integer> powerOfTwo(
        final String key, final String description, final int defaultValue, final int min, final int max)
    {
        final Setting<Integer> range = integer(key, description, defaultValue, min, max);
        return new Setting<>(key, description, range.defaultText(), "a power of two in [" + min + ", " + max + "]",
            (text) ->
            {
                final Integer value = range.parser().apply(text);
                return null != value && Integer.bitCount(value) == 1 ? value : null;
            });
    }

    /**
     * A duration with a unit: {@code ns}, {@code us}, {@code ms} or {@code s} (e.g. {@code 500ms}); read as
     * nanoseconds.
     */
    public static Setting<Long> duration(
        final String key, final String description, final String defaultValue, final long minNs, final long maxNs)
    {
        return new Setting<>(key, description, defaultValue,
            "a duration with unit ns, us, ms or s, between " + minNs + "ns and " + maxNs + "ns",
            (text) ->
            {
                final Long value = nanoseconds(text);
                return null != value && value >= minNs && value <= maxNs ? value : null;
            });
    }

    public static Setting<String> choice(
        final String key, final String description, final String defaultValue, final List<String> choices)
    {
        return new Setting<>(key, description, defaultValue, "one of " + String.join(", ", choices),
            (text) -> choices.contains(text.toLowerCase(Locale.ROOT)) ? text.toLowerCase(Locale.ROOT) : null);
    }

    public static Setting<Boolean> flag(final String key, final String description, final boolean defaultValue)
    {
        return new Setting<>(key, description, Boolean.toString(defaultValue), "true or false",
            (text) -> switch (text.toLowerCase(Locale.ROOT))
            {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> null;
            });
    }

    /**
     * A text that may be left empty (the default): empty means "not set".
     */
    public static Setting<String> optionalText(final String key, final String description)
    {
        return new Setting<>(key, description, "", "a text, or nothing", (text) -> text);
    }

    public static Setting<String> text(final String key, final String description, final String defaultValue)
    {
        return new Setting<>(key, description, defaultValue, "a non-empty text",
            (text) -> text.isEmpty() ? null : text);
    }

    static Long nanoseconds(final String text)
    {
        final String lower = text.toLowerCase(Locale.ROOT);
        final long unit;
        final String number;
        if (lower.endsWith("ns"))
        {
            unit = 1;
            number = lower.substring(0, lower.length() - 2);
        }
        else if (lower.endsWith("us"))
        {
            unit = 1_000;
            number = lower.substring(0, lower.length() - 2);
        }
        else if (lower.endsWith("ms"))
        {
            unit = 1_000_000;
            number = lower.substring(0, lower.length() - 2);
        }
        else if (lower.endsWith("s"))
        {
            unit = 1_000_000_000;
            number = lower.substring(0, lower.length() - 1);
        }
        else
        {
            return null;
        }
        try
        {
            return Math.multiplyExact(Long.parseLong(number.trim()), unit);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            return null;
        }
    }
}
