package io.herald.transport;

import io.aeron.cluster.client.ClusterEvent;
import io.aeron.exceptions.AeronException;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process's error log: distinct errors kept once with their count, readable from the file by another reader
 * (what {@code herald errors} does), counted, announced once per kind, and the previous run's file kept.
 */
class ErrorLogTest
{
    @TempDir
    File directory;

    @Test
    void distinctErrorsAreKeptOnceWithTheirCountAndReadableFromTheFile()
    {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final List<Throwable> heard = new ArrayList<>();
        final Counters counters = Counters.inMemory();
        final AtomicCounter counter = counters.get(io.herald.engine.counters.HeraldCounter.EDGE_ERRORS);
        try (ErrorLog log = ErrorLog.create(directory, new PrintStream(console, true, StandardCharsets.UTF_8))
            .alsoTo(heard::add).countInto(counter))
        {
            for (int i = 0; i < 3; i++)
            {
                log.onError(failure("the same failure"));
            }
            log.onError(new IllegalStateException("another failure"));

            assertEquals(4, counter.get());
            assertEquals(4, heard.size());
            final String announced = console.toString(StandardCharsets.UTF_8);
            assertEquals(2, announced.lines().count(), "one line per kind: " + announced);
            assertTrue(announced.contains("herald errors"), announced);

            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            assertEquals(2, ErrorLog.print(new File(directory, ErrorLog.FILE_NAME),
                new PrintStream(printed, true, StandardCharsets.UTF_8)));
            final String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("3 time(s)") && text.contains("the same failure"), text);
            assertTrue(text.contains("1 time(s)") && text.contains("another failure"), text);
            assertTrue(text.contains("at io.herald.transport.ErrorLogTest.failure"), "with its stack trace: " + text);
        }
    }

    @Test
    void aeronWarningsAreKeptAndAnnouncedButAreNotErrors()
    {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final List<Throwable> heard = new ArrayList<>();
        final Counters counters = Counters.inMemory();
        final AtomicCounter counter = counters.get(io.herald.engine.counters.HeraldCounter.EDGE_ERRORS);
        try (ErrorLog log = ErrorLog.create(directory, new PrintStream(console, true, StandardCharsets.UTF_8))
            .alsoTo(heard::add).countInto(counter))
        {
            log.onError(new ClusterEvent("quorum position went backwards: leaderCommitPosition=2590080 " +
                "quorumPosition=0"));
            log.onError(new AeronException("an Aeron error", AeronException.Category.ERROR));

            assertEquals(1, counter.get(), "the error only");
            assertEquals(1, log.recorded());
            assertEquals(1, heard.size());
            assertEquals("an Aeron error", heard.get(0).getMessage().replace("ERROR - ", ""));
            final String announced = console.toString(StandardCharsets.UTF_8);
            assertTrue(announced.contains("herald: warning io.aeron.cluster.client.ClusterEvent"), announced);
            assertTrue(announced.contains("herald: error io.aeron.exceptions.AeronException"), announced);
            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            assertEquals(2, ErrorLog.print(new File(directory, ErrorLog.FILE_NAME),
                new PrintStream(printed, true, StandardCharsets.UTF_8)));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("quorum position went backwards"));
        }
    }

    @Test
    void theNextRunKeepsThePreviousRunsLog()
    {
        try (ErrorLog log = ErrorLog.create(directory, new PrintStream(new ByteArrayOutputStream())))
        {
            log.onError(failure("before the restart"));
        }
        try (ErrorLog log = ErrorLog.create(directory, new PrintStream(new ByteArrayOutputStream())))
        {
            final ByteArrayOutputStream now = new ByteArrayOutputStream();
            assertEquals(0, ErrorLog.print(log.file(), new PrintStream(now)));
            final ByteArrayOutputStream before = new ByteArrayOutputStream();
            assertEquals(1, ErrorLog.print(new File(directory, ErrorLog.PREVIOUS_FILE_NAME),
                new PrintStream(before, true, StandardCharsets.UTF_8)));
            assertTrue(before.toString(StandardCharsets.UTF_8).contains("before the restart"));
        }
        assertEquals(-1, ErrorLog.print(new File(directory, "nothing.dat"), System.out));
    }

    private static RuntimeException failure(final String message)
    {
        return new IllegalArgumentException(message);
    }
}
