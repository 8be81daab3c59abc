package io.herald.transport.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.herald.codecs.MessageHeaderDecoder;
import io.herald.codecs.MessageHeaderEncoder;
import io.herald.codecs.StatusRequestEncoder;
import io.herald.codecs.StatusResponseDecoder;
import io.herald.transport.link.LinkStreams;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How far every member of the cluster has applied the log, as this node last heard: once a second the node asks its
 * peers for their status on their read channels (as edges do), and their answers come back on its own read channel.
 * A node may drop its log behind a snapshot only when every member has applied past it: a member behind would need
 * that part of the log from whichever node leads when it comes back.
 * <p>
 * Polled on the service thread; {@link #minAppliedPosition()} may be read from any thread.
 */
final class PeerPositions implements FragmentHandler, AutoCloseable
{
    /** Status requests from nodes carry this edge id: nodes are not edges to send notifications to. */
    static final int NODE_ASKING = -1;
    private static final long ASK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final int self;
    private final LongSupplier ownPosition;
    private final String ownChannel;
    private final ExclusivePublication[] peers;
    private final Subscription answers;
    private final long[] applied;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StatusRequestEncoder request = new StatusRequestEncoder();
    private long readKey;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final StatusResponseDecoder response = new StatusResponseDecoder();
    private long nextAskNs;
    private volatile long minApplied = -1;

    /**
     * @param readChannels every member's read channel, by member id (this node's included).
     */
    PeerPositions(final Aeron aeron, final int self, final List<String> readChannels, final LongSupplier ownPosition)
    {
        this.self = self;
        this.ownPosition = ownPosition;
        this.ownChannel = readChannels.get(self);
        this.peers = new ExclusivePublication[readChannels.size()];
        this.applied = new long[readChannels.size()];
        Arrays.fill(applied, -1);
        for (int member = 0; member < peers.length; member++)
        {
            if (member != self)
            {
                peers[member] = aeron.addExclusivePublication(readChannels.get(member), LinkStreams.READ);
            }
        }
        // A lone member has no peer to hear from. Its read channel is then the shared-memory one of herald up, whose
        // answer stream also carries every answer to the edge: a subscription here would read them all, and hold the
        // node's answers back (the slowest subscriber sets an IPC publication's limit).
        this.answers = peers.length > 1 ? aeron.addSubscription(ownChannel, LinkStreams.ANSWER) : null;
    }

    int doWork(final long nowNs)
    {
        int work = null == answers ? 0 : answers.poll(this, 16);
        if (nowNs - nextAskNs >= 0)
        {
            nextAskNs = nowNs + ASK_INTERVAL_NS;
            request.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .correlationId(nowNs).edgeId(NODE_ASKING).readKey(readKey).responseChannel(ownChannel);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength();
            for (final ExclusivePublication peer : peers)
            {
                if (null != peer)
                {
                    peer.offer(buffer, 0, length); // lost under back pressure: asked again in a second
                }
            }
            applied[self] = ownPosition.getAsLong();
            update();
            work++;
        }
        return work;
    }

    public void onFragment(final DirectBuffer message, final int offset, final int length, final Header fragmentHeader)
    {
        header.wrap(message, offset);
        if (header.templateId() == StatusResponseDecoder.TEMPLATE_ID)
        {
            response.wrapAndApplyHeader(message, offset, header);
            final int member = response.nodeId();
            if (member >= 0 && member < applied.length && member != self)
            {
                applied[member] = Math.max(applied[member], response.logPosition());
                update();
            }
        }
    }

    private void update()
    {
        long min = Long.MAX_VALUE;
        for (final long position : applied)
        {
            if (position < 0)
            {
                minApplied = -1;
                return;
            }
            min = Math.min(min, position);
        }
        minApplied = min;
    }

    /**
     * @param key the key of {@code cluster.secret}, which the node's own status requests carry too.
     */
    void readKey(final long key)
    {
        this.readKey = key;
    }

    /**
     * @return the lowest log position applied by any member as last heard, or -1 while a member was never heard.
     */
    long minAppliedPosition()
    {
        return minApplied;
    }

    public void close()
    {
        CloseHelper.closeAll(answers);
        CloseHelper.closeAll(peers);
    }
}
