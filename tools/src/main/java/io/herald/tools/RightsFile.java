package io.herald.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.Rights;
import io.herald.tools.config.ConfigException;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The rights file ({@code auth.rights.file}): read at start (a file that cannot be read or parsed stops the edge
 * with a message naming it), then watched once a second; a change that parses replaces the edge's rights as a whole,
 * one that does not is reported and the previous rights stay.
 */
final class RightsFile implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final ScheduledExecutorService watcher;
    private FileTime loaded;

    private RightsFile(final Path path, final FileTime loaded)
    {
        this.path = path;
        this.loaded = loaded;
        this.watcher = Executors.newSingleThreadScheduledExecutor((task) ->
        {
            final Thread thread = new Thread(task, "herald-rights-file");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @throws ConfigException when the file cannot be read or is not a valid rights file.
     */
    static Rights load(final Path path)
    {
        try
        {
            return Rights.parse(JSON.readTree(path.toFile()));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new ConfigException("auth.rights.file " + path + ": " + ex.getMessage());
        }
    }

    /**
     * Watches the file and gives the users each new version that parses.
     */
    static RightsFile watch(final Path path, final ConnectionUsers users, final ErrorHandler errors)
        throws IOException
    {
        final RightsFile file = new RightsFile(path, Files.getLastModifiedTime(path));
        file.watcher.scheduleWithFixedDelay(() -> file.check(users, errors), 1, 1, TimeUnit.SECONDS);
        return file;
    }

    private void check(final ConnectionUsers users, final ErrorHandler errors)
    {
        try
        {
            final FileTime modified = Files.getLastModifiedTime(path);
            if (modified.equals(loaded))
            {
                return;
            }
            loaded = modified;
            users.rights(load(path));
            System.out.println("herald: rights reloaded from " + path);
        }
        catch (final IOException | ConfigException ex)
        {
            errors.onError(new IllegalStateException("the rights file was not reloaded, the previous rights stay: " +
                ex.getMessage(), ex));
        }
    }

    public void close()
    {
        watcher.shutdownNow();
    }
}
