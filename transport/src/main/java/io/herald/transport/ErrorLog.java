package io.herald.transport;

import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process's errors, Aeron-style: every error its agents survive is recorded once per distinct stack trace, with a
 * count and the first and last times, in a memory-mapped file of the process's directory ({@value #FILE_NAME}),
 * readable from outside the process while it runs and after it died ({@code herald errors}). The previous run's file
 * is kept beside it ({@value #PREVIOUS_FILE_NAME}). Each error also counts in {@code herald_errors_total}, and the
 * first of each kind is announced with one line on the console, pointing at the file. Thread-safe.
 */
public final class ErrorLog implements ErrorHandler, AutoCloseable
{
    /** The file, in the process's directory. */
    public static final String FILE_NAME = "errors.dat";
    /** The previous run's file. */
    public static final String PREVIOUS_FILE_NAME = "errors-previous.dat";
    /** The file's size: room for a few hundred distinct stack traces. */
    public static final int LENGTH = 1 << 20;
    /** Kinds of errors announced on the console, at most. */
    static final int MAX_ANNOUNCED = 256;

    private final File file;
    private final MappedByteBuffer mapped;
    private final DistinctErrorLog log;
    private final PrintStream console;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final AtomicLong recorded = new AtomicLong();
    private volatile AtomicCounter counter;
    private volatile ErrorHandler also;

    private ErrorLog(final File file, final PrintStream console)
    {
        this.file = file;
        this.console = console;
        this.mapped = IoUtil.mapNewFile(file, LENGTH);
        this.log = new DistinctErrorLog(new UnsafeBuffer(mapped), SystemEpochClock.INSTANCE);
    }

    /**
     * Creates the process's error log in its directory; the previous run's log becomes {@value #PREVIOUS_FILE_NAME}.
     *
     * @param console where the first error of each kind is announced (one line).
     */
    public static ErrorLog create(final File directory, final PrintStream console)
    {
        try
        {
            Files.createDirectories(directory.toPath());
            final File file = new File(directory, FILE_NAME);
            if (file.isFile())
            {
                Files.move(file.toPath(), new File(directory, PREVIOUS_FILE_NAME).toPath(),
                    StandardCopyOption.REPLACE_EXISTING);
            }
            return new ErrorLog(file, console);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param counter counts every error from now on ({@code herald_errors_total}).
     * @return this.
     */
    public ErrorLog countInto(final AtomicCounter counter)
    {
        this.counter = counter;
        return this;
    }

    /**
     * @param handler hears every error too (a test collecting them), or null.
     * @return this.
     */
    public ErrorLog alsoTo(final ErrorHandler handler)
    {
        this.also = handler;
        return this;
    }

    public void onError(final Throwable error)
    {
        final boolean warning = isWarning(error);
        if (!warning)
        {
            recorded.incrementAndGet();
        }
        final boolean kept = log.record(error);
        final AtomicCounter errors = counter;
        if (null != errors && !warning)
        {
            errors.increment();
        }
        final StackTraceElement[] trace = error.getStackTrace();
        final String kind = error.getClass().getName() + (trace.length == 0 ? "" : " at " + trace[0]);
        if (announced.size() < MAX_ANNOUNCED && announced.add(kind))
        {
            console.println("herald: " + (warning ? "warning " : "error ") + error + (kept ?
                "; its stack trace and count are in " + file + " (herald errors prints them)" :
                "; the error log " + file + " is full"));
        }
        final ErrorHandler handler = also;
        if (null != handler && !warning)
        {
            handler.onError(error);
        }
    }

    /**
     * Aeron reports some events through the error handler with the category {@code WARN} (a {@code ClusterEvent} such
     * as "quorum position went backwards" on a busy machine, which Aeron's own tests ignore): they are kept in the
     * file and announced as warnings, but are not errors: not counted in {@code herald_errors_total}, not passed on.
     */
    static boolean isWarning(final Throwable error)
    {
        return error instanceof AeronException && ((AeronException)error).category() == AeronException.Category.WARN;
    }

    /**
     * @return errors recorded, repeats included.
     */
    public long recorded()
    {
        return recorded.get();
    }

    /**
     * @return the file.
     */
    public File file()
    {
        return file;
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }

    /**
     * Prints an error log file (a running process's or a dead one's).
     *
     * @return distinct errors printed, or -1 when there is no such file.
     */
    public static int print(final File file, final PrintStream out)
    {
        if (!file.isFile())
        {
            return -1;
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "herald errors");
        try
        {
            final SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return ErrorLogReader.read(new UnsafeBuffer(mapped), (count, first, last, encoded) ->
                out.printf(Locale.ROOT, "%d time(s), first %s, last %s:%n%s%n", count, format.format(new Date(first)),
                    format.format(new Date(last)), encoded));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }
}
