package io.herald.engine.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.filter.FilterEngine;
import io.herald.engine.filter.FilterEngineContext;
import io.herald.engine.filter.FilterException;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.registry.RegistryException;
import io.herald.engine.registry.Room;
import io.herald.engine.registry.Scope;
import io.herald.engine.registry.Subscription;
import io.herald.engine.registry.SubscriptionRegistry;
import io.herald.engine.registry.Users;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.HashMap;
import java.util.Map;

/**
 * A node's replicated state, as a deterministic state machine: the subscription registry and the volatiles kept for
 * "user left" notifications, changed only by the writes of the cluster log (subscribe, join, unsubscribe, a
 * connection closed, an edge dropped), applied in log order on every node. Each write tells its outcome to
 * {@link Effects} (the answer to the edge that asked, the user notifications it causes), which the transport turns
 * into messages; nothing here reads a clock, draws a random number or does I/O, so every node that applies the same
 * log holds the same state and produces the same effects. Checks come before changes: a write that fails leaves the
 * state as it found it.
 * <p>
 * Writes apply exactly once: an edge sends its unanswered writes again after a leader change, and a copy of a write
 * already applied is answered with the answer the first copy had and changes nothing ({@link WriteWindow}). Not
 * thread-safe: the cluster's service thread owns it.
 */
public final class NodeState
{
    /** Volatiles longer than this are not kept for the "user left" notification (it then carries null). */
    public static final int MAX_KEPT_VOLATILE_BYTES = 2 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What applying a write causes. Called during the write, on the applying thread.
     */
    public interface Effects
    {
        /**
         * A subscribe or join succeeded.
         */
        void subscribed(long correlationId, Subscription result);

        /**
         * An unsubscribe succeeded: {@code count} subscribers are left in the room.
         */
        void unsubscribed(long correlationId, String roomId, int count);

        /**
         * The write failed: nothing changed.
         */
        void failed(long correlationId, int status, String errorId, String message);

        /**
         * A write with no answer of its own (a connection closed) was applied.
         */
        void applied(long correlationId);

        /**
         * Someone entered ({@code joined}) or left a room: the room's channels asking for user notifications are to
         * be told, with the volatile data the user came or left with.
         */
        void usersChanged(Room room, boolean joined, String volatileJson);
    }

    private final SubscriptionRegistry registry;
    private final WriteWindow writes = new WriteWindow();
    /** Connection → room id → the volatile it subscribed or joined with. */
    private final Long2ObjectHashMap<Map<String, String>> volatiles = new Long2ObjectHashMap<>();

    public NodeState(final FilterEngineContext filters)
    {
        this.registry = new SubscriptionRegistry(new FilterEngine(filters));
    }

    /**
     * @return the registry, for reads between writes (matching publishes, counts) and snapshots.
     */
    public SubscriptionRegistry registry()
    {
        return registry;
    }

    /**
     * @return the answers of each edge's recent writes, for snapshots.
     */
    public WriteWindow writes()
    {
        return writes;
    }

    /**
     * The edge no longer waits for the answers of its writes before this id (each write says so).
     *
     * @param oldestPending its oldest unanswered write; a non-positive value says nothing.
     */
    public void oldestPending(final int edgeId, final long oldestPending)
    {
        writes.oldestPending(edgeId, oldestPending);
    }

    /**
     * @return connection → room id → volatile, for snapshots (a node starting from one fills it back).
     */
    public Long2ObjectHashMap<Map<String, String>> volatiles()
    {
        return volatiles;
    }

    /**
     * {@code realtime:subscribe}.
     *
     * @param scope      null when the edge sent a value this version does not know.
     * @param users      likewise.
     * @param filterText the filter as JSON, empty for none.
     */
    public void subscribe(
        final long correlationId, final long connection, final String index, final String collection,
        final String filterText, final Scope scope, final Users users, final String volatileJson,
        final Effects effects)
    {
        if (answeredBefore(connection, correlationId, effects))
        {
            return;
        }
        if (null == scope || null == users)
        {
            invalid(connection, correlationId, null == scope ? "scope" : "users", effects);
            return;
        }
        final Subscription result;
        try
        {
            final JsonNode filter = filterText.isEmpty() ? null : JSON.readTree(filterText);
            result = registry.subscribe(connection, index, collection, filter, scope, users);
        }
        catch (final JsonProcessingException ex)
        {
            failed(connection, correlationId, KuzzleError.INVALID_ARGUMENT.status(), KuzzleError.INVALID_ARGUMENT.id(),
                KuzzleError.INVALID_ARGUMENT.message("body", "the filter is not valid JSON"), effects);
            return;
        }
        catch (final FilterException ex)
        {
            failed(connection, correlationId, KuzzleError.KONCORDE_DSL_ERROR.status(),
                KuzzleError.KONCORDE_DSL_ERROR.id(), ex.getMessage(), effects);
            return;
        }
        entered(connection, result, volatileJson, correlationId, effects);
    }

    /**
     * {@code realtime:join}: an existing room.
     */
    public void join(
        final long correlationId, final long connection, final String roomId, final Scope scope, final Users users,
        final String volatileJson, final Effects effects)
    {
        if (answeredBefore(connection, correlationId, effects))
        {
            return;
        }
        if (null == scope || null == users)
        {
            invalid(connection, correlationId, null == scope ? "scope" : "users", effects);
            return;
        }
        final Subscription result;
        try
        {
            result = registry.join(connection, roomId, scope, users);
        }
        catch (final RegistryException ex)
        {
            failed(connection, correlationId, ex.status(), ex.errorId(), ex.getMessage(), effects);
            return;
        }
        entered(connection, result, volatileJson, correlationId, effects);
    }

