package io.herald.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kuzzle-sdk's browser bundle ({@code dist/kuzzle.js}, what most SDK users run) in a real headless Chromium against
 * an embedded Herald: the page {@code e2e/browser/} connects, subscribes, publishes, counts, stays connected over
 * several of the bundle's {@code {"p":1}} heartbeats and unsubscribes, then posts its results back to this test.
 * Chromium comes from Debian ({@code apt-get install chromium}, done by {@code .ci/run} and by the build when it can);
 * without it the test fails and says so.
 */
class BrowserSdkTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PAGE = Path.of("..", "e2e", "browser");
    private static final Path BUNDLE = Path.of("..", "e2e", "node_modules", "kuzzle-sdk", "dist", "kuzzle.js");

    @TempDir
    File data;

    @TempDir
    File profile;

    static String chromium()
    {
        for (final String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"))
        {
            if (new File(candidate).canExecute())
            {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void theSdkBrowserBundleWorksInChromium() throws Exception
    {
        final String chromium = chromium();
        if (null == chromium)
        {
            fail("Chromium is not installed (apt-get install chromium; .ci/run installs it)");
        }
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        final HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", (exchange) -> serve(exchange, result));
        pages.start();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        Process browser = null;
        final File browserLog = new File(profile, "chromium.log");
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults(), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            final List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-breakpad", "--disable-crash-reporter",
                "--user-data-dir=" + profile.getAbsolutePath()));
            command.add("http://127.0.0.1:" + pages.getAddress().getPort() + "/index.html?herald=" + herald.port());
            browser = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(browserLog).start();
            final JsonNode checks;
            try
            {
                checks = result.get(60, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                throw new AssertionError("the page posted no result in 60 s; chromium said:\n" +
                    Files.readString(browserLog.toPath()));
            }
            assertEquals(List.of(), JSON.convertValue(checks.get("failed"), List.class), checks.toString());
            assertEquals(7, checks.get("passed").size(), checks.toString());
        }
        finally
        {
            if (null != browser)
            {
                stopTree(browser.toHandle());
            }
            pages.stop(0);
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    /**
     * Kills Chromium and its helpers (renderer, GPU, utility processes) and waits until they are gone: a helper still
     * writing in the profile when JUnit deletes it would fail the test after it passed.
     */
    private static void stopTree(final ProcessHandle browser) throws Exception
    {
        final List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
        tree.add(browser);
        tree.forEach(ProcessHandle::destroyForcibly);
        for (final ProcessHandle process : tree)
        {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static void serve(final HttpExchange exchange, final CompletableFuture<JsonNode> result) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        try (exchange)
        {
            if ("POST".equals(exchange.getRequestMethod()) && "/result".equals(path))
            {
                result.complete(JSON.readTree(exchange.getRequestBody()));
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            final Map<String, Path> files = Map.of("/index.html", PAGE.resolve("index.html"),
                "/checks.js", PAGE.resolve("checks.js"), "/kuzzle.js", BUNDLE);
            final Path file = files.get(path);
            if (null == file)
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            final byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type",
                (path.endsWith(".html") ? "text/html" : "text/javascript") + "; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
