package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.Matches;
import io.herald.tools.HeraldCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seconds-long smoke run of {@code herald bench filters}, so that the workload cannot rot: one JSON line per
 * keyword with the documented fields.
 */
class FiltersBenchCommandTest
{
    @Test
    void printsOneJsonLinePerKeyword() throws Exception
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final int exitCode;
        try
        {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exitCode = new CommandLine(new HeraldCommand()).execute(
                "bench", "filters", "--filters", "300", "--seconds", "0.05", "--warmup", "0.02");
        }
        finally
        {
            System.setOut(original);
        }
        assertEquals(0, exitCode);
        final ObjectMapper json = new ObjectMapper();
        final List<String> keywords = new ArrayList<>();
        for (final String line : captured.toString(StandardCharsets.UTF_8).split("\n"))
        {
            final JsonNode result = json.readTree(line);
            keywords.add(result.get("keyword").textValue());
            assertTrue(result.get("filters").intValue() > 200, line);
            assertTrue(result.get("index_ms").doubleValue() > 0, line);
            assertTrue(result.get("matches_per_s").doubleValue() > 0, line);
        }
        assertEquals(List.of("equals", "exists", "geoBoundingBox", "geoDistance", "geoDistanceRange", "geoPolygon",
            "in", "range", "equals-hit", "geoDistance-hit", "geoDistanceRange-hit", "geoBoundingBox-hit",
            "geoPolygon-hit"), keywords);
    }

    @Test
    void workloadsMatchWhatTheirShapesPromise()
    {
        // Koncorde's range workload: bounds of width 100 in [-10000, 10100], so a document always lands in some.
        final FilterEngine engine = new FilterEngine();
        for (final JsonNode filter : FilterWorkload.RANGE.filters(2_000, 1))
        {
            engine.register("r", filter);
        }
        final Matches matches = new Matches();
        engine.match("r", FilterWorkload.RANGE.document(1), matches);
        assertTrue(matches.size() > 0);
        assertEquals("geoPolygon", FilterWorkload.of("geoPolygon").keyword());
    }
}
