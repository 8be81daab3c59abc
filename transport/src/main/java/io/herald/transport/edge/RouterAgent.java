package io.herald.transport.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lmax.disruptor.EventPoller;
import io.herald.engine.protocol.KuzzleError;
import io.herald.engine.protocol.KuzzleException;
import io.herald.engine.protocol.KuzzleRequest;
import io.herald.engine.protocol.ResponseWriter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.Set;

/**
 * The edge's router: drains the request ring (at most {@code pollLimit} events per duty cycle) and answers what the
 * edge can answer alone ({@code server:now}, {@code server:info}, {@code auth:checkToken} for anonymous users,
 * unknown controllers and actions). Realtime actions need a node: until one is reachable they are answered
 * {@code 503 core.fatal.service_unavailable}, never left waiting.
 */
public final class RouterAgent implements Agent
{
    private static final Set<String> REALTIME_ACTIONS =
        Set.of("subscribe", "unsubscribe", "publish", "count", "list", "join", "validate");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RequestRing ring;
    private final EventPoller<RequestEvent> poller;
    private final EdgeConnections connections;
    private final EpochClock clock;
    private final String version;
    private final int pollLimit;
    private final ResponseWriter responses = new ResponseWriter();
    private final EventPoller.Handler<RequestEvent> handler = this::onEvent;
    private int polled;

    public RouterAgent(
        final RequestRing ring, final EdgeConnections connections, final EpochClock clock, final String version,
        final int pollLimit)
    {
        this.ring = ring;
        this.poller = ring.newPoller();
        this.connections = connections;
        this.clock = clock;
        this.version = version;
        this.pollLimit = pollLimit;
    }

    public String roleName()
    {
        return "herald-router";
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
        return polled;
    }

    private boolean onEvent(final RequestEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type == RequestEvent.Type.REQUEST)
        {
            route(event.connectionId, event.request);
        }
        event.clear();
        return ++polled < pollLimit;
    }

    private void route(final long connectionId, final KuzzleRequest request)
    {
        byte[] response;
        try
        {
            response = responses.success(request, answer(request));
        }
        catch (final KuzzleException ex)
        {
            response = responses.error(null, request, ex);
        }
        connections.sendText(connectionId, response);
    }

    private ObjectNode answer(final KuzzleRequest request)
    {
        final String controller = request.required("controller");
        final String action = request.required("action");
        switch (controller)
        {
            case "server":
                if ("now".equals(action))
                {
                    return NODES.objectNode().put("now", clock.time());
                }
                if ("info".equals(action))
                {
                    final ObjectNode info = NODES.objectNode();
                    info.putObject("serverInfo").putObject("kuzzle").put("version", version)
                        .put("implementation", "herald");
                    return info;
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            case "auth":
                if ("checkToken".equals(action))
                {
                    return NODES.objectNode().put("valid", true).put("kuid", "-1").put("expiresAt", -1);
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            case "realtime":
                if (REALTIME_ACTIONS.contains(action))
                {
                    throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE, "no node is reachable");
                }
                throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, controller, action);
            default:
                throw new KuzzleException(KuzzleError.CONTROLLER_NOT_FOUND, controller);
        }
    }
}
