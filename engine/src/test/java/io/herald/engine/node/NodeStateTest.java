package io.herald.engine.node;

import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.registry.Connections;
import io.herald.engine.registry.Room;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Subscription;
import io.herald.engine.registry.Users;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's state machine without a cluster: each write's effects, failures that change nothing, what a connection
 * or an edge going causes, and determinism (two states fed the same writes produce the same effects).
 */
class NodeStateTest
{
    private static final long A = Connections.key(1, 10);
    private static final long B = Connections.key(1, 11);
    private static final long C = Connections.key(2, 10);

    /** Effects written down as text, in order. */
    private static final class Recorded implements NodeState.Effects
    {
        final List<String> effects = new ArrayList<>();

        public void subscribed(final long correlationId, final Subscription result)
        {
            effects.add(correlationId + " subscribed " + result.roomId() + " count=" + result.count() + " joined=" +
                result.joined());
        }

        public void unsubscribed(final long correlationId, final String roomId, final int count)
        {
            effects.add(correlationId + " unsubscribed " + roomId + " count=" + count);
        }

        public void failed(final long correlationId, final int status, final String errorId, final String message)
        {
            effects.add(correlationId + " failed " + status + " " + errorId);
        }

        public void applied(final long correlationId)
        {
            effects.add(correlationId + " applied");
        }

        public void usersChanged(final Room room, final boolean joined, final String volatileJson)
        {
            effects.add("users " + (joined ? "in " : "out ") + room.id() + " " + volatileJson);
        }

        String last()
        {
            return effects.get(effects.size() - 1);
        }
    }

    private final NodeState state = new NodeState(new FilterEngineContext());
    private final Recorded recorded = new Recorded();

