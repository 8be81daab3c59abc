package io.herald.engine.filter;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Distances written as text ({@code "500m"}, {@code "1.5 km"}, {@code "3 258,55 Ft"}) converted to meters.
 * White space and dashes are ignored, a comma is a decimal point, units are case-insensitive, no exponent: the
 * rules of Koncorde's {@code convertDistance}. A number without a unit is in meters (Koncorde's documentation says
 * so; koncorde 4.7 throws instead).
 */
final class Distances
{
    private static final Map<String, Double> METERS_PER_UNIT = new HashMap<>();

    static
    {
        // The length units of node-units, which Koncorde uses: a trailing "s" is also accepted ("feets", "kms").
        unit(1, "m", "meter", "meters");
        unit(1000, "km", "kilometer", "kilometers");
        unit(100, "hm", "hectometer", "hectometers");
        unit(10, "dam", "decameter", "decameters");
        unit(0.1, "dm", "decimeter", "decimeters");
        unit(0.01, "cm", "centimeter", "centimeters");
        unit(0.001, "mm", "millimeter", "millimeters");
        unit(1609.344, "mi", "mile", "miles");
        unit(0.9144, "yd", "yard", "yards");
        unit(0.3048, "ft", "foot", "feet");
        unit(0.0254, "in", "inch", "inches");
    }

    private Distances()
    {
    }

    private static void unit(final double meters, final String... names)
    {
        for (final String name : names)
        {
            METERS_PER_UNIT.put(name, meters);
        }
    }

    /**
     * @param text a distance with an optional unit.
     * @return the distance in meters.
     * @throws FilterException when the text is not a distance.
     */
    static double toMeters(final String text)
    {
        final StringBuilder cleaned = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '-' || Character.isWhitespace(c) || JsValues.isJsWhiteSpace(c))
            {
                continue;
            }
            cleaned.append(c == ',' ? '.' : c);
        }
        final String value = cleaned.toString().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < value.length() && (Character.isDigit(value.charAt(unitStart)) || value.charAt(unitStart) == '.'))
        {
            unitStart++;
        }
        final String number = value.substring(0, unitStart);
        final String unit = value.substring(unitStart);
        Double factor = unit.isEmpty() ? Double.valueOf(1) : METERS_PER_UNIT.get(unit);
        if (null == factor && unit.length() > 1 && unit.endsWith("s"))
        {
            factor = METERS_PER_UNIT.get(unit.substring(0, unit.length() - 1));
        }
        final double amount = number.isEmpty() ? Double.NaN : parseNumber(number);
        if (null == factor || Double.isNaN(amount))
        {
            throw new FilterException("unable to parse distance value \"" + text + '"');
        }
        return amount * factor;
    }

    private static double parseNumber(final String number)
    {
        try
        {
            return Double.parseDouble(number);
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }
}
