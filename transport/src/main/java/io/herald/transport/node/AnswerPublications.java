package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The publications a node answers edges on, one per answer channel, created the first time an edge asks. Until a
 * publication connects (or under back pressure), answers wait here in order, copied, and are offered again each duty
 * cycle for a bounded time instead of being lost. Used on the service thread only.
 */
final class AnswerPublications implements AutoCloseable
{
    private static final long PENDING_TIMEOUT_NS = 2_000_000_000L;

    private record PendingAnswer(ExclusivePublication publication, byte[] bytes, long deadlineNs)
    {
    }

    private final Aeron aeron;
    private final Map<String, ExclusivePublication> answers = new HashMap<>();
    private final ArrayDeque<PendingAnswer> pending = new ArrayDeque<>();
    private long nowNs;

    AnswerPublications(final Aeron aeron)
    {
        this.aeron = aeron;
    }

    /**
     * @return the publication of an answer channel, created on first use.
     */
    ExclusivePublication publication(final String channel)
    {
        // looked up before computeIfAbsent, whose lambda captures this and would be allocated on every publish
        final ExclusivePublication known = answers.get(channel);
        if (null != known)
        {
            return known;
        }
        final ExclusivePublication created = aeron.addExclusivePublication(channel, LinkStreams.ANSWER);
        answers.put(channel, created);
        return created;
    }

    /**
     * Offers a message, or keeps a copy to offer again (behind any already waiting: answers keep their order).
     */
    void send(final ExclusivePublication publication, final DirectBuffer from, final int length)
    {
        if (!pending.isEmpty() || publication.offer(from, 0, length) < 0)
        {
            final byte[] copy = new byte[length];
            from.getBytes(0, copy);
            pending.add(new PendingAnswer(publication, copy, nowNs + PENDING_TIMEOUT_NS));
        }
    }

    /**
     * Offers again what waits; a message still refused after its deadline is dropped (the edge asks another node).
     *
     * @return messages sent or dropped.
     */
    int retry(final long nowNs)
    {
        this.nowNs = nowNs;
        int sent = 0;
        while (!pending.isEmpty())
        {
            final PendingAnswer answer = pending.peek();
            final long result = answer.publication().offer(new UnsafeBuffer(answer.bytes()));
            if (result > 0 || result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                nowNs > answer.deadlineNs())
            {
                pending.poll();
                sent++;
            }
            else
            {
                break;
            }
        }
        return sent;
    }

    public void close()
    {
        CloseHelper.closeAll(answers.values());
        answers.clear();
    }
}
