package io.herald.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterException;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionRegistryTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long A = Connections.key(1, 10);
    private static final long B = Connections.key(1, 11);
    private static final long C = Connections.key(2, 10);

    private final FilterEngine engine = new FilterEngine();
    private final SubscriptionRegistry registry = new SubscriptionRegistry(engine);

    private static JsonNode json(final String text)
    {
        try
        {
            return JSON.readTree(text.replace('\'', '"'));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }

    /**
     * channel → connection keys, sorted, for assertions.
     */
    private TreeMap<String, List<Long>> publish(final String document)
    {
        final TreeMap<String, List<Long>> notified = new TreeMap<>();
        registry.match("idx", "col", json(document), (channel, connections, count) ->
        {
            final List<Long> keys = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                keys.add(connections[i]);
            }
            keys.sort(null);
            notified.put(channel, keys);
        });
        return notified;
    }

    @Test
    void roomIdIsTheFilterIdAndChannelsDependOnSettings()
    {
        final Subscription first = registry.subscribe(A, "idx", "col", json("{'equals':{'a':1}}"), Scope.ALL,
            Users.NONE);
        assertEquals(engine.normalize("idx/col", json("{'equals':{'a':1.0}}")).id(), first.roomId());
        assertEquals(first.roomId() + "-an", first.channel());
        assertEquals(1, first.count());
        assertTrue(first.joined());

        final Subscription again = registry.subscribe(A, "idx", "col", json("{'equals':{'a':1}}"), Scope.ALL,
            Users.NONE);
        assertEquals(first, new Subscription(again.roomId(), again.channel(), again.count(), true));
        assertFalse(again.joined());

        final Subscription other = registry.subscribe(B, "idx", "col", json("{'equals':{'a':1}}"), Scope.IN,
            Users.ALL);
        assertEquals(first.roomId(), other.roomId());
        assertEquals(first.roomId() + "-ia", other.channel());
        assertEquals(2, other.count());
        assertEquals(first.roomId(), new SubscriptionRegistry(new FilterEngine())
            .subscribe(C, "idx", "col", json("{'equals':{'a':1}}"), Scope.ALL, Users.NONE).roomId());
    }

    @Test
    void publishNotifiesEachChannelThatReceivesDocuments()
    {
        final String room = registry.subscribe(A, "idx", "col", json("{'range':{'n':{'gt':0}}}"), Scope.ALL,
            Users.NONE).roomId();
        registry.subscribe(B, "idx", "col", json("{'range':{'n':{'gt':0}}}"), Scope.ALL, Users.NONE);
        registry.subscribe(C, "idx", "col", json("{'range':{'n':{'gt':0}}}"), Scope.IN, Users.IN);
        registry.subscribe(C, "idx", "col", json("{'range':{'n':{'gt':0}}}"), Scope.OUT, Users.NONE);
        registry.subscribe(A, "idx", "col", json("{'equals':{'n':5}}"), Scope.NONE, Users.NONE);

        assertEquals(Map.of(room + "-an", List.of(A, B), room + "-ii", List.of(C)), publish("{'n':5}"));
        assertEquals(Map.of(), publish("{'n':-1}"));
        assertEquals(0, registry.match("idx", "other", json("{'n':5}"), (channel, connections, count) -> { }));
        assertEquals(3, registry.count(room));
    }

    @Test
    void unsubscribeLeavesEveryChannelOfTheRoomAndTheLastOneRemovesIt()
    {
        final String room = registry.subscribe(A, "idx", "col", json("{'exists':'x'}"), Scope.ALL, Users.NONE)
            .roomId();
        registry.subscribe(A, "idx", "col", json("{'exists':'x'}"), Scope.IN, Users.ALL);
        registry.subscribe(B, "idx", "col", json("{'exists':'x'}"), Scope.ALL, Users.NONE);
        assertEquals(2, registry.count(room));

        assertEquals(1, registry.unsubscribe(A, room));
        assertEquals(Map.of(room + "-an", List.of(B)), publish("{'x':1}"));
        final RegistryException twice = assertThrows(RegistryException.class, () -> registry.unsubscribe(A, room));
        assertEquals("core.realtime.not_subscribed", twice.errorId());
        assertEquals(412, twice.status());

        assertEquals(0, registry.unsubscribe(B, room));
        assertNull(registry.room(room));
        assertEquals(0, engine.filterCount());
        assertEquals(Map.of(), registry.list());
        assertThrows(RegistryException.class, () -> registry.unsubscribe(B, room));
        assertEquals(Map.of(), publish("{'x':1}"));

        // the collection can have rooms again after its last one went
        final String again = registry.subscribe(C, "idx", "col", json("{'exists':'x'}"), Scope.ALL, Users.NONE)
            .roomId();
        assertEquals(Map.of(again + "-an", List.of(C)), publish("{'x':1}"));
    }

    @Test
    void joinNeedsAnExistingRoom()
    {
        final RegistryException missing = assertThrows(RegistryException.class,
            () -> registry.join(A, "nope", Scope.ALL, Users.NONE));
        assertEquals("core.realtime.room_not_found", missing.errorId());
        assertEquals(404, missing.status());

        final String room = registry.subscribe(A, "idx", "col", json("{}"), Scope.ALL, Users.NONE).roomId();
        final Subscription joined = registry.join(B, room, Scope.ALL, Users.OUT);
        assertEquals(room + "-ao", joined.channel());
        assertEquals(2, joined.count());
        assertEquals(Map.of(room + "-an", List.of(A), room + "-ao", List.of(B)), publish("{'any':true}"));
    }

    @Test
    void closedConnectionsAndResetEdgesLeaveEveryRoom()
    {
        final String r1 = registry.subscribe(A, "idx", "col", json("{'equals':{'k':1}}"), Scope.ALL, Users.NONE)
            .roomId();
        final String r2 = registry.subscribe(A, "idx", "col", json("{'equals':{'k':2}}"), Scope.ALL, Users.NONE)
            .roomId();
        registry.subscribe(B, "idx", "col", json("{'equals':{'k':2}}"), Scope.ALL, Users.NONE);
        registry.subscribe(C, "idx", "col", json("{'equals':{'k':2}}"), Scope.ALL, Users.NONE);

        final List<Room> left = registry.connectionClosed(A);
        assertEquals(List.of(r1, r2), left.stream().map(Room::id).toList());
        assertNull(registry.room(r1));
        assertEquals(2, registry.count(r2));
        assertEquals(List.of(), registry.connectionClosed(A));

        assertArrayEquals(new long[] {B}, registry.connectionsOf(1).toLongArray());
        registry.connectionClosed(B);
        assertEquals(Map.of(r2 + "-an", List.of(C)), publish("{'k':2}"));
        assertArrayEquals(new long[] {C}, registry.connectionsOf(2).toLongArray());
        registry.connectionClosed(C);
        assertEquals(0, registry.roomCount());
        assertEquals(0, engine.filterCount());
    }

    @Test
    void listGroupsRoomsByIndexAndCollection()
    {
        final String r1 = registry.subscribe(A, "b", "c2", json("{'equals':{'k':1}}"), Scope.ALL, Users.NONE)
            .roomId();
        final String r2 = registry.subscribe(B, "a", "c1", json("{}"), Scope.ALL, Users.NONE).roomId();
        registry.subscribe(C, "a", "c1", json("{}"), Scope.ALL, Users.NONE);
        assertEquals(Map.of("a", Map.of("c1", Map.of(r2, 2)), "b", Map.of("c2", Map.of(r1, 1))), registry.list());
        assertEquals(List.of("a", "b"), new ArrayList<>(registry.list().keySet()));
    }

    @Test
    void userNotificationsGoToChannelsAskingForThem()
    {
        final String room = registry.subscribe(A, "idx", "col", json("{}"), Scope.ALL, Users.IN).roomId();
        registry.subscribe(B, "idx", "col", json("{}"), Scope.ALL, Users.OUT);
        registry.subscribe(C, "idx", "col", json("{}"), Scope.NONE, Users.ALL);
        final List<String> in = new ArrayList<>();
        registry.userChannels(registry.room(room), true, (channel, connections, count) -> in.add(channel));
        assertEquals(List.of(room + "-ai", room + "-na"), in);
        final List<String> out = new ArrayList<>();
        registry.userChannels(registry.room(room), false, (channel, connections, count) -> out.add(channel));
        assertEquals(List.of(room + "-ao", room + "-na"), out);
    }

    @Test
    void badFiltersRegisterNothing()
    {
        assertThrows(FilterException.class,
            () -> registry.subscribe(A, "idx", "col", json("{'equals':{'a':[1]}}"), Scope.ALL, Users.NONE));
        assertEquals(0, registry.roomCount());
        assertEquals(0, engine.filterCount());
        assertThrows(IllegalArgumentException.class, () -> Scope.of("sideways"));
        assertEquals(Users.NONE, Users.of(null));
    }

    @Test
    void sameOperationsGiveTheSameStateOnEveryNode()
    {
        final SubscriptionRegistry first = new SubscriptionRegistry(new FilterEngine());
        final SubscriptionRegistry second = new SubscriptionRegistry(new FilterEngine());
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2_000; i++)
        {
            final long connection = Connections.key(random.nextInt(3), random.nextInt(40));
            final int op = random.nextInt(10);
            final String filter = "{'range':{'v':{'gte':" + random.nextInt(20) + "}}}";
            final Scope scope = Scope.values()[random.nextInt(4)];
            final Users users = Users.values()[random.nextInt(4)];
            for (final SubscriptionRegistry registry : List.of(first, second))
            {
                if (op < 6)
                {
                    registry.subscribe(connection, "i" + (op % 2), "c", json(filter), scope, users);
                }
                else if (op < 8)
                {
                    registry.connectionClosed(connection);
                }
                else if (op == 8 && i % 50 == 0)
                {
                    final LongArrayList held = registry.connectionsOf(Connections.edgeId(connection));
                    for (int k = 0; k < held.size(); k++)
                    {
                        registry.connectionClosed(held.getLong(k));
                    }
                }
            }
        }
        assertEquals(first.list(), second.list());
        assertEquals(new ArrayList<>(first.list().get("i0").get("c").keySet()),
            new ArrayList<>(second.list().get("i0").get("c").keySet()));
        final List<String> a = new ArrayList<>();
        final List<String> b = new ArrayList<>();
        first.match("i0", "c", json("{'v':12}"), (channel, connections, count) -> a.add(channel + count));
        second.match("i0", "c", json("{'v':12}"), (channel, connections, count) -> b.add(channel + count));
        assertEquals(a, b);
        assertTrue(a.size() > 3, "the run must leave rooms to compare: " + a);
    }

    @Test
    void wireEnumsFollowTheRegistryOnes()
    {
        // the edge and the node convert by ordinal: the SBE enums must list the same values in the same order
        for (final Scope scope : Scope.values())
        {
            assertEquals(scope.name(), io.herald.codecs.Scope.get((short)scope.ordinal()).name());
        }
        for (final Users users : Users.values())
        {
            assertEquals(users.name(), io.herald.codecs.Users.get((short)users.ordinal()).name());
        }
    }
}
