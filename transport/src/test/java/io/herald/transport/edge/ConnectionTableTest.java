package io.herald.transport.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection table in a real Chronicle Map file: rows per connection, read by a second opener of the file (as
 * {@code herald stat} does), rows left by a run that did not close counted at the next start, file removed on close.
 */
class ConnectionTableTest
{
    @TempDir
    File directory;

    private List<String> rows() throws Exception
    {
        final List<String> rows = new ArrayList<>();
        assertTrue(ConnectionTable.read(directory, (row) -> rows.add(row.getConnectionId() + " " +
            row.getRemoteAddress() + " " + row.getConnectedAtMs() + " " + row.getRequestsIn() + " " +
            row.getNotificationsOut() + " " + row.getSubscriptionCount() + " " +
            (row.getEdgePid() == ProcessHandle.current().pid()))));
        rows.sort(null);
        return rows;
    }

    @Test
    void eachConnectionHasItsOwnRowAndAnotherReaderSeesThem() throws Exception
    {
        assertFalse(ConnectionTable.read(directory, (row) -> { }), "no table yet");
        final ConnectionTable table = ConnectionTable.create(directory, 1_000);
        table.opened(1, ConnectionTable.PROTOCOL_WEBSOCKET, "/127.0.0.1:1001", 111);
        table.opened(2, ConnectionTable.PROTOCOL_WEBSOCKET, "/127.0.0.1:1002", 222);
        table.request(1);
        table.request(2);
        table.request(2);
        table.notified(1);
        table.subscriptions(2, 1);
        table.subscriptions(2, 1);
        table.subscriptions(2, -1);
        table.request(99);
        table.flush(0, true);
        assertEquals(List.of("1 /127.0.0.1:1001 111 1 1 0 true", "2 /127.0.0.1:1002 222 2 0 1 true"), rows());

        table.closed(1);
        assertEquals(List.of("2 /127.0.0.1:1002 222 2 0 1 true"), rows());
        assertEquals(1, table.size());

        // a run that ends without close() (the process died) leaves its rows: the next start counts them
        table.abandon();
        final ConnectionTable restarted = ConnectionTable.create(directory, 1_000);
        assertEquals(1, restarted.leftByPreviousRun());
        assertEquals(List.of(), rows());
        restarted.close();
        assertFalse(new File(directory, ConnectionTable.FILE_NAME).exists(), "an orderly stop removes the file");
        assertEquals(0, ConnectionTable.create(directory, 1_000).leftByPreviousRun());
    }
}
