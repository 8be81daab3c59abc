package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every case of the conformance corpus generated from the npm koncorde package (4.7.0) by
 * {@code tools/koncorde/corpus.js}: filter sets and the documents they match, filters Koncorde rejects (with its
 * message), and valid filters Koncorde wrongly rejects (which Herald must accept).
 */
class KoncordeConformanceTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = "/koncorde/corpus.jsonl";

    private static final List<JsonNode> LINES = new ArrayList<>();

    @BeforeAll
    static void loadCorpus() throws IOException
    {
        try (InputStream in = KoncordeConformanceTest.class.getResourceAsStream(CORPUS))
        {
            assertNotNull(in, "missing test resource " + CORPUS + " (regenerate with tools/koncorde/corpus.js)");
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); null != line; line = reader.readLine())
            {
                if (!line.isBlank())
                {
                    LINES.add(JSON.readTree(line));
                }
            }
        }
    }

    @Test
    void everyDocumentMatchesWhatKoncordeMatches()
    {
        final List<String> failures = new ArrayList<>();
        final Matches matches = new Matches();
        FilterEngine engine = null;
        Map<String, List<String>> labelsById = null;
        String set = null;
        int cases = 0;
        for (final JsonNode line : LINES)
        {
            final String type = line.get("type").textValue();
            if (type.equals("set"))
            {
                set = line.get("set").textValue();
                engine = new FilterEngine();
                labelsById = new HashMap<>();
                for (final var it = line.get("filters").fields(); it.hasNext(); )
                {
                    final var entry = it.next();
                    try
                    {
                        final String id = engine.register("corpus/" + set, entry.getValue());
                        labelsById.computeIfAbsent(id, (k) -> new ArrayList<>()).add(entry.getKey());
                    }
                    catch (final RuntimeException ex)
                    {
                        failures.add("set " + set + ": filter " + entry.getKey() + " " + entry.getValue() +
                            " rejected: " + ex.getMessage());
                    }
                }
            }
            else if (type.equals("match"))
            {
                assertEquals(set, line.get("set").textValue(), "match line must follow its set");
                cases++;
                final TreeSet<String> expected = new TreeSet<>();
                line.get("expected").forEach((label) -> expected.add(label.textValue()));
                final TreeSet<String> actual = new TreeSet<>();
                try
                {
                    engine.match("corpus/" + set, line.get("doc"), matches);
                    for (int i = 0; i < matches.size(); i++)
                    {
                        actual.addAll(labelsById.get(matches.filterId(i)));
                    }
                }
                catch (final RuntimeException ex)
                {
                    failures.add("set " + set + " doc " + line.get("doc") + " threw " + ex);
                    continue;
                }
                if (!expected.equals(actual))
                {
                    failures.add("set " + set + " doc " + line.get("doc") + ": expected " + expected + " got " +
                        actual);
                }
            }
        }
        assertTrue(cases >= 5_000, "the corpus must hold at least 5,000 match cases, has " + cases);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases differ, first ones:\n" +
            String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
    }

    @Test
    void rejectsWhatKoncordeRejectsWithTheSameMessage()
    {
        final FilterEngine engine = new FilterEngine();
        final List<String> failures = new ArrayList<>();
        int cases = 0;
        for (final JsonNode line : LINES)
        {
            if (!line.get("type").textValue().equals("invalid"))
            {
                continue;
            }
            cases++;
            final String expected = line.get("error").textValue();
            try
            {
                engine.validate(line.get("filter"));
                failures.add("accepted " + line.get("filter") + " (koncorde: " + expected + ")");
            }
            catch (final FilterException ex)
            {
                if (!sameMessage(expected, ex.getMessage()))
                {
                    failures.add("filter " + line.get("filter") + "\n   koncorde: " + expected + "\n   herald:   " +
                        ex.getMessage());
                }
            }
        }
        assertTrue(cases >= 150, "the corpus must hold at least 150 invalid filters, has " + cases);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " invalid filters differ:\n" +
            String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    @Test
    void acceptsValidFiltersKoncordeRejects()
    {
        final FilterEngine engine = new FilterEngine();
        final List<String> failures = new ArrayList<>();
        for (final JsonNode line : LINES)
        {
            if (line.get("type").textValue().equals("koncorde-rejects-valid"))
            {
                try
                {
                    engine.validate(line.get("filter"));
                }
                catch (final FilterException ex)
                {
                    failures.add(line.get("filter") + ": " + ex.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Messages must be equal, with four stated exceptions: the engine-specific explanation inside a regexp
     * error's parentheses (RE2J and node-re2 word syntax errors differently); errors Koncorde raises without a path
     * (from its geo add-on), to which Herald adds the path; JavaScript TypeErrors, where Koncorde crashed on the
     * filter instead of explaining what is wrong with it; and {@code in}, which Herald lets hold every scalar.
     */
    private static boolean sameMessage(final String koncorde, final String herald)
    {
        if (koncorde.equals(herald) || (!koncorde.startsWith("\"") && herald.endsWith("\": " + koncorde)))
        {
            return true;
        }
        if (koncorde.startsWith("Cannot read properties") || koncorde.startsWith("Cannot convert undefined"))
        {
            return true;
        }
        final String inStrings = "must hold only values of type \"string\"";
        if (koncorde.startsWith("\"in.") && koncorde.endsWith(inStrings))
        {
            return herald.equals(koncorde.replace(inStrings,
                "must hold only scalar values (string, number, boolean or null)"));
        }
        final int open = koncorde.indexOf("cannot parse regexp expression");
        return open >= 0 && herald.contains("cannot parse regexp expression") &&
            koncorde.substring(0, koncorde.indexOf(" (", open)).equals(herald.substring(0, herald.indexOf(" (", open)));
    }
}
