package io.herald.engine.edge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstSendersTest
{
    private final FirstSenders senders = new FirstSenders();

    @Test
    void theFirstNodeToSendAPublishWinsAndEveryChunkOfItsIsDelivered()
    {
        final long publish = (2L << 48) | 17;
        assertTrue(senders.accept(publish, 1));
        assertTrue(senders.accept(publish, 1), "a later chunk from the same node");
        assertFalse(senders.accept(publish, 0), "the same publish re-sent through another node");
        assertFalse(senders.accept(publish, 2));
        assertEquals(2, senders.duplicates());
        assertTrue(senders.accept(publish + 1, 0), "another publish is its own");
    }

    @Test
    void onlyTheLastPublishesAreRememberedOldestForgottenFirst()
    {
        for (long publish = 0; publish <= FirstSenders.REMEMBERED; publish++)
        {
            assertTrue(senders.accept(publish, 1));
        }
        assertTrue(senders.accept(0, 2), "the oldest was forgotten: any node's copy is taken again");
        assertFalse(senders.accept(FirstSenders.REMEMBERED, 2), "the newest is still remembered");
    }
}
