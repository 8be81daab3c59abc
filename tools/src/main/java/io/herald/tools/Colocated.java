package io.herald.tools;

import io.herald.transport.WakeableIdleStrategy;
import io.herald.transport.node.NodeService;
import io.herald.transport.link.LinkStreams;
import io.herald.tools.config.HeraldConfig;
import io.herald.tools.config.HeraldSettings;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An edge and its only node in one process, on one media driver ({@code herald up}): reads and their answers go over
 * shared memory ({@link LinkStreams#ipcChannel}), and with the default {@code backoff} idling the edge's router and
 * the node's service wake each other instead of parking: the ring's producers wake the router, the router wakes the
 * service when it sent reads, the service wakes the router when it answered. A request crosses no parked agent,
 * and an idle process costs what a backing-off one does.
 *
 * @param router  the router's idle strategy, or null when {@code agent.router.idle} is not {@code backoff}.
 * @param service the node service's, or null when {@code agent.service.idle} is not {@code backoff}.
 * @param routerOnService {@code agent.router.thread=service}: the router runs in the node service's duty cycle
 *                        ({@link io.herald.transport.GuestAgent}), and waking the router wakes the service.
 * @param host            the node's service, set by the node when the router runs on it, for the edge to find.
 */
record Colocated(
    WakeableIdleStrategy router, WakeableIdleStrategy service, boolean routerOnService, AtomicReference<NodeService> host)
{
    static Colocated of(final HeraldConfig config)
    {
        final long maxPark = config.get(HeraldSettings.AGENT_IDLE_MAX_PARK);
        final long window = config.get(HeraldSettings.AGENT_IDLE_BUSY_WINDOW);
        return new Colocated(
            "backoff".equals(config.get(HeraldSettings.ROUTER_IDLE)) ?
                new WakeableIdleStrategy(10, 5, 1_000, maxPark, window) : null,
            "backoff".equals(config.get(HeraldSettings.SERVICE_IDLE)) ?
                new WakeableIdleStrategy(10, 5, 1_000, maxPark, window) : null,
            "service".equals(config.get(HeraldSettings.ROUTER_THREAD)), new AtomicReference<>());
    }

    /**
     * Wakes the thread the router runs on: its own, or the service's ({@link #routerOnService}).
     */
    void wakeRouter()
    {
        if (routerOnService)
        {
            wakeService();
        }
        else if (null != router)
        {
            router.wake();
        }
    }

    void wakeService()
    {
        if (null != service)
        {
            service.wake();
        }
    }
}
