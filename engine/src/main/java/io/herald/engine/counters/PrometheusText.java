package io.herald.engine.counters;

import org.agrona.concurrent.status.CountersReader;

import java.math.BigDecimal;
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
        final Map<String, long[]> roundTrips = new LinkedHashMap<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (RoundTrips.isTypeId(typeId))
            {
                // per scope: the sum, then the buckets
                roundTrips.computeIfAbsent(RoundTrips.scopeOf(typeId, label), (scope) ->
                    new long[RoundTrips.BUCKETS + 1])[RoundTrips.bucketOfTypeId(typeId) + 1] =
                    counters.getCounterValue(counterId);
                return;
            }
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
        appendRoundTrips(text, roundTrips);
        return text.toString();
    }

    /**
     * A Prometheus histogram: cumulative buckets, the sum in seconds, the count.
     */
    private static void appendRoundTrips(final StringBuilder text, final Map<String, long[]> roundTrips)
    {
        if (roundTrips.isEmpty())
        {
            return;
        }
        text.append("# HELP ").append(RoundTrips.METRIC).append(' ').append(RoundTrips.HELP).append('\n')
            .append("# TYPE ").append(RoundTrips.METRIC).append(" histogram\n");
        for (final Map.Entry<String, long[]> histogram : roundTrips.entrySet())
        {
            final String scope = histogram.getKey();
            final String labels = scope.isEmpty() ? "" : "{" + scope + "}";
            final long[] values = histogram.getValue();
            long cumulative = 0;
            for (int bucket = 0; bucket < RoundTrips.BUCKETS; bucket++)
            {
                cumulative += values[bucket + 1];
                text.append(RoundTrips.METRIC).append("_bucket{le=\"").append(RoundTrips.upperBound(bucket))
                    .append('"').append(scope.isEmpty() ? "" : ",").append(scope).append("} ").append(cumulative)
                    .append('\n');
            }
            text.append(RoundTrips.METRIC).append("_sum").append(labels).append(' ')
                .append(BigDecimal.valueOf(values[0]).movePointLeft(9).toPlainString()).append('\n')
                .append(RoundTrips.METRIC).append("_count").append(labels).append(' ').append(cumulative).append('\n');
        }
    }
}
