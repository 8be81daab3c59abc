package io.herald.engine.security;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The edge's view of who is behind each connection, and the rights check every request goes through before
 * anything reaches a node. A token is verified once per connection (and once per edge for request/response
 * protocols, through a bounded cache) and again only when it changes or the rights file is reloaded; a connection
 * whose token expires is reported once ({@link #expire}) so the edge can tell the client (Kuzzle's
 * {@code TokenExpired}) and drop its subscriptions, as Kuzzle does. Router thread only, except {@link #rights(Rights)}.
 */
public final class ConnectionUsers
{
    /** Kuzzle's API keys and tokens may come with this prefix; the token is what follows. */
    public static final String KUZZLE_PREFIX = "kauth-";
    /** Tokens of request/response clients (HTTP) kept verified. */
    static final int MAX_CACHED_TOKENS = 4_096;

    /**
     * Told when a connection's token expired.
     */
    @FunctionalInterface
    public interface Expiries
    {
        void tokenExpired(long connectionId, User user);
    }

    private static final class Session
    {
        final long connectionId;
        String token;
        User user;
        int generation;
        long expiresAtMs;

        Session(final long connectionId)
        {
            this.connectionId = connectionId;
        }
    }

    private record Expiry(long atMs, Session session, User user)
    {
    }

    private final TokenVerifier verifier;
    private final EpochClock clock;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.atMs, b.atMs));
    private final LinkedHashMap<String, User> verified = new LinkedHashMap<>(64, 0.75f, true)
    {
        protected boolean removeEldestEntry(final Map.Entry<String, User> eldest)
        {
            return size() > MAX_CACHED_TOKENS;
        }
    };
    private volatile Rights rights;
    private int generation;
    private Rights seen;

    /**
     * @param verifier null when no token settings are given: tokens are then ignored (every request is anonymous).
     */
    public ConnectionUsers(final Rights rights, final TokenVerifier verifier, final EpochClock clock)
    {
        this.rights = rights;
        this.verifier = verifier;
        this.clock = clock;
    }

    /**
     * Replaces the rights (the file changed): users are resolved again at their next request. Any thread.
     */
    public void rights(final Rights newRights)
    {
        this.rights = newRights;
    }

    public Rights rights()
    {
        return rights;
    }

    /**
     * @return false when tokens are not verified (no token settings): every request is anonymous.
     */
    public boolean verifiesTokens()
    {
        return null != verifier;
    }

    /**
     * @param jwt the request's token (raw or {@code kauth-} prefixed), or null.
     * @return who sends the request.
     * @throws KuzzleException 401 when the token is invalid or expired.
     */
    public User userOf(final long connectionId, final String jwt)
    {
        final Rights current = currentRights();
        if (null == jwt || null == verifier)
        {
            return current.anonymous();
        }
        Session session = sessions.get(connectionId);
        if (null != session && jwt.equals(session.token) && session.generation == generation)
        {
            if (0 != session.expiresAtMs && clock.time() >= session.expiresAtMs)
            {
                throw new KuzzleException(KuzzleError.TOKEN_EXPIRED);
            }
            return session.user;
        }
        final User user = verify(jwt, current);
        if (null == session)
        {
            session = new Session(connectionId);
            sessions.put(connectionId, session);
        }
        session.token = jwt;
        session.user = user;
        session.generation = generation;
        session.expiresAtMs = user.expiresAtMs();
        if (0 != user.expiresAtMs())
        {
            expiries.add(new Expiry(user.expiresAtMs(), session, user));
        }
        return user;
    }

    /**
     * Verifies a token without tying it to a connection ({@code auth:checkToken}).
     *
     * @throws KuzzleException 401 when the token is invalid or expired.
     */
    public User verify(final String jwt)
    {
        if (null == verifier)
        {
            throw new KuzzleException(KuzzleError.TOKEN_INVALID);
        }
        return verify(jwt, currentRights());
    }

    private User verify(final String jwt, final Rights current)
    {
        final User cached = verified.get(jwt);
        if (null != cached)
        {
            if (0 != cached.expiresAtMs() && clock.time() >= cached.expiresAtMs())
            {
                verified.remove(jwt);
                throw new KuzzleException(KuzzleError.TOKEN_EXPIRED);
            }
            return cached;
        }
        final String token = jwt.startsWith(KUZZLE_PREFIX) ? jwt.substring(KUZZLE_PREFIX.length()) : jwt;
        final User user = verifier.verify(token, current);
        verified.put(jwt, user);
        return user;
    }

    private Rights currentRights()
    {
        final Rights current = rights;
        if (current != seen)
        {
            seen = current;
            generation++;
            verified.clear();
        }
        return current;
    }

    /**
     * @throws KuzzleException {@code security.rights.unauthorized} (401) for the anonymous user,
     *                         {@code security.rights.forbidden} (403) for others, when the request is not allowed.
     */
    public void check(
        final User user, final String controller, final String action, final String index, final String collection)
    {
        if (rights.isOpen() || alwaysAllowed(controller, action) || user.allows(controller, action, index, collection))
        {
            return;
        }
        if (user.isAnonymous())
        {
            throw new KuzzleException(KuzzleError.RIGHTS_UNAUTHORIZED, controller, action);
        }
        throw new KuzzleException(KuzzleError.RIGHTS_FORBIDDEN, controller, action, user.kuid());
    }

    /**
     * What anyone may ask: whether a token is valid, the time, the server's description; and the actions that
     * answer that Herald does not issue tokens (a 401 would hide that answer).
     */
    private static boolean alwaysAllowed(final String controller, final String action)
    {
        return switch (controller)
        {
            case "auth" -> "checkToken".equals(action) || "login".equals(action) || "logout".equals(action) ||
                "refreshToken".equals(action);
            case "server" -> "now".equals(action) || "info".equals(action);
            default -> false;
        };
    }

    /**
     * The connection is gone: its token is forgotten.
     */
    public void closed(final long connectionId)
    {
        sessions.remove(connectionId);
    }

    /**
     * Reports the connections whose token expired by now, once each, and forgets their token (their next requests
     * are anonymous until they send a new one).
     *
     * @return connections reported.
     */
    public int expire(final Expiries listener)
    {
        int expired = 0;
        final long nowMs = clock.time();
        for (Expiry next = expiries.peek(); null != next && next.atMs <= nowMs; next = expiries.peek())
        {
            expiries.poll();
            final Session session = next.session;
            if (session.user == next.user && sessions.get(session.connectionId) == session)
            {
                sessions.remove(session.connectionId);
                listener.tokenExpired(session.connectionId, next.user);
                expired++;
            }
        }
        return expired;
    }

    /**
     * @return connections that sent a token.
     */
    public int size()
    {
        return sessions.size();
    }
}
