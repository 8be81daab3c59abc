package io.herald.transport.edge;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.herald.engine.kuzzle.KuzzleRequest;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * The Disruptor ring between the Netty I/O threads (many producers) and the router agent (one consumer, polling).
 * Producers never wait: a full ring makes {@link #onRequest} return false, and the protocol plugin deals with it
 * without stalling its I/O thread (WebSocket stops reading that socket and offers again shortly, answering 503 only
 * after 2 s; HTTP answers 503 at once). Opens and closes must not be lost (a lost close would
 * leak the connection's subscriptions): when the ring is full they go to an overflow queue, which the router drains
 * only after it has emptied the ring, so a close is never handled before requests the connection sent earlier.
 */
public final class RequestRing implements RequestSink
{
    private static final EventTranslatorThreeArg<RequestEvent, RequestEvent.Type, Long, Object> TRANSLATOR =
        (event, sequence, type, connectionId, payload) ->
        {
            event.type = type;
            event.connectionId = connectionId;
            event.remoteAddress = payload instanceof Opened ? ((Opened)payload).remoteAddress() : null;
            event.protocol = payload instanceof Opened ? ((Opened)payload).protocol() : null;
            event.request = payload instanceof KuzzleRequest ? (KuzzleRequest)payload : null;
        };

    /** What an OPEN carries (opens are rare: a small object each is fine). */
    private record Opened(String protocol, String remoteAddress)
    {
    }

    private final RingBuffer<RequestEvent> ring;
    private final ManyToOneConcurrentLinkedQueue<RequestEvent> overflow = new ManyToOneConcurrentLinkedQueue<>();

    private Runnable wakeConsumer = () -> { };

    /**
     * @param size slots, a power of two.
     */
    public RequestRing(final int size)
    {
        ring = RingBuffer.createMultiProducer(RequestEvent::new, size, new YieldingWaitStrategy());
    }

    public void onOpen(final long connectionId, final String protocol, final String remoteAddress)
    {
        publishSurely(RequestEvent.Type.OPEN, connectionId, new Opened(protocol, remoteAddress));
    }

    public boolean onRequest(final long connectionId, final KuzzleRequest request)
    {
        if (ring.tryPublishEvent(TRANSLATOR, RequestEvent.Type.REQUEST, connectionId, request))
        {
            wakeConsumer.run();
            return true;
        }
        return false;
    }

    /**
     * @param wake run after each event handed to the ring: wakes the router if it parked (its idle strategy's
     *             {@code WakeableIdleStrategy#wake}).
     * @return this.
     */
    public RequestRing wakeConsumer(final Runnable wake)
    {
        this.wakeConsumer = wake;
        return this;
    }

    public void onClose(final long connectionId)
    {
        publishSurely(RequestEvent.Type.CLOSE, connectionId, null);
    }

    EventPoller<RequestEvent> newPoller()
    {
        final EventPoller<RequestEvent> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        return poller;
    }

    /**
     * @return free slots in the ring now (any thread; a snapshot).
     */
    long remainingCapacity()
    {
        return ring.remainingCapacity();
    }

    /**
     * @return the next open or close that did not fit in the ring, or null.
     */
    RequestEvent pollOverflow()
    {
        return overflow.poll();
    }

    private void publishSurely(final RequestEvent.Type type, final long connectionId, final Opened opened)
    {
        if (!ring.tryPublishEvent(TRANSLATOR, type, connectionId, opened))
        {
            final RequestEvent event = new RequestEvent();
            TRANSLATOR.translateTo(event, -1, type, connectionId, opened);
            overflow.offer(event);
        }
        wakeConsumer.run();
    }
}
