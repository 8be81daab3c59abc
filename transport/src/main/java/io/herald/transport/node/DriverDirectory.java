package io.herald.transport.node;

import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Where a Herald process's Aeron media driver keeps its files: in shared memory ({@code /dev/shm}) when the machine
 * has it with room to spare, else beside the process's data ({@code <process directory>/driver}).
 * <p>
 * A driver's log buffers are memory-mapped files that every message is copied through. On a disk-backed file system
 * the kernel writes the dirty pages back every few seconds, and each page written back faults again on the next
 * copy into it: at 20,000 publishes/s in {@code herald up} that was 22–83 MB written to disk per 12 s and 0.04–0.29
 * page faults per publish, against none and 0.001 in shared memory (BENCHMARKS.md). Aeron's own default directory is
 * in {@code /dev/shm} for the same reason.
 * <p>
 * The name in shared memory is derived from the process directory's path, so the next start of the same process
 * finds (and, with {@code dirDeleteOnStart}, clears) what a crashed run left. A file beside each such directory
 * ({@code <name>.owner}) records the path it belongs to, and a start removes those whose process directory is gone.
 */
public final class DriverDirectory
{
    /** Shared memory below this is left to the rest of the machine: the driver falls back to the data directory. */
    static final long MIN_SHARED_MEMORY_BYTES = 1L << 30;
    private static final File SHARED_MEMORY = new File("/dev/shm");
    private static final String PREFIX = "herald-driver-";

    private DriverDirectory()
    {
    }

    /**
     * Chooses a process's driver directory, records its owner there, and removes the shared-memory driver directories
     * whose process directory no longer exists.
     *
     * @param processDirectory the process's own directory under the data directory (e.g. {@code <data>/node-0}).
     * @return the directory for the driver's {@code aeronDirectoryName}.
     */
    public static File forDriver(final File processDirectory)
    {
        return forDriver(processDirectory, SHARED_MEMORY, MIN_SHARED_MEMORY_BYTES);
    }

    static File forDriver(final File processDirectory, final File sharedMemory, final long minFreeBytes)
    {
        if (!processDirectory.isDirectory() && !processDirectory.mkdirs())
        {
            throw new IllegalStateException("cannot create " + processDirectory);
        }
        if (!sharedMemory.isDirectory() || !sharedMemory.canWrite() || sharedMemory.getUsableSpace() < minFreeBytes)
        {
            return new File(processDirectory, "driver");
        }
        removeOrphans(sharedMemory);
        final File directory = inSharedMemory(processDirectory, sharedMemory);
        final File owner = new File(sharedMemory, directory.getName() + ".owner");
        try
        {
            Files.writeString(owner.toPath(), processDirectory.getAbsolutePath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return new File(processDirectory, "driver");
        }
        return directory;
    }

    /**
     * @return where a process's driver may be, shared memory first ({@code herald stat} reads the one that exists).
     */
    public static List<File> candidates(final File processDirectory)
    {
        return List.of(inSharedMemory(processDirectory, SHARED_MEMORY), new File(processDirectory, "driver"));
    }

    static File inSharedMemory(final File processDirectory, final File sharedMemory)
    {
        final String path = processDirectory.getAbsoluteFile().toPath().normalize().toString();
        final CRC32 crc = new CRC32();
        crc.update(path.getBytes(StandardCharsets.UTF_8));
        return new File(sharedMemory, PREFIX + processDirectory.getName() + "-" + Long.toHexString(crc.getValue()));
    }

    /**
     * Shared-memory driver directories (and their owner files) whose process directory was removed: a test's or a
     * crashed run's temporary data would otherwise hold shared memory until the machine restarts.
     */
    private static void removeOrphans(final File sharedMemory)
    {
        final File[] owners = sharedMemory.listFiles((file) ->
            file.getName().startsWith(PREFIX) && file.getName().endsWith(".owner"));
        if (null == owners)
        {
            return;
        }
        for (final File owner : owners)
        {
            try
            {
                final File processDirectory = new File(Files.readString(owner.toPath(), StandardCharsets.UTF_8));
                if (!processDirectory.isDirectory())
                {
                    final String name = owner.getName();
                    IoUtil.delete(new File(sharedMemory, name.substring(0, name.length() - ".owner".length())), false);
                    Files.deleteIfExists(owner.toPath());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // another process may be removing it too: the next start tries again
            }
        }
    }
}