    @Test
    void aSubscribeAnswersItsRoomAndTellsTheRoomsUsersChannels()
    {
        state.subscribe(1, A, "i", "c", "{\"equals\":{\"a\":1}}", Scope.ALL, Users.ALL, "{\"who\":\"a\"}", recorded);
        final String roomId = roomOf(recorded.effects.get(0));
        assertEquals("1 subscribed " + roomId + " count=1 joined=true", recorded.effects.get(0));
        assertEquals("users in " + roomId + " {\"who\":\"a\"}", recorded.effects.get(1));

        state.join(2, B, roomId, Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals("2 subscribed " + roomId + " count=2 joined=true", recorded.effects.get(2));

        state.unsubscribe(3, B, roomId, "{\"bye\":1}", recorded);
        assertEquals("3 unsubscribed " + roomId + " count=1", recorded.effects.get(4));
        assertEquals("users out " + roomId + " {\"bye\":1}", recorded.last());
    }

    @Test
    void failedWritesChangeNothing()
    {
        state.subscribe(1, A, "i", "c", "{not json", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals("1 failed 400 api.assert.invalid_argument", recorded.last());
        state.subscribe(2, A, "i", "c", "{\"nope\":{}}", Scope.ALL, Users.NONE, "{}", recorded);
        assertTrue(recorded.last().startsWith("2 failed 400 "), recorded.last());
        state.subscribe(3, A, "i", "c", "{}", null, Users.NONE, "{}", recorded);
        assertEquals("3 failed 400 api.assert.invalid_argument", recorded.last());
        state.join(4, A, "no-such-room", Scope.ALL, Users.NONE, "{}", recorded);
        assertTrue(recorded.last().startsWith("4 failed 404 "), recorded.last());
        assertEquals(0, state.registry().roomCount());
        assertTrue(state.volatiles().isEmpty());

        state.subscribe(5, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        final String roomId = roomOf(recorded.last());
        state.unsubscribe(6, A, roomId, "{}", recorded);
        state.unsubscribe(7, A, roomId, "{}", recorded);
        assertTrue(recorded.last().startsWith("7 failed 412 "), "an unsubscribe applied twice: " + recorded.last());
    }

    @Test
    void aClosedConnectionLeavesItsRoomsWithTheVolatileItCameWith()
    {
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.ALL, "{\"name\":\"a\"}", recorded);
        final String roomId = roomOf(recorded.effects.get(0));
        final String big = "{\"pad\":\"" + "x".repeat(NodeState.MAX_KEPT_VOLATILE_BYTES) + "\"}";
        state.join(2, B, roomId, Scope.ALL, Users.ALL, big, recorded);
        state.subscribe(3, A, "i", "other", "{}", Scope.ALL, Users.ALL, "{\"name\":\"a2\"}", recorded);
        final String otherRoom = roomOf(recorded.effects.get(recorded.effects.size() - 2));
        state.join(4, C, otherRoom, Scope.ALL, Users.ALL, "{}", recorded);
        recorded.effects.clear();

        state.closeConnection(B, recorded);
        assertEquals(List.of("users out " + roomId + " null"), recorded.effects, "a volatile too large to keep");
        state.closeConnection(A, recorded);
        assertEquals(List.of("users out " + roomId + " null", "users out " + otherRoom + " {\"name\":\"a2\"}"),
            recorded.effects, "each room A was in, with what A came with; the first room is empty: nobody to tell");
        assertEquals(1, state.registry().roomCount());
        assertEquals(1, state.volatiles().size(), "only C's is left");
    }

    @Test
    void droppingAnEdgeClosesItsConnectionsOnlyInConnectionOrder()
    {
        state.subscribe(1, B, "i", "c", "{}", Scope.ALL, Users.ALL, "\"b\"", recorded);
        final String roomId = roomOf(recorded.effects.get(0));
        state.join(2, A, roomId, Scope.ALL, Users.ALL, "\"a\"", recorded);
        state.join(3, C, roomId, Scope.ALL, Users.ALL, "\"c\"", recorded);
        recorded.effects.clear();

        state.dropEdge(1, recorded);
        assertEquals(List.of("users out " + roomId + " \"a\"", "users out " + roomId + " \"b\""), recorded.effects);
        assertEquals(1, state.registry().count(roomId), "edge 2's connection stays");
    }

    @Test
    void twoStatesFedTheSameWritesProduceTheSameEffects()
    {
        final Recorded first = new Recorded();
        final Recorded second = new Recorded();
        final NodeState other = new NodeState(new FilterEngineContext());
        final Random random = new Random(42);
        final List<String> rooms = new ArrayList<>();
        for (int write = 0; write < 2_000; write++)
        {
            final long connection = Connections.key(1 + random.nextInt(3), random.nextInt(20));
            final int kind = random.nextInt(10);
            for (final Object[] target : new Object[][] {{state, first}, {other, second}})
            {
                final NodeState applying = (NodeState)target[0];
                final Recorded effects = (Recorded)target[1];
                final Random same = new Random(write);
                if (kind < 4)
                {
                    applying.subscribe(write, connection, "i", "c" + same.nextInt(3),
                        "{\"range\":{\"n\":{\"gt\":" + same.nextInt(5) + "}}}", Scope.ALL, Users.ALL,
                        "{\"w\":" + write + "}", effects);
                }
                else if (kind < 6 && !rooms.isEmpty())
                {
                    applying.join(write, connection, rooms.get(same.nextInt(rooms.size())), Scope.IN, Users.OUT, "{}",
                        effects);
                }
                else if (kind < 8 && !rooms.isEmpty())
                {
                    applying.unsubscribe(write, connection, rooms.get(same.nextInt(rooms.size())), "{}", effects);
                }
                else if (kind < 9)
                {
                    applying.closeConnection(connection, effects);
                }
                else
                {
                    applying.dropEdge(1 + same.nextInt(3), effects);
                }
            }
            final String last = first.effects.isEmpty() ? "" : first.last();
            if (last.contains(" subscribed "))
            {
                rooms.add(roomOf(last));
            }
        }
        assertEquals(first.effects, second.effects);
        assertTrue(first.effects.size() > 2_000, "the writes did things: " + first.effects.size());
        assertEquals(state.registry().list(), other.registry().list());
    }

    @Test
    void aWriteSentAgainIsAnsweredAsBeforeAndChangesNothing()
    {
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.ALL, "\"a\"", recorded);
        final String roomId = roomOf(recorded.effects.get(0));
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.ALL, "\"a\"", recorded);
        assertEquals("1 subscribed " + roomId + " count=1 joined=false", recorded.last(), "the same answer, no users in");
        assertEquals(3, recorded.effects.size());
        assertEquals(1, state.registry().count(roomId));

        state.join(2, B, roomId, Scope.ALL, Users.NONE, "{}", recorded);
        state.unsubscribe(3, B, roomId, "{}", recorded);
        final int before = recorded.effects.size();
        state.join(2, B, roomId, Scope.ALL, Users.NONE, "{}", recorded);
        state.unsubscribe(3, B, roomId, "{}", recorded);
        assertEquals(List.of("2 subscribed " + roomId + " count=2 joined=false", "3 unsubscribed " + roomId + " count=1"),
            recorded.effects.subList(before, recorded.effects.size()), "not 412 for the unsubscribe sent again");
        assertEquals(1, state.registry().count(roomId));

        // a failure is answered the same too
        state.join(4, B, "no-such-room", Scope.ALL, Users.NONE, "{}", recorded);
        final String failure = recorded.last();
        state.join(4, B, "no-such-room", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals(failure, recorded.last());
        assertEquals(4, state.writes().duplicates(), "every copy counted");
    }

    @Test
    void aConnectionClosedSentAgainDoesNotRemoveALaterSubscription()
    {
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        final String roomId = roomOf(recorded.last());
        state.closeConnection(2, A, recorded);
        assertEquals("2 applied", recorded.last());
        assertEquals(0, state.registry().count(roomId));
        state.subscribe(3, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        state.closeConnection(2, A, recorded);
        assertEquals("2 applied", recorded.last());
        assertEquals(1, state.registry().count(roomId), "the copy of the close changed nothing");
    }

    @Test
    void anEdgeThatStartsAgainNumbersItsWritesAgainAndOnlyItsOwn()
    {
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        final String roomId = roomOf(recorded.last());
        state.subscribe(1, C, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals(2, state.registry().count(roomId), "edge 2's write 1 is not edge 1's");

        state.resetEdge(1, recorded);
        assertEquals(1, state.registry().count(roomId));
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals(2, state.registry().count(roomId), "write 1 of the new run applies");
        assertEquals(1, state.writes().lastApplied(1));
    }

    @Test
    void answersBeforeTheEdgesOldestPendingWriteAreForgotten()
    {
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        final String first = roomOf(recorded.last());
        state.subscribe(2, A, "i", "d", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        final String second = recorded.effects.get(recorded.effects.size() - 2);
        state.oldestPending(1, 2);
        state.subscribe(2, A, "i", "d", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals(second.replace("joined=true", "joined=false"), recorded.last());
        state.subscribe(1, A, "i", "c", "{}", Scope.ALL, Users.NONE, "{}", recorded);
        assertEquals("1 failed 500 core.fatal.unexpected_error", recorded.last(),
            "still not applied twice, but its answer is gone");
        assertEquals(1, state.registry().count(first));
    }

    private static String roomOf(final String subscribed)
    {
        return subscribed.split(" ")[2];
    }
}
