package io.herald.transport.edge;

import io.herald.engine.edge.ReadDeadline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lmax.disruptor.EventPoller;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.errors.DistinctErrors;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.transport.Counters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The edge's router, a duty cycle: drains the request ring (at most {@code pollLimit} events per cycle) and has
 * each request answered ({@link RequestDispatcher}: by the edge itself, or by the nodes through
 * {@link NodeRequests}), sends what waits for the nodes, polls the cluster and the read side for their answers and
 * notifications ({@link NodeAnswers}), hands the cycle's notifications to the event loops, and times requests out.
 * With no link, realtime actions are answered {@code 503 core.fatal.service_unavailable}, never left waiting; a request
 * whose handling throws is answered 500 and the router goes on.
 */
public final class RouterAgent implements Agent
{
    private final RequestRing ring;
    private final EventPoller<RequestEvent> poller;
    private final EventPoller.Handler<RequestEvent> handler = this::onEvent;
    private final EdgeConnections connections;
    private final EpochClock clock;
    private final int pollLimit;
    private final ClusterLink link;
    private final ReadLink reads;
    private final ResponseWriter responses = new ResponseWriter();
    private final DistinctErrors errors = new DistinctErrors("herald-router");
    private final NodeRequests requests;
    private final NodeAnswers answers;
    private final RequestDispatcher dispatcher;
    private ConnectionTable table;
    private AtomicCounter requestsIn;
    private int polled;

    /**
     * @param link  the cluster, or null when the edge runs without nodes.
     * @param reads a node's read side, or null.
     */
    public RouterAgent(
        final RequestRing ring, final EdgeConnections connections, final EpochClock clock, final String version,
        final int pollLimit, final ClusterLink link, final ReadLink reads)
    {
        this.ring = ring;
        this.poller = ring.newPoller();
        this.connections = connections;
        this.clock = clock;
        this.pollLimit = pollLimit;
        this.link = link;
        this.reads = reads;
        this.requests = new NodeRequests(link, reads, connections, clock);
        this.answers = new NodeAnswers(connections, requests, reads, clock, errors);
        this.dispatcher = new RequestDispatcher(link, requests, answers.statuses(), clock, version);
        counters(Counters.inMemory());
    }

    /**
     * @param timeoutMs how long a request waits for a node's answer before its client is answered 503.
     * @return this.
     */
    public RouterAgent requestTimeoutMs(final long timeoutMs)
    {
        requests.requestTimeoutMs(timeoutMs);
        return this;
    }

    /**
     * @param timeoutNs how long a read may wait for a node's first answer before going to another node, at most:
     *                  the router goes by the answer times it sees ({@link ReadDeadline}).
     * @return this.
     */
    public RouterAgent readFailoverNs(final long timeoutNs)
    {
        requests.readFailoverNs(timeoutNs);
        return this;
    }

    /**
     * @param bytes the largest request accepted: a request whose data (document or filter, volatile, index,
     *              collection, ids), once encoded for the nodes, is larger is answered 413.
     * @return this.
     */
    public RouterAgent maxRequestBytes(final int bytes)
    {
        dispatcher.maxRequestBytes(bytes);
        return this;
    }

    /**
     * @param api Kuzzle's {@code server:publicApi} answer ({@link EdgeServer#publicApi()}).
     * @return this.
     */
    public RouterAgent publicApi(final ObjectNode api)
    {
        dispatcher.publicApi(api);
        return this;
    }

    /**
     * @param counters where the router counts (the edge's counters file).
     * @return this.
     */
    public RouterAgent counters(final Counters counters)
    {
        this.requestsIn = counters.get(HeraldCounter.REQUESTS);
        errors.countInto(counters.get(HeraldCounter.EDGE_ERRORS));
        responses.countInto(counters.get(HeraldCounter.ANSWERS_OK), counters.get(HeraldCounter.ANSWERS_CLIENT_ERROR),
            counters.get(HeraldCounter.ANSWERS_SERVER_ERROR));
        requests.counters(counters);
        answers.counters(counters);
        return this;
    }

    /**
     * @param table where this edge's connections are listed for {@code herald stat}, or null.
     * @return this.
     */
    public RouterAgent connectionTable(final ConnectionTable table)
    {
        this.table = table;
        answers.connectionTable(table);
        return this;
    }