    /**
     * {@code realtime:unsubscribe}.
     */
    public void unsubscribe(
        final long correlationId, final long connection, final String roomId, final String volatileJson,
        final Effects effects)
    {
        if (answeredBefore(connection, correlationId, effects))
        {
            return;
        }
        final int left;
        try
        {
            left = registry.unsubscribe(connection, roomId);
        }
        catch (final RegistryException ex)
        {
            failed(connection, correlationId, ex.status(), ex.errorId(), ex.getMessage(), effects);
            return;
        }
        final Map<String, String> kept = volatiles.get(connection);
        if (null != kept)
        {
            kept.remove(roomId);
            if (kept.isEmpty())
            {
                volatiles.remove(connection);
            }
        }
        writes.applied(connection, new WriteWindow.Answer(correlationId, WriteWindow.UNSUBSCRIBED, left, roomId, null));
        effects.unsubscribed(correlationId, roomId, left);
        notifyUsers(roomId, false, volatileJson, effects);
    }

    /**
     * An edge says one of its connections went ({@link #closeConnection(long, Effects)}): answered
     * {@link Effects#applied}.
     */
    public void closeConnection(final long correlationId, final long connection, final Effects effects)
    {
        if (answeredBefore(connection, correlationId, effects))
        {
            return;
        }
        closeConnection(connection, effects);
        writes.applied(connection, new WriteWindow.Answer(correlationId, WriteWindow.APPLIED, 0, null, null));
        effects.applied(correlationId);
    }

    /**
     * A connection went: its subscriptions go, and each room it left tells its user-notification channels, with the
     * volatile the connection had come with ({@code "null"} when none was kept).
     */
    public void closeConnection(final long connection, final Effects effects)
    {
        final Map<String, String> leftWith = volatiles.remove(connection);
        for (final Room room : registry.connectionClosed(connection))
        {
            final String volatileJson = null == leftWith ? null : leftWith.get(room.id());
            notifyUsers(room.id(), false, null == volatileJson ? "null" : volatileJson, effects);
        }
    }

    /**
     * Every connection of an edge went (it restarted, closed its session, or expired), in connection order.
     */
    public void dropEdge(final int edgeId, final Effects effects)
    {
        final LongArrayList held = registry.connectionsOf(edgeId);
        for (int i = 0; i < held.size(); i++)
        {
            closeConnection(held.getLong(i), effects);
        }
    }

    /**
     * An edge (re)started: it holds no connection, and numbers its writes from the start again.
     */
    public void resetEdge(final int edgeId, final Effects effects)
    {
        dropEdge(edgeId, effects);
        writes.forget(edgeId);
    }

    /**
     * A copy of a write applied before is answered as the first copy was, and changes nothing.
     *
     * @return true when the write was a copy.
     */
    private boolean answeredBefore(final long connection, final long correlationId, final Effects effects)
    {
        if (!writes.isCopy(connection, correlationId))
        {
            return false;
        }
        final WriteWindow.Answer answer = writes.answerOf(connection, correlationId);
        if (null == answer)
        {
            effects.failed(correlationId, KuzzleError.UNEXPECTED_ERROR.status(), KuzzleError.UNEXPECTED_ERROR.id(),
                "this request was applied, but its answer is no longer known (it was sent again too late)");
            return true;
        }
        switch (answer.kind())
        {
            case WriteWindow.SUBSCRIBED:
                effects.subscribed(correlationId, new Subscription(answer.first(), answer.second(), answer.number(),
                    false));
                break;
            case WriteWindow.UNSUBSCRIBED:
                effects.unsubscribed(correlationId, answer.first(), answer.number());
                break;
            case WriteWindow.FAILED:
                effects.failed(correlationId, answer.number(), answer.first(), answer.second());
                break;
            default:
                effects.applied(correlationId);
                break;
        }
        return true;
    }

    private void failed(
        final long connection, final long correlationId, final int status, final String errorId, final String message,
        final Effects effects)
    {
        writes.applied(connection, new WriteWindow.Answer(correlationId, WriteWindow.FAILED, status, errorId, message));
        effects.failed(correlationId, status, errorId, message);
    }

    private void entered(
        final long connection, final Subscription result, final String volatileJson, final long correlationId,
        final Effects effects)
    {
        if (volatileJson.length() <= MAX_KEPT_VOLATILE_BYTES)
        {
            volatiles.computeIfAbsent(connection, (k) -> new HashMap<>()).put(result.roomId(), volatileJson);
        }
        writes.applied(connection, new WriteWindow.Answer(correlationId, WriteWindow.SUBSCRIBED, result.count(),
            result.roomId(), result.channel()));
        effects.subscribed(correlationId, result);
        if (result.joined())
        {
            notifyUsers(result.roomId(), true, volatileJson, effects);
        }
    }

    private void notifyUsers(final String roomId, final boolean joined, final String volatileJson, final Effects effects)
    {
        final Room room = registry.room(roomId);
        if (null != room)
        {
            effects.usersChanged(room, joined, volatileJson);
        }
    }

    private void invalid(final long connection, final long correlationId, final String field, final Effects effects)
    {
        failed(connection, correlationId, KuzzleError.INVALID_ARGUMENT.status(), KuzzleError.INVALID_ARGUMENT.id(),
            KuzzleError.INVALID_ARGUMENT.message(field, "unknown value"), effects);
    }
}
