package io.herald.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fuzz run's raw-socket side: seeded malformed HTTP (bad escapes, garbage and HTTP/0.9 or 2.0 request lines,
 * oversized URIs, headers and bodies, broken chunking, smuggling headers, bad WebSocket handshakes, random bodies),
 * each on its own connection, each owed a status line; slow requests trickled a byte a second, owed a cut within the
 * server's request timeout; and WebSocket connections reset in the middle of a frame.
 */
final class HostileHttp
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int port;
    private final Random random;
    private final int requestTimeoutSeconds;
    private final Map<String, AtomicLong> statuses = new TreeMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong slowCut = new AtomicLong();
    private final AtomicLong slowNotCut = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();

    HostileHttp(final String host, final int port, final long seed, final int requestTimeoutSeconds)
    {
        this.host = host;
        this.port = port;
        this.random = new Random(seed);
        this.requestTimeoutSeconds = requestTimeoutSeconds;
    }

    /**
     * Sends hostile requests for a while, a few slow ones among them.
     */
    void run(final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        final List<Thread> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final Thread thread = new Thread(() -> slowRequests(end), "fuzz-slow-" + i);
            thread.setDaemon(true);
            thread.start();
            slow.add(thread);
        }
        long nextReset = System.nanoTime();
        while (System.nanoTime() < end)
        {
            if (System.nanoTime() - nextReset > 0)
            {
                nextReset += TimeUnit.SECONDS.toNanos(1);
                resetMidFrame();
            }
            exchange(request());
            try
            {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (final Thread thread : slow)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(requestTimeoutSeconds + 10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private byte[] request()
    {
        final String close = "Connection: close\r\n";
        final int dice = random.nextInt(14);
        final String text;
        switch (dice)
        {
            case 0 -> text = "GET /_now HTTP/1.1\r\nHost: x\r\n" + close + "\r\n";
            case 1 -> text = "GET " + List.of("/%zz", "/_now?a=%zz", "/%E0%A4%A", "/%", "/a%2", "/%00")
                .get(random.nextInt(6)) + " HTTP/1.1\r\nHost: x\r\n" + close + "\r\n";
            case 2 ->
            {
                final String body = List.of("{}", "{\"a\":", "[1,2]", "{\"a\":" + "[".repeat(500) + "]".repeat(500) +
                    "}", "null", "\"text\"", "{\"s\":\"" + "q".repeat(random.nextInt(5_000)) + "\"}")
                    .get(random.nextInt(7));
                text = "POST /fuzz/c" + random.nextInt(8) + "/_publish HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                    body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + close + "\r\n" + body;
            }
            case 3 ->
            {
                final byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                text = new String(garbage, StandardCharsets.ISO_8859_1).replace("\r\n", "") + "\r\n\r\n";
            }
            case 4 -> text = List.of("GET / HTTP/2.0\r\nHost: x\r\n\r\n", "GET /\r\n\r\n", "GET\r\n\r\n",
                "/ HTTP/1.1\r\n\r\n", " GET / HTTP/1.1\r\n\r\n").get(random.nextInt(5));
            case 5 -> text = "GET /_now HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n" + close +
                "\r\n";
            case 6 -> text = "GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n" + close + "\r\n";
            case 7 -> text = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Version: " + List.of("13", "8", "x").get(random.nextInt(3)) + "\r\n" +
                "Sec-WebSocket-Key: " + List.of("bad", "", "dGhlIHNhbXBsZSBub25jZQ", "AAAAAAAAAAAAAAAAAAAAAA==x")
                .get(random.nextInt(4)) + "\r\n\r\n";
            case 8 -> text = "POST /fuzz/c/_publish HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n" + close +
                "\r\n{\"a\":1}";
            case 9 -> text = "POST /fuzz/c/_publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + close +
                "\r\nzz\r\n{}\r\n0\r\n\r\n";
            case 10 -> text = "POST /fuzz/c/_publish HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" +
                "Transfer-Encoding: chunked\r\n" + close + "\r\n2\r\n{}\r\n0\r\n\r\n";
            case 11 -> text = "DELETE /fuzz/c/_publish HTTP/1.1\r\nHost: x\r\n" + close + "\r\n";
            case 12 -> text = "GET /_now HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n" + close + "\r\n";
            default -> text = "POST /_checkToken HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n" + close +
                "\r\n{\"token\":42}";
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * One request on its own connection: the server owes it a status line.
     */
    private void exchange(final byte[] request)
    {
        sent.incrementAndGet();
        try (Socket socket = new Socket(host, port))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            final String response = readUntilClosed(socket.getInputStream(), 256);
            if (response.startsWith("HTTP/1.1 ") && response.length() >= 12)
            {
                statuses.computeIfAbsent(response.substring(9, 12), (key) -> new AtomicLong()).incrementAndGet();
            }
            else
            {
                unanswered.incrementAndGet();
                System.err.println("herald bench fuzz: no status line for " +
                    new String(request, 0, Math.min(80, request.length), StandardCharsets.ISO_8859_1)
                    .replace("\r\n", "\\r\\n") + " -> " + response);
            }
        }
        catch (final IOException ex)
        {
            unanswered.incrementAndGet();
        }
    }

    /**
     * Requests trickled a byte a second, one after another until the run ends: the server must cut each by its
     * request timeout (answering 408).
     */
    private void slowRequests(final long endNs)
    {
        while (System.nanoTime() < endNs)
        {
            slowRequest();
        }
    }

    private void slowRequest()
    {
        final byte[] request = "GET /_now HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(host, port))
        {
            socket.setSoTimeout(1_000);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(requestTimeoutSeconds + 5);
            for (int i = 0; System.nanoTime() < deadline; i++)
            {
                out.write(request[i % request.length]);
                try
                {
                    in.read(); // an answer (408) or the end of the stream: cut either way
                    slowCut.incrementAndGet();
                    return;
                }
                catch (final SocketTimeoutException ex)
                {
                    // still open: trickle on
                }
            }
            slowNotCut.incrementAndGet();
        }
        catch (final IOException ex)
        {
            slowCut.incrementAndGet();
        }
    }

    /**
     * A WebSocket connection that resets its socket in the middle of a frame.
     */
    private void resetMidFrame()
    {
        try (Socket socket = new Socket(host, port))
        {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            readHeaders(socket.getInputStream());
            socket.getOutputStream().write(new byte[] {(byte)0x81, (byte)0xFE, 0x10, 0x00, 1, 2, 3, 4, 'x', 'y'});
            socket.setSoLinger(true, 0);
            resets.incrementAndGet();
        }
        catch (final IOException ex)
        {
            // the server went first: nothing to count
        }
    }

    private static void readHeaders(final InputStream in) throws IOException
    {
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                return;
            }
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
        }
    }

    private static String readUntilClosed(final InputStream in, final int keep) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buffer = new byte[4096];
        try
        {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer))
            {
                if (out.size() < keep)
                {
                    out.write(buffer, 0, Math.min(n, keep - out.size()));
                }
            }
        }
        catch (final SocketTimeoutException | java.net.SocketException ex)
        {
            // an answer then a reset, or an open socket: what was read is what counts
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * @return requests owed a status line that got none, and slow requests not cut in time.
     */
    long failures()
    {
        return unanswered.get() + slowNotCut.get();
    }

    ObjectNode toJson()
    {
        final ObjectNode json = JSON.createObjectNode().put("requests", sent.get())
            .put("withoutStatusLine", unanswered.get()).put("slowRequestsCut", slowCut.get())
            .put("slowRequestsNotCut", slowNotCut.get()).put("socketsResetMidFrame", resets.get());
        final ObjectNode byStatus = json.putObject("byStatus");
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return json;
    }
}
