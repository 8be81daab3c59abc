package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The failover scenario's lines of text: one per round, and the total over the rounds.
 */
final class FailoverSummary
{
    private FailoverSummary()
    {
    }

    static String summary(final JsonNode r)
    {
        final JsonNode latency = r.path("latency");
        return String.format(Locale.ROOT, "round %d killed=%s node=%d writes_resumed_after=%dms " +
                "subscribe_at_kill_answered_after=%dms longest_write_wait=%dms writes=%d writes_failed=%d " +
                "writes_resent=%d all_up_again_after=%dms published=%d acknowledged=%d refused=%d unanswered=%d missed=%d " +
                "duplicated=%d longest_gap=%.1fms longest_publish_answer=%.1fms p50=%.1fms p99=%.1fms max=%.1fms " +
                "closed_connections=%d",
            r.path("round").asInt(), r.path("killed").asText(), r.path("node").asInt(),
            r.path("writesResumedAfterMs").asLong(), r.path("subscribeAtKillAnsweredAfterMs").asLong(),
            r.path("longestWriteWaitMs").asLong(), r.path("writes").asLong(), r.path("writesFailed").asLong(),
            r.path("writesResent").asLong(), r.path("allUpAgainAfterMs").asLong(),
            r.path("publishes").asLong(), r.path("acknowledged").asLong(), r.path("refused").asLong(),
            r.path("unanswered").asLong(), r.path("missedDeliveries").asLong(), r.path("duplicateDeliveries").asLong(),
            r.path("longestGapMs").asDouble(), r.path("longestPublishAnswerMs").asDouble(),
            latency.path("p50Us").asDouble() / 1e3, latency.path("p99Us").asDouble() / 1e3,
            latency.path("maxUs").asDouble() / 1e3, r.path("closedConnections").asLong());
    }

    static String total(final List<ObjectNode> results)
    {
        long published = 0;
        long acked = 0;
        long refused = 0;
        long unanswered = 0;
        long missed = 0;
        long twice = 0;
        long writes = 0;
        long writesFailed = 0;
        long resent = 0;
        for (final JsonNode r : results)
        {
            writes += r.path("writes").asLong();
            writesFailed += r.path("writesFailed").asLong();
            resent += r.path("writesResent").asLong();
            published += r.path("publishes").asLong();
            acked += r.path("acknowledged").asLong();
            refused += r.path("refused").asLong();
            unanswered += r.path("unanswered").asLong();
            missed += r.path("missedDeliveries").asLong();
            twice += r.path("duplicateDeliveries").asLong();
        }
        return String.format(Locale.ROOT, "all %d rounds: subscribe at the kill answered after (ms) %s; longest " +
            "write wait (ms) %s; writes resumed after (ms) %s; longest gap (ms) %s; writes=%d failed=%d resent=%d " +
            "published=%d acknowledged=%d refused=%d unanswered=%d missed=%d duplicated=%d", results.size(),
            spread(results, "subscribeAtKillAnsweredAfterMs"), spread(results, "longestWriteWaitMs"),
            spread(results, "writesResumedAfterMs"), spread(results, "longestGapMs"), writes, writesFailed, resent,
            published, acked, refused, unanswered, missed, twice);
    }

    /**
     * @return "p50 x, max y" of a figure over the rounds that have it (a negative value: not measured).
     */
    private static String spread(final List<ObjectNode> rounds, final String field)
    {
        final double[] values = new double[rounds.size()];
        int n = 0;
        for (final JsonNode r : rounds)
        {
            if (r.path(field).asDouble(-1) >= 0 && !"none".equals(r.path("killed").asText()))
            {
                values[n++] = r.path(field).asDouble();
            }
        }
        if (0 == n)
        {
            return "n/a";
        }
        Arrays.sort(values, 0, n);
        return String.format(Locale.ROOT, "p50 %.0f, max %.0f", values[(n - 1) / 2], values[n - 1]);
    }
}
