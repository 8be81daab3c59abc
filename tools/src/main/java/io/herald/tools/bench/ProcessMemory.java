package io.herald.tools.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The memory of the server process a benchmark drives, read from outside: its resident set from
 * {@code /proc/<pid>/status} (everything: heap pages, Netty's and Chronicle's off-heap memory, thread stacks), and,
 * when it is a JVM, its live heap after a full collection and its NIO buffer pools, over JMX through the attach API.
 */
final class ProcessMemory implements AutoCloseable
{
    /**
     * One reading, in bytes; the JVM figures are -1 for a process that is not a JVM.
     */
    record Sample(long rss, long rssAnon, long rssFile, long heapUsed, long heapCommitted, long directBuffers)
    {
        Sample minus(final Sample base)
        {
            final boolean jvm = heapUsed >= 0;
            return new Sample(rss - base.rss, rssAnon - base.rssAnon, rssFile - base.rssFile,
                jvm ? heapUsed - base.heapUsed : -1, jvm ? heapCommitted - base.heapCommitted : -1,
                jvm ? directBuffers - base.directBuffers : -1);
        }
    }

    private final long pid;
    private final JMXConnector jmx;
    private final MemoryMXBean memory;
    private final List<BufferPoolMXBean> bufferPools;

    private ProcessMemory(
        final long pid, final JMXConnector jmx, final MemoryMXBean memory, final List<BufferPoolMXBean> bufferPools)
    {
        this.pid = pid;
        this.jmx = jmx;
        this.memory = memory;
        this.bufferPools = bufferPools;
    }

    /**
     * Watches a process; attaches to it when it is a JVM that lists itself for attachment (which starts its local JMX
     * agent), else reads only its resident set.
     */
    static ProcessMemory of(final long pid)
    {
        if (!Files.isReadable(status(pid)))
        {
            throw new IllegalArgumentException("no process " + pid + " to measure");
        }
        if (pid == ProcessHandle.current().pid())
        {
            // a server embedded in this JVM (tests): its own beans, as a JVM may not attach to itself
            return new ProcessMemory(pid, null, ManagementFactory.getMemoryMXBean(),
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class));
        }
        // attaching signals the process (SIGQUIT), which kills one that is not a JVM: only attach to listed JVMs
        final String id = Long.toString(pid);
        if (VirtualMachine.list().stream().noneMatch((vm) -> id.equals(vm.id())))
        {
            return new ProcessMemory(pid, null, null, List.of());
        }
        try
        {
            final VirtualMachine vm = VirtualMachine.attach(id);
            final String address;
            try
            {
                address = vm.startLocalManagementAgent();
            }
            finally
            {
                vm.detach();
            }
            final JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            final MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            return new ProcessMemory(pid, jmx,
                ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.MEMORY_MXBEAN_NAME,
                    MemoryMXBean.class),
                ManagementFactory.getPlatformMXBeans(mbeans, BufferPoolMXBean.class));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot attach to JVM " + pid + " to read its heap", ex);
        }
    }

    boolean isJvm()
    {
        return null != memory;
    }

    long pid()
    {
        return pid;
    }

    /**
     * Reads the process's memory; a JVM is first made to run a full collection, so that its heap figure counts
     * live objects only.
     */
    Sample sample() throws IOException
    {
        long heapUsed = -1;
        long heapCommitted = -1;
        long direct = -1;
        if (null != memory)
        {
            memory.gc();
            heapUsed = memory.getHeapMemoryUsage().getUsed();
            heapCommitted = memory.getHeapMemoryUsage().getCommitted();
            direct = 0;
            for (final BufferPoolMXBean pool : bufferPools)
            {
                direct += pool.getMemoryUsed();
            }
        }
        long rss = 0;
        long anon = 0;
        long file = 0;
        for (final String line : Files.readAllLines(status(pid)))
        {
            if (line.startsWith("VmRSS:"))
            {
                rss = kilobytes(line);
            }
            else if (line.startsWith("RssAnon:"))
            {
                anon = kilobytes(line);
            }
            else if (line.startsWith("RssFile:"))
            {
                file = kilobytes(line);
            }
        }
        return new Sample(rss, anon, file, heapUsed, heapCommitted, direct);
    }

    /**
     * @return the pid of the process listening on a TCP port of this machine, or -1 (read from {@code /proc}: the
     * listening socket's inode, then the process holding it).
     */
    static long listeningOn(final int port) throws IOException
    {
        final String portHex = String.format(Locale.ROOT, ":%04X", port);
        String inode = null;
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6"))
        {
            final Path path = Path.of(table);
            if (!Files.isReadable(path))
            {
                continue;
            }
            for (final String line : Files.readAllLines(path))
            {
                final String[] fields = line.trim().split("\\s+");
                // local_address rem_address st ... inode: state 0A is LISTEN
                if (fields.length > 9 && fields[1].endsWith(portHex) && "0A".equals(fields[3]))
                {
                    inode = fields[9];
                }
            }
        }
        if (null == inode)
        {
            return -1;
        }
        final String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd")))
                {
                    for (final Path fd : fds)
                    {
                        if (target.equals(Files.readSymbolicLink(fd).toString()))
                        {
                            return Long.parseLong(process.getFileName().toString());
                        }
                    }
                }
                catch (final IOException | SecurityException unreadable)
                {
                    // another user's process, or one that just exited
                }
            }
        }
        return -1;
    }

    public void close() throws IOException
    {
        if (null != jmx)
        {
            jmx.close();
        }
    }

    private static Path status(final long pid)
    {
        return Path.of("/proc", Long.toString(pid), "status");
    }

    private static long kilobytes(final String line)
    {
        return 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
