package io.herald.engine.security;

import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import org.agrona.collections.MutableInteger;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionUsersTest
{
    private final CachedEpochClock clock = new CachedEpochClock();
    private final MutableInteger verified = new MutableInteger();

    /** Tokens of the form "<kuid>.<profile>.<expiresAtMs>"; "bad" is invalid. */
    private ConnectionUsers users(final Rights rights)
    {
        return new ConnectionUsers(rights, (token, current) ->
        {
            verified.increment();
            final String[] parts = token.split("\\.");
            if (parts.length != 3)
            {
                throw new KuzzleException(KuzzleError.TOKEN_INVALID);
            }
            return current.user(parts[0], List.of(parts[1]), Long.parseLong(parts[2]), token);
        }, clock);
    }

    @Test
    void aTokenIsVerifiedOncePerConnectionAndOncePerEdgeForOneShots() throws Exception
    {
        final ConnectionUsers users = users(RightsTest.rights());
        final User ada = users.userOf(1, "ada.reader.0");
        assertEquals("ada", ada.kuid());
        assertSame(ada, users.userOf(1, new String("ada.reader.0")), "the same token again: no verification");
        assertSame(ada, users.userOf(2, "kauth-ada.reader.0".substring(6)), "another connection: the edge's cache");
        assertEquals(1, verified.get());
        users.userOf(3, "kauth-ada.reader.0");
        assertEquals(2, verified.get(), "the kauth- prefix is stripped before verification");
        assertEquals(KuzzleError.TOKEN_INVALID,
            assertThrows(KuzzleException.class, () -> users.userOf(1, "bad")).error());
        assertTrue(users.userOf(1, null).isAnonymous(), "a request without a token is anonymous");
    }

    @Test
    void anExpiredTokenIsReportedOnceAndRefusedAfterwards() throws Exception
    {
        final ConnectionUsers users = users(RightsTest.rights());
        clock.update(1_000);
        users.userOf(7, "ada.reader.5000");
        users.userOf(8, "bob.writer.0");
        final List<Long> expired = new ArrayList<>();
        assertEquals(0, users.expire((connection, user) -> expired.add(connection)));
        clock.update(5_000);
        assertEquals(1, users.expire((connection, user) -> expired.add(connection)));
        assertEquals(List.of(7L), expired);
        assertEquals(0, users.expire((connection, user) -> expired.add(connection)), "reported once");
        assertEquals(KuzzleError.TOKEN_EXPIRED,
            assertThrows(KuzzleException.class, () -> users.userOf(7, "ada.reader.5000")).error());
    }

    @Test
    void aReloadedRightsFileAppliesToTheNextRequest() throws Exception
    {
        final ConnectionUsers users = users(RightsTest.rights());
        final User before = users.userOf(1, "ada.writer.0");
        users.check(before, "realtime", "publish", "iot", "commands");
        users.rights(Rights.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            "{\"roles\":{\"none\":{\"controllers\":{\"auth\":{\"actions\":{\"checkToken\":true}}}}}," +
                "\"profiles\":{\"writer\":{\"policies\":[{\"roleId\":\"none\"}]}}}")));
        final User after = users.userOf(1, "ada.writer.0");
        assertEquals(KuzzleError.RIGHTS_FORBIDDEN, assertThrows(KuzzleException.class,
            () -> users.check(after, "realtime", "publish", "iot", "commands")).error());
    }

    @Test
    void ratesAllowASecondsBurstThenOnePerInterval() throws Exception
    {
        final CachedNanoClock nanos = new CachedNanoClock();
        final RequestRates rates = new RequestRates(10, nanos);
        final User admin = RightsTest.rights().user("root", List.of("admin"), 0, "t");
        int allowed = 0;
        for (int i = 0; i < 20; i++)
        {
            allowed += rates.tryAcquire(1, admin) ? 1 : 0;
        }
        assertEquals(10, allowed, "a burst of one second's worth");
        assertTrue(rates.tryAcquire(2, admin), "another connection has its own rate");
        nanos.advance(100_000_000L);
        assertTrue(rates.tryAcquire(1, admin), "one more after 100 ms at 10/s");
        assertEquals(false, rates.tryAcquire(1, admin));

        // a profile's rateLimit is per user, across connections
        final RequestRates perUser = new RequestRates(0, nanos);
        final User reader = RightsTest.rights().user("ada", List.of("reader"), 0, "t");
        int readerAllowed = 0;
        for (int i = 0; i < 20; i++)
        {
            readerAllowed += perUser.tryAcquire(i, reader) ? 1 : 0;
        }
        assertEquals(10, readerAllowed, "the reader profile's rateLimit is 10");
    }
}
