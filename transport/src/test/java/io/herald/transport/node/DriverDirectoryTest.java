package io.herald.transport.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverDirectoryTest
{
    @TempDir
    File data;

    @TempDir
    File sharedMemory;

    @Test
    void aProcessFindsTheSameDirectoryOnEveryStartAndRecordsItsOwner() throws IOException
    {
        final File node = new File(data, "node-0");
        final File first = DriverDirectory.forDriver(node, sharedMemory, 0);
        assertEquals(sharedMemory, first.getParentFile());
        assertEquals(first, DriverDirectory.forDriver(node, sharedMemory, 0));
        assertTrue(node.isDirectory());
        assertEquals(node.getAbsolutePath(), Files.readString(
            new File(sharedMemory, first.getName() + ".owner").toPath(), StandardCharsets.UTF_8));
        assertNotEquals(first, DriverDirectory.forDriver(new File(data, "node-1"), sharedMemory, 0));
        assertNotEquals(first, DriverDirectory.forDriver(new File(new File(data, "other"), "node-0"), sharedMemory, 0));
    }

    @Test
    void withoutRoomInSharedMemoryTheDriverStaysBesideTheData()
    {
        final File node = new File(data, "node-0");
        assertEquals(new File(node, "driver"), DriverDirectory.forDriver(node, sharedMemory, Long.MAX_VALUE));
        assertEquals(new File(node, "driver"), DriverDirectory.forDriver(node, new File(data, "no-such"), 0));
    }

    @Test
    void aStartRemovesTheDriversOfProcessDirectoriesThatAreGone() throws IOException
    {
        final File gone = new File(data, "gone/node-0");
        final File orphan = DriverDirectory.forDriver(gone, sharedMemory, 0);
        assertTrue(new File(orphan, "publications").mkdirs());
        Files.writeString(new File(orphan, "publications/1.logbuffer").toPath(), "log");
        final File kept = new File(data, "kept/node-0");
        final File live = DriverDirectory.forDriver(kept, sharedMemory, 0);
        assertTrue(live.mkdirs());

        assertTrue(gone.delete() && gone.getParentFile().delete());
        DriverDirectory.forDriver(new File(data, "another/node-0"), sharedMemory, 0);

        assertFalse(orphan.exists());
        assertFalse(new File(sharedMemory, orphan.getName() + ".owner").exists());
        assertTrue(live.isDirectory());
        assertTrue(new File(sharedMemory, live.getName() + ".owner").exists());
    }

    @Test
    void candidatesListSharedMemoryFirstThenTheDataDirectory()
    {
        final File edge = new File(data, "edge-1");
        assertEquals(new File(edge, "driver"), DriverDirectory.candidates(edge).get(1));
        assertEquals(new File("/dev/shm"), DriverDirectory.candidates(edge).get(0).getParentFile());
    }
}
