package io.herald.engine.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.kuzzle.DocumentNotification;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge's pending requests with clocks the test moves: timeouts, read failover and suspicion, order and back
 * pressure, requests that cannot go at all.
 */
class NodeRequestsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CachedEpochClock clock = new CachedEpochClock();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final List<Reply> replies = new ArrayList<>();

    private record Reply(long connectionId, JsonNode response)
    {
    }

    private NodeRequests requests(final MemoryLinks links)
    {
        clock.update(1_000_000);
        nanoClock.update(TimeUnit.SECONDS.toNanos(1_000));
        return new NodeRequests(links, (connectionId, response) -> replies.add(new Reply(connectionId,
            parse(response))), clock, nanoClock).requestTimeoutMs(5_000).readFailoverNs(500_000_000L);
    }

    @Test
    void aRequestNoNodeAnswersIsAnswered503OnceAtItsTimeoutAndALateAnswerIsIgnored()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        final long id = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "r1"), subscribe(id, 7));

        clock.advance(4_999);
        assertEquals(0, requests.expire(clock.time()));
        assertTrue(replies.isEmpty());
        clock.advance(1);
        assertEquals(1, requests.expire(clock.time()));
        assertEquals(1, replies.size());
        assertEquals(7, replies.get(0).connectionId());
        assertEquals(503, replies.get(0).response().get("status").asInt());
        assertEquals("r1", replies.get(0).response().get("requestId").asText());
        assertEquals("core.fatal.service_unavailable", replies.get(0).response().get("error").get("id").asText());

        assertNull(requests.answered(id), "the node's late answer finds nobody waiting");
        clock.advance(60_000);
        assertEquals(0, requests.expire(clock.time()), "answered once, never twice");
        assertEquals(0, requests.inFlight());
    }

    @Test
    void anAnsweredRequestIsNotTimedOut()
    {
        final NodeRequests requests = requests(new MemoryLinks(true, 1));
        final long id = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "r1"), subscribe(id, 7));
        assertNotNull(requests.answered(id));
        clock.advance(10_000);
        assertEquals(0, requests.expire(clock.time()));
        assertTrue(replies.isEmpty());
    }

    @Test
    void writesWaitUnderBackPressureAndGoInTheOrderTaken()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        links.backPressure = true;
        final long first = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "a"), subscribe(first, 7));
        requests.closed(7);
        assertEquals(0, requests.send());
        assertTrue(links.sent.isEmpty());

        links.backPressure = false;
        assertEquals(2, requests.send());
        assertEquals(first, links.sent.get(0).request().correlationId());
        assertEquals(NodeRequest.CLOSE, links.sent.get(1).request().kind(), "a close never overtakes a subscribe");
    }

    @Test
    void readsAskForTheLastAcknowledgedLogPosition()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        requests.acknowledgedAt(4_096);
        requests.acknowledgedAt(1_024);
        final long id = requests.nextId();
        requests.read(7, request("realtime", "count", "c"), count(id, 7));
        assertEquals(4_096, links.last().logPosition(), "read-your-writes: the highest position acknowledged");
    }

    @Test
    void readsAskForWhatAnyNodeAppliedWhenThatIsFurther()
    {
        final MemoryLinks links = new MemoryLinks(true, 2);
        final NodeRequests requests = requests(links);
        final NodeStatuses statuses = new NodeStatuses(links);
        requests.readFloor(() -> statuses.highestLogPosition(clock.time()));
        requests.acknowledgedAt(1_024);
        requests.read(7, request("realtime", "count", "c"), count(requests.nextId(), 7));
        assertEquals(1_024, links.last().logPosition(), "no node heard from yet: this edge's own writes");

        statuses.onStatus(0, 2, 8_192, 100, 1, clock.time());
        statuses.onStatus(1, 0, 512, 101, 1, clock.time()); // restarted, replaying its log
        requests.read(7, request("realtime", "count", "c"), count(requests.nextId(), 7));
        assertEquals(8_192, links.last().logPosition(), "a node behind the others holds the read until it caught up");

        clock.advance(NodeStatuses.RECENT_STATUS_MS + 1);
        statuses.onStatus(1, 0, 2_048, 101, 1, clock.time());
        requests.read(7, request("realtime", "count", "c"), count(requests.nextId(), 7));
        assertEquals(2_048, links.last().logPosition(), "node 0, silent for 5 s, no longer counts");
    }

    @Test
    void aReadANodeLeavesUnansweredGoesToAnotherNodeUnderANewIdAndTheNodeIsSuspected()
    {
        final MemoryLinks links = new MemoryLinks(true, 2);
        final NodeRequests requests = requests(links);
        final long id = requests.nextId();
        requests.read(7, request("realtime", "count", "c"), count(id, 7));
        final int firstNode = links.last().node();

        nanoClock.advance(NodeRequests.DEFAULT_READ_FAILOVER_NS);
        assertEquals(0, requests.failOver(nanoClock.nanoTime()), "not late yet");
        nanoClock.advance(NodeRequests.FAILOVER_CHECK_NS);
        assertEquals(2, requests.failOver(nanoClock.nanoTime()), "taken out and sent again");
        assertEquals(1, requests.failedOver());
        assertEquals(NodeRequests.SUSPECT_NS, links.suspectedForNs[firstNode]);
        final MemoryLinks.Sent again = links.last();
        assertNotEquals(id, again.request().correlationId());
        assertNotEquals(firstNode, again.node());

        assertNull(requests.answered(id), "the first node's late answer is ignored");
        assertNotNull(requests.answered(again.request().correlationId()));
        assertTrue(replies.isEmpty());
    }

    @Test
    void withOneNodeAReadWaitsForItsTimeoutInsteadOfFailingOver()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        requests.read(7, request("realtime", "count", "c"), count(requests.nextId(), 7));
        nanoClock.advance(TimeUnit.SECONDS.toNanos(3));
        assertEquals(0, requests.failOver(nanoClock.nanoTime()));
        assertEquals(1, links.sent.size());
    }

    @Test
    void aPublishWhoseAnswerHasBegunIsNotSentAgain()
    {
        final MemoryLinks links = new MemoryLinks(true, 2);
        final NodeRequests requests = requests(links);
        final long id = requests.nextId();
        requests.publish(7, request("realtime", "publish", "p"), publish(id, 7), notification());
        assertNotNull(requests.publishAnswer(id, false), "a first chunk");

        nanoClock.advance(TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, requests.failOver(nanoClock.nanoTime()), "re-sending would notify twice");
        assertEquals(1, links.sent.size());
        assertNotNull(requests.publishAnswer(id, true), "the last chunk ends the wait");
        assertNull(requests.publishAnswer(id, true));
        assertEquals(0, requests.inFlight());
    }

    @Test
    void theReadDeadlineFollowsTheNodesAnswerTimes()
    {
        final MemoryLinks links = new MemoryLinks(true, 2);
        final NodeRequests requests = requests(links);
        for (int i = 0; i < 200; i++)
        {
            final long id = requests.nextId();
            requests.publish(7, request("realtime", "publish", "p" + i), publish(id, 7), notification());
            nanoClock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            requests.publishAnswer(id, true);
        }
        nanoClock.advance(NodeRequests.FAILOVER_CHECK_NS);
        requests.failOver(nanoClock.nanoTime());
        assertTrue(requests.readDeadlineNs() < NodeRequests.DEFAULT_READ_FAILOVER_NS,
            "nodes answering in 1 ms bring the deadline down: " + requests.readDeadlineNs());
    }

    @Test
    void aRequestTheLinkCannotTakeFailsAloneAndTheNextOneGoes()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        final long big = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "big"), new NodeRequest(NodeRequest.SUBSCRIBE, big, 7,
            "i", "c", MemoryLinks.TOO_LARGE, null, 0, 0, "{}"));
        assertEquals(1, replies.size());
        assertEquals(413, replies.get(0).response().get("status").asInt());
        assertEquals("big", replies.get(0).response().get("requestId").asText());

        final long next = requests.nextId();
        requests.write(8, request("realtime", "subscribe", "next"), subscribe(next, 8));
        assertEquals(next, links.last().request().correlationId());
        clock.advance(10_000);
        assertEquals(1, requests.expire(clock.time()), "only the second one was still waiting");
    }

    @Test
    void readsWithoutReadSidesAreRefused503()
    {
        final NodeRequests requests = requests(new MemoryLinks(true, 0));
        final KuzzleException refused = assertThrows(KuzzleException.class,
            () -> requests.read(7, request("realtime", "count", "c"), count(requests.nextId(), 7)));
        assertEquals(503, refused.error().status());
    }

    @Test
    void aFullQueueRefusesWith503ButClosesAreAlwaysTaken()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        links.backPressure = true;
        for (int i = 0; i < NodeRequests.MAX_QUEUED; i++)
        {
            requests.write(7, request("realtime", "subscribe", "r"), subscribe(requests.nextId(), 7));
        }
        final KuzzleException refused = assertThrows(KuzzleException.class,
            () -> requests.write(7, request("realtime", "subscribe", "r"), subscribe(requests.nextId(), 7)));
        assertEquals(503, refused.error().status());
        requests.closed(7);
        links.backPressure = false;
        assertEquals(NodeRequests.MAX_QUEUED + 1, requests.send());
    }

    @Test
    void aSilentNodeLeavesTheReadRotationAndStatusRequestsGoOnceASecond()
    {
        final MemoryLinks links = new MemoryLinks(true, 2);
        final NodeStatuses statuses = new NodeStatuses(links);
        final long startNs = nanoClock.nanoTime() + NodeStatuses.INTERVAL_NS + 1;
        statuses.poll(startNs, 10_000, 1);
        statuses.poll(startNs + 1, 10_000, 2);
        assertEquals(List.of(1L), links.statusRequests, "at most one status request per interval");
        statuses.onStatus(0, 2, 100, 11, 3, 10_000);
        statuses.onStatus(1, 0, 100, 12, 3, 10_000);

        statuses.onStatus(0, 2, 200, 11, 3, 11_000);
        statuses.poll(startNs + NodeStatuses.INTERVAL_NS + 1, 11_600, 3);
        assertEquals(0, links.suspectedForNs[0]);
        assertTrue(links.suspectedForNs[1] > 0, "node 1 has not answered for 1.6 s");
        final JsonNode json = statuses.toJson(0, 11_600, 0);
        assertEquals("up", json.get("nodes").get(0).get("state").asText());
        assertEquals("leader", json.get("nodes").get(0).get("role").asText());
        assertEquals("down", json.get("nodes").get(1).get("state").asText());
    }

    @Test
    void afterALeaderChangeTheUnansweredWritesGoAgainInTheirOrderAheadOfNewOnes()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        final long a = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "a"), subscribe(a, 7));
        final long b = requests.nextId();
        requests.write(8, request("realtime", "subscribe", "b"), subscribe(b, 8));
        requests.closed(9);
        requests.send();
        final long close = links.last().request().correlationId();
        final long c = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "c"), subscribe(c, 7));
        assertEquals(a, links.last().oldestPending(), "each write says which is the oldest still waiting");
        assertNotNull(requests.answered(b), "b was answered before the leader went");
        assertEquals(a, requests.oldestPendingWrite());
        assertNotNull(requests.answered(a));
        assertEquals(close, requests.oldestPendingWrite(), "the close waits for its acknowledgement");

        links.backPressure = true;
        final long d = requests.nextId();
        requests.write(8, request("realtime", "subscribe", "d"), subscribe(d, 8));
        links.sent.clear();
        links.backPressure = false;
        assertEquals(2, requests.resendWrites(), "the close and c went to the old leader unanswered");
        assertEquals(List.of(close, c, d), links.sent.stream().map((sent) -> sent.request().correlationId()).toList(),
            "in their order, ahead of the write that had not gone yet");
        assertEquals(close, links.sent.get(2).oldestPending());
        assertEquals(2, requests.writesResent());

        requests.applied(close);
        assertNotNull(requests.answered(c));
        assertNotNull(requests.answered(d));
        assertEquals(0, requests.unansweredWrites());
        links.sent.clear();
        assertEquals(0, requests.resendWrites(), "nothing left to send again");
        assertTrue(links.sent.isEmpty());
        assertTrue(replies.isEmpty(), "no client was answered by the edge itself");
    }

    @Test
    void aWriteThatNeverLeftTheEdgeTimesOutAsNotAppliedAndIsNeverSent()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        links.backPressure = true;
        final long id = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "r1"), subscribe(id, 7));
        clock.advance(5_000);
        assertEquals(1, requests.expire(clock.time()));
        assertTrue(replies.get(0).response().get("error").get("message").asText().contains("was not applied"),
            replies.get(0).toString());

        links.backPressure = false;
        requests.resendWrites();
        requests.send();
        assertTrue(links.sent.isEmpty(), "a write its client was told is not applied never goes");
        assertEquals(0, requests.unansweredWrites());
    }

    @Test
    void aWriteALostLeaderTookTimesOutAsMaybeAppliedAndStillGoesAgainToSettleIt()
    {
        final MemoryLinks links = new MemoryLinks(true, 1);
        final NodeRequests requests = requests(links);
        final long id = requests.nextId();
        requests.write(7, request("realtime", "subscribe", "r1"), subscribe(id, 7));
        clock.advance(5_000);
        assertEquals(1, requests.expire(clock.time()));
        assertTrue(replies.get(0).response().get("error").get("message").asText().contains("may have been applied"),
            replies.get(0).toString());

        links.sent.clear();
        assertEquals(1, requests.resendWrites());
        assertEquals(id, links.last().request().correlationId());
        assertNull(requests.answered(id), "its client was answered already");
        assertEquals(1, replies.size());
        assertEquals(0, requests.unansweredWrites());
    }

    private static NodeRequest subscribe(final long id, final long connectionId)
    {
        return new NodeRequest(NodeRequest.SUBSCRIBE, id, connectionId, "i", "c", "{}", null, 0, 0, "{}");
    }

    private static NodeRequest count(final long id, final long connectionId)
    {
        return new NodeRequest(NodeRequest.COUNT, id, connectionId, null, null, null, "room", 0, 0, null);
    }

    private static NodeRequest publish(final long id, final long connectionId)
    {
        return new NodeRequest(NodeRequest.PUBLISH, id, connectionId, "i", "c", "{}", null, 0, 0, "", id, 1, null,
            "p", "websocket");
    }

    private static DocumentNotification notification()
    {
        return DocumentNotification.of("i", "c", "websocket", "p", 1, "node", null, null, "{}");
    }

    private static KuzzleRequest request(final String controller, final String action, final String requestId)
    {
        return KuzzleRequest.of(JSON.createObjectNode().put("controller", controller).put("action", action)
            .put("requestId", requestId), "websocket");
    }

    private static JsonNode parse(final byte[] response)
    {
        try
        {
            return JSON.readTree(response);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
