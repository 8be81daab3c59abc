package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
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
        try (EmbeddedHerald herald = EmbeddedHerald.start(HeraldConfig.defaults(), data,
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
            final Map<String, Long> samples = parse(metrics.body());
            assertEquals(3L, samples.get("herald_answers_total{status=\"2xx\",edge=\"1\"}"), metrics.body());
            assertTrue(samples.get("herald_answers_total{status=\"4xx\",edge=\"1\"}") >= 0, metrics.body());
            assertEquals(3L, samples.get("herald_requests_total{edge=\"1\"}"), metrics.body());
            assertEquals(0L, samples.get("herald_errors_total{agent=\"edge\",edge=\"1\"}"), metrics.body());
            assertTrue(samples.containsKey("herald_node_malformed_reads_total{node=\"0\"}"), metrics.body());

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
    }

    /**
     * Parses the exposition format strictly: every line is a HELP, a TYPE or a sample; a metric's TYPE comes before
     * its samples and once; samples are unique.
     *
     * @return series → value.
     */
    private static Map<String, Long> parse(final String text)
    {
        final Map<String, Long> samples = new HashMap<>();
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
                continue;
            }
            if (!sample.matches())
            {
                fail("not a line of the Prometheus text format: " + line);
            }
            assertTrue(typed.contains(sample.group(1)), "a sample before its TYPE: " + line);
            final String series = line.substring(0, line.lastIndexOf(' '));
            assertTrue(null == samples.put(series, Long.parseLong(sample.group(4))), "sample given twice: " + line);
        }
        return samples;
    }
}
