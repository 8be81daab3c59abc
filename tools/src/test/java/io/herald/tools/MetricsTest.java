package io.herald.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Herald's counters, from outside: {@code GET /metrics} answers text that parses as the Prometheus exposition format
 * (checked line by line against its grammar) with the counts of what was just done, and {@code herald stat} reads the
 * same counters from the process's counters file.
 */
class MetricsTest
{
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\\n]*");
    private static final Pattern TYPE = Pattern.compile(
        "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"" +
        "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*)?\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");

    @TempDir
    File data;

    @Test
    void metricsParseAsPrometheusTextAndHeraldStatReadsTheSameCounters() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults(), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + herald.port();
            for (int i = 0; i < 3; i++)
            {
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/i/c/_publish"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/nowhere")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

            final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            final Map<String, Double> samples = parse(metrics.body());
            assertEquals(3.0, samples.get("herald_answers_total{status=\"2xx\",edge=\"1\"}"), metrics.body());
            assertEquals(1.0, samples.get("herald_answers_total{status=\"4xx\",edge=\"1\"}"), metrics.body());
            assertEquals(1.0, samples.get("herald_plugin_answers_total{edge=\"1\"}"), "the 404: " + metrics.body());
            assertEquals(3.0, samples.get("herald_requests_total{edge=\"1\"}"), metrics.body());
            assertEquals(0.0, samples.get("herald_errors_total{agent=\"edge\",edge=\"1\"}"), metrics.body());
            assertEquals(0.0, samples.get("herald_errors_total{agent=\"node\",node=\"0\"}"), metrics.body());
            assertTrue(samples.containsKey("herald_node_malformed_reads_total{node=\"0\"}"), metrics.body());
            assertTrue(samples.get("herald_node_role_changes_total{node=\"0\"}") >= 1, "it became leader");
            assertRoundTrips(samples, 3, metrics.body());

            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final PrintStream stdout = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            final int exit;
            try
            {
                exit = new CommandLine(new HeraldCommand()).execute("stat", "--data", data.getAbsolutePath(),
                    "--set", "edge.port=" + herald.port());
            }
            finally
            {
                System.setOut(stdout);
            }
            final String stat = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, stat);
            final Matcher requests = Pattern.compile("herald_requests_total\\{edge=\"1\"\\}\\s+(\\d+)").matcher(stat);
            assertTrue(requests.find(), stat);
            assertEquals(3L, Long.parseLong(requests.group(1)), stat);
        }
        assertEquals(List.of(), errors, "no component may report an error");

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = new CommandLine(new HeraldCommand()).execute("errors", "--data", data.getAbsolutePath());
        }
        finally
        {
            System.setOut(stdout);
        }
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed);
        assertTrue(printed.contains("== edge-1 (") && printed.contains("== node-0 ("), "both processes' logs: " + printed);
        assertTrue(printed.contains("herald: 0 distinct error(s) in all"), printed);
    }

    /**
     * @return what the TYPE line of a histogram's sample reads (its metric, marked), or the name itself.
     */
    private static String histogramOf(final String name)
    {
        for (final String suffix : new String[] {"_bucket", "_sum", "_count"})
        {
            if (name.endsWith(suffix))
            {
                return name.substring(0, name.length() - suffix.length()) + " histogram";
            }
        }
        return name;
    }

    /**
     * The round-trip histogram: cumulative buckets in increasing bounds ending at +Inf = count, a positive sum.
     */
    private static void assertRoundTrips(final Map<String, Double> samples, final int count, final String text)
    {
        final String metric = "herald_node_round_trip_seconds";
        assertEquals((double)count, samples.get(metric + "_count{edge=\"1\"}"), text);
        assertEquals((double)count, samples.get(metric + "_bucket{le=\"+Inf\",edge=\"1\"}"), text);
        assertTrue(samples.get(metric + "_sum{edge=\"1\"}") > 0, text);
        final Pattern bucket = Pattern.compile(Pattern.quote(metric) + "_bucket\\{le=\"([^\"]+)\",edge=\"1\"\\}");
        double lastBound = -1;
        double lastValue = 0;
        int buckets = 0;
        for (final String line : text.split("\n"))
        {
            final Matcher matcher = bucket.matcher(line.substring(0, Math.max(0, line.lastIndexOf(' '))));
            if (matcher.matches())
            {
                final double bound = "+Inf".equals(matcher.group(1)) ? Double.POSITIVE_INFINITY :
                    Double.parseDouble(matcher.group(1));
                final double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                assertTrue(bound > lastBound && value >= lastValue, "buckets in order, cumulative: " + line);
                lastBound = bound;
                lastValue = value;
                buckets++;
            }
        }
        assertTrue(buckets > 2 && lastBound == Double.POSITIVE_INFINITY, text);
    }

    /**
     * Parses the exposition format strictly: every line is a HELP, a TYPE or a sample; a metric's TYPE comes before
     * its samples and once; samples are unique.
     *
     * @return series → value.
     */
    private static Map<String, Double> parse(final String text)
    {
        final Map<String, Double> samples = new HashMap<>();
        final Set<String> typed = new HashSet<>();
        assertTrue(text.endsWith("\n"), "the text ends with a line feed");
        for (final String line : text.split("\n"))
        {
            final Matcher help = HELP.matcher(line);
            final Matcher type = TYPE.matcher(line);
            final Matcher sample = SAMPLE.matcher(line);
            if (help.matches())
            {
                continue;
            }
            if (type.matches())
            {
                assertTrue(typed.add(type.group(1)), "TYPE given twice for " + type.group(1));
                if ("histogram".equals(type.group(2)))
                {
                    typed.add(type.group(1) + " histogram");
                }
                continue;
            }
            if (!sample.matches())
            {
                fail("not a line of the Prometheus text format: " + line);
            }
            assertTrue(typed.contains(sample.group(1)) || typed.contains(histogramOf(sample.group(1))),
                "a sample before its TYPE: " + line);
            final String series = line.substring(0, line.lastIndexOf(' '));
            assertTrue(null == samples.put(series, Double.parseDouble(sample.group(4))), "sample given twice: " + line);
        }
        return samples;
    }
}
