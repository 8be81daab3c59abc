package io.herald.tools.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text an edge serves on {@code /metrics}, as far as the harness and the tests need it.
 */
public final class MetricsText
{
    private MetricsText()
    {
    }

    /**
     * @return every Herald series' value by metric name, summed over its labels (a histogram's {@code _bucket},
     *         {@code _sum} and {@code _count} keep their own names); values are truncated to whole numbers.
     */
    public static Map<String, Long> sumsByName(final String text)
    {
        final Map<String, Long> sums = new TreeMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("herald_"))
            {
                final int brace = line.indexOf('{');
                final int space = line.lastIndexOf(' ');
                final String name = line.substring(0, brace > 0 ? brace : space);
                sums.merge(name, (long)Double.parseDouble(line.substring(space + 1)), Long::sum);
            }
        }
        return sums;
    }
}
