package io.herald.engine.counters;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Herald's counters in the Prometheus text exposition format (version 0.0.4): one {@code # HELP} and {@code # TYPE}
 * line per metric, then a sample per series, read from a counters file. Written by hand rather than through the
 * Prometheus client library: the counters already live in Aeron's counters file, the format is a few lines of text,
 * and a scrape then costs one pass over that file with nothing registered twice.
 */
public final class PrometheusText
{
    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText()
    {
    }

    /**
     * @return the text of every Herald counter the reader holds.
     */
    public static String of(final CountersReader counters)
    {
        final Map<HeraldCounter, List<String>> series = new LinkedHashMap<>();
        final Map<String, HeraldCounter> firstOfMetric = new LinkedHashMap<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final HeraldCounter counter = HeraldCounter.ofTypeId(typeId);
            if (null != counter)
            {
                firstOfMetric.putIfAbsent(counter.metric(), counter);
                series.computeIfAbsent(firstOfMetric.get(counter.metric()), (key) -> new ArrayList<>())
                    .add(label + " " + counters.getCounterValue(counterId));
            }
        });
        final StringBuilder text = new StringBuilder(4096);
        for (final Map.Entry<HeraldCounter, List<String>> metric : series.entrySet())
        {
            final HeraldCounter counter = metric.getKey();
            text.append("# HELP ").append(counter.metric()).append(' ').append(counter.help()).append('\n')
                .append("# TYPE ").append(counter.metric()).append(" counter\n");
            for (final String sample : metric.getValue())
            {
                text.append(sample).append('\n');
            }
        }
        return text.toString();
    }
}
