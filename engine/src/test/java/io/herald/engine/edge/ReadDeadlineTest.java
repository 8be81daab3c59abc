package io.herald.engine.edge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadDeadlineTest
{
    private static final long MS = 1_000_000L;
    private final ReadDeadline deadline = new ReadDeadline(500 * MS);

    @Test
    void theCeilingUntilEnoughAnswersWereSeen()
    {
        assertEquals(500 * MS, deadline.update());
        for (int i = 0; i < 31; i++)
        {
            deadline.answered(MS);
        }
        assertEquals(500 * MS, deadline.update());
        deadline.answered(MS);
        assertEquals(ReadDeadline.FLOOR_NS, deadline.update());
    }

    @Test
    void followsThe99thPercentileTimesFourBetweenFloorAndCeiling()
    {
        for (int i = 0; i < 100; i++)
        {
            deadline.answered((i < 98 ? 2 : 30) * MS);
        }
        // 100 answers: the 99th value is one of the two slow ones
        assertEquals(4 * 30 * MS, deadline.update());
        assertEquals(4 * 30 * MS, deadline.deadlineNs());

        for (int i = 0; i < 10; i++)
        {
            deadline.answered(400 * MS);
        }
        assertEquals(500 * MS, deadline.update());
    }

    @Test
    void slowAnswersAgeOutOfTheWindow()
    {
        for (int i = 0; i < ReadDeadline.WINDOW; i++)
        {
            deadline.answered(300 * MS);
        }
        assertEquals(500 * MS, deadline.update());
        for (int i = 0; i < ReadDeadline.WINDOW; i++)
        {
            deadline.answered(3 * MS);
        }
        assertEquals(ReadDeadline.FLOOR_NS, deadline.update());
    }

    @Test
    void aCeilingBelowTheFloorIsKept()
    {
        final ReadDeadline tight = new ReadDeadline(20 * MS);
        for (int i = 0; i < 100; i++)
        {
            tight.answered(MS);
        }
        assertEquals(20 * MS, tight.update());
    }
}