    /**
     * @return how long a read now waits for a first answer before it goes to another node.
     */
    public long readDeadlineNs()
    {
        return requests.readDeadlineNs();
    }

    /**
     * @return reads sent again to another node because the first did not answer in time.
     */
    public long failedOver()
    {
        return requests.failedOver();
    }

    /**
     * @return requests that threw while being handled (each was answered 500 and the router went on).
     */
    public long unexpectedErrors()
    {
        return errors.total();
    }

    /**
     * @return requests waiting for a node's answer.
     */
    public int inFlight()
    {
        return requests.inFlight();
    }

    /**
     * @return remote notifications dropped because another node had already sent that publish.
     */
    public long remoteDuplicates()
    {
        return answers.remoteDuplicates();
    }

    /**
     * @return how many times the cluster gave this edge up (it had lost its session longer than the edge expiry).
     */
    public long edgeExpiries()
    {
        return answers.edgeExpiries();
    }

    public String roleName()
    {
        return "herald-router";
    }

    /**
     * The router owns its links (an Aeron client is used from one thread): it closes them.
     */
    public void onClose()
    {
        if (null != link)
        {
            link.close();
        }
        if (null != reads)
        {
            reads.close();
        }
    }

    public int doWork() throws Exception
    {
        polled = 0;
        if (poller.poll(handler) == EventPoller.PollState.IDLE)
        {
            // the ring is drained: opens and closes that overflowed come after every request sent before them
            for (RequestEvent event = ring.pollOverflow(); null != event && polled < pollLimit;
                event = ring.pollOverflow())
            {
                onEvent(event, -1, false);
            }
        }
        int work = polled + requests.send();
        if (null != link)
        {
            work += link.poll(answers);
        }
        if (null != reads)
        {
            work += reads.poll(answers);
        }
        final long nowMs = clock.time();
        final long nowNs = System.nanoTime();
        if (null != answers.statuses())
        {
            answers.statuses().poll(nowNs, nowMs, requests.nextId());
        }
        // the notifications of every list this cycle, one write per connection
        answers.sendDeliveries();
        return work + requests.expire(nowMs) + requests.failOver(nowNs) +
            (null == table ? 0 : table.flush(nowMs, false));
    }

    /**
     * Never throws: an event that cannot be handled is logged (once per distinct error) and the ring moves on, so
     * that one poison request cannot stop every later one.
     */
    private boolean onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            if (event.type == RequestEvent.Type.REQUEST)
            {
                requestsIn.increment();
                if (null != table)
                {
                    table.request(event.connectionId);
                }
                route(event.connectionId, event.request);
            }
            else if (event.type == RequestEvent.Type.OPEN && null != table)
            {
                table.opened(event.connectionId, ConnectionTable.protocolCode(event.protocol),
                    null == event.remoteAddress ? "" : event.remoteAddress, clock.time());
            }
            else if (event.type == RequestEvent.Type.CLOSE && null != table)
            {
                table.closed(event.connectionId);
            }
            if (event.type == RequestEvent.Type.CLOSE && null != link)
            {
                requests.closed(event.connectionId);
            }
        }
        catch (final RuntimeException ex)
        {
            errors.record(ex, "handling a " + event.type + " event", clock.time());
        }
        event.clear();
        return ++polled < pollLimit;
    }

    /**
     * Every request is answered: with its result, with the Kuzzle error it earned, or, when handling it threw
     * anything else, with a 500 (logged once per distinct error) while the router goes on with the next event.
     */
    private void route(final long connectionId, final KuzzleRequest request)
    {
        byte[] response;
        try
        {
            final ObjectNode result = dispatcher.answer(connectionId, request);
            if (null == result)
            {
                return;
            }
            response = responses.success(request, result);
        }
        catch (final KuzzleException ex)
        {
            response = responses.error(null, request, ex);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            errors.record(ex, "handling " + request.controller() + ":" + request.action(), clock.time());
            response = responses.error(null, request, new KuzzleException(KuzzleError.UNEXPECTED_ERROR,
                ex.getClass().getSimpleName()));
        }
        connections.sendText(connectionId, response);
    }
}
