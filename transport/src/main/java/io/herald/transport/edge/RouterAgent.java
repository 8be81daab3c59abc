package io.herald.transport.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lmax.disruptor.EventPoller;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.edge.NodeRequests;
import io.herald.engine.edge.NodeStatuses;
import io.herald.engine.edge.RequestDispatcher;
import io.herald.engine.errors.DistinctErrors;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.engine.security.RequestRates;
import io.herald.transport.Counters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The edge's router, a duty cycle: drains the request ring (at most {@code pollLimit} events per cycle) and has
 * each request answered ({@link RequestDispatcher}: by the edge itself, or by the nodes through
 * {@link NodeRequests}, both in {@code engine.edge}), sends what waits for the nodes, polls the cluster and the read
 * side for their answers and notifications ({@link NodeAnswers}), hands the cycle's notifications to the event
 * loops, and times requests out. With no link, realtime actions are answered {@code 503
 * core.fatal.service_unavailable}, never left waiting; a request whose handling throws is answered 500 and the router
 * goes on.
 */
public final class RouterAgent implements Agent
{
    private final ReadLink reads;
    private final Runnable readsSent;
    private long readsOffered;
    private final RequestRing ring;
    private final EventPoller<RequestEvent> poller;
    private final EventPoller.Handler<RequestEvent> handler = this::onEvent;
    private final EdgeConnections connections;
    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final int pollLimit;
    private final AeronNodeLinks links;
    private final ResponseWriter responses = new ResponseWriter();
    private final DistinctErrors errors = new DistinctErrors("herald-router");
    private final NodeRequests requests;
    private final NodeAnswers answers;
    private final NodeStatuses statuses;
    private final RequestDispatcher dispatcher;
    private final ConnectionTable table;
    private final AtomicCounter requestsIn;
    private int polled;

    /**
     * @param context concluded here.
     */
    public RouterAgent(final EdgeContext context)
    {
        context.conclude();
        this.ring = context.ring();
        this.poller = ring.newPoller();
        this.connections = context.connections();
        this.clock = context.epochClock();
        this.nanoClock = context.nanoClock();
        this.pollLimit = context.pollLimit();
        final ReadLink reads = context.readLink();
        this.reads = reads;
        this.readsSent = context.readsSent();
        this.links = new AeronNodeLinks(context.clusterLink(), reads);
        this.table = context.connectionTable();
        final Counters counters = context.counters();
        this.requests = new NodeRequests(links, connections::sendText, clock, nanoClock)
            .requestTimeoutMs(context.requestTimeoutMs())
            .readFailoverNs(context.readFailoverNs())
            .countInto(counters.get(HeraldCounter.READ_FAILOVERS), counters.get(HeraldCounter.ANSWERS_OK),
                counters.get(HeraldCounter.ANSWERS_CLIENT_ERROR), counters.get(HeraldCounter.ANSWERS_SERVER_ERROR))
            .countResentInto(counters.get(HeraldCounter.WRITES_RESENT))
            .roundTrips(counters.roundTrips());
        this.statuses = null == reads ? null : new NodeStatuses(links);
        if (null != statuses)
        {
            requests.readFloor(() -> statuses.highestLogPosition(clock.time()));
        }
        this.answers = new NodeAnswers(connections, requests, reads, statuses, clock, errors).counters(counters)
            .connectionTable(table);
        this.dispatcher = new RequestDispatcher(requests, statuses, clock, context.version());
        this.dispatcher.maxRequestBytes(context.maxRequestBytes());
        this.dispatcher.maxSubscriptions(context.subscriptionsPerConnection());
        this.dispatcher.publicApi(context.publicApi());
        this.dispatcher.security(context.users(), new RequestRates(context.requestsPerSecond(), nanoClock),
            counters::get);
        this.requestsIn = counters.get(HeraldCounter.REQUESTS);
        errors.countInto(counters.get(HeraldCounter.EDGE_ERRORS)).logInto(context.errorLog());
        responses.countInto(counters.get(HeraldCounter.ANSWERS_OK), counters.get(HeraldCounter.ANSWERS_CLIENT_ERROR),
            counters.get(HeraldCounter.ANSWERS_SERVER_ERROR));
    }

    /**
     * @return requests that threw while being handled (each was answered 500 and the router went on).
     */
    public long unexpectedErrors()
    {
        return errors.total();
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
        links.close();
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
        final int work = polled + requests.send() + links.poll(answers);
        if (null != readsSent && null != reads && reads.offers() != readsOffered)
        {
            readsOffered = reads.offers();
            readsSent.run();
        }
        final long nowMs = clock.time();
        final long nowNs = nanoClock.nanoTime();
        if (null != statuses)
        {
            statuses.poll(nowNs, nowMs, requests.nextId());
        }
        // the notifications of every list this cycle, one write per connection
        answers.sendDeliveries();
        return work + requests.expire(nowMs) + requests.failOver(nowNs) + dispatcher.expireTokens(answers) +
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
            if (event.type == RequestEvent.Type.CLOSE)
            {
                dispatcher.closed(event.connectionId);
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
