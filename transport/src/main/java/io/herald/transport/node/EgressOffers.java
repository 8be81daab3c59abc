package io.herald.transport.node;

import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import org.agrona.DirectBuffer;

/**
 * Offers a message on a client session's egress from the service thread. Back pressure is retried with the
 * cluster's idle strategy a bounded number of times; a closed or unconnected session, or the retries running out,
 * give up. Back pressure is a return value here, never an exception.
 */
final class EgressOffers
{
    private static final int MAX_ATTEMPTS = 100;

    private EgressOffers()
    {
    }

    /**
     * @return true when the message was taken (a follower's mocked offer counts as taken).
     */
    static boolean offer(
        final Cluster cluster, final ClientSession session, final DirectBuffer buffer, final int length)
    {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final long result = session.offer(buffer, 0, length);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                return false;
            }
            cluster.idleStrategy().idle();
        }
        return false;
    }
}
