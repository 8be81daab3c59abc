package io.herald.engine.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RightsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kuzzle's documented formats, as a Kuzzle user exports them. */
    static final String FILE = """
        {"roles": {
           "anonymous": {"controllers": {"auth": {"actions": {"checkToken": true, "getCurrentUser": true}},
                                         "server": {"actions": {"*": true}}}},
           "reader": {"controllers": {"realtime": {"actions": {"subscribe": true, "count": true, "join": true,
                                                               "unsubscribe": true, "publish": false}}}},
           "writer": {"controllers": {"realtime": {"actions": {"*": true}}}},
           "admin": {"controllers": {"*": {"actions": {"*": true}}}}
         },
         "profiles": {
           "anonymous": {"policies": [{"roleId": "anonymous"}]},
           "reader": {"policies": [{"roleId": "reader", "restrictedTo": [{"index": "plant"},
                                                                          {"index": "iot", "collections": ["sensors"]}]}],
                      "rateLimit": 10},
           "writer": {"policies": [{"roleId": "writer", "restrictedTo": [{"index": "iot", "collections": ["commands"]}]}]},
           "admin": {"policies": [{"roleId": "admin"}], "rateLimit": 0}
         }}""";

    static Rights rights() throws Exception
    {
        return Rights.parse(JSON.readTree(FILE));
    }

    @Test
    void rolesAndProfilesDecideAsKuzzleDoes() throws Exception
    {
        final User reader = rights().user("ada", List.of("reader"), 0, "t");
        assertTrue(reader.allows("realtime", "subscribe", "plant", "anything"), "an index without collections: all");
        assertTrue(reader.allows("realtime", "subscribe", "iot", "sensors"));
        assertFalse(reader.allows("realtime", "subscribe", "iot", "commands"), "a collection outside restrictedTo");
        assertFalse(reader.allows("realtime", "subscribe", "other", "sensors"), "an index outside restrictedTo");
        assertFalse(reader.allows("realtime", "publish", "plant", "x"), "an action set to false");
        assertFalse(reader.allows("server", "now", null, null), "a controller the role does not name");
        assertTrue(reader.allows("realtime", "join", null, null), "no index in the request: restrictions ignored");

        final User both = rights().user("bob", List.of("reader", "writer", "missing"), 0, "t");
        assertTrue(both.allows("realtime", "publish", "iot", "commands"), "any policy of any profile allows");
        assertFalse(both.allows("realtime", "publish", "iot", "sensors"));

        final User admin = rights().user("root", List.of("admin"), 0, "t");
        assertTrue(admin.allows("anything", "at-all", "any", "where"));
        assertEquals(0, admin.rateLimit());
        assertEquals(10, reader.rateLimit());
        assertEquals(0, both.rateLimit(), "writer has no rateLimit: 0 (none), the most permissive, wins");
    }

    @Test
    void theAnonymousUserGetsTheAnonymousProfileAndErrorsSayWhoIsRefused() throws Exception
    {
        final ConnectionUsers users = new ConnectionUsers(rights(), null, new CachedEpochClock());
        final User anonymous = users.userOf(1, null);
        assertTrue(anonymous.isAnonymous());
        assertEquals("-1", anonymous.kuid());
        users.check(anonymous, "auth", "getCurrentUser", null, null);
        final KuzzleException unauthorized = assertThrows(KuzzleException.class,
            () -> users.check(anonymous, "realtime", "subscribe", "plant", "a"));
        assertEquals(KuzzleError.RIGHTS_UNAUTHORIZED, unauthorized.error());
        final User reader = rights().user("ada", List.of("reader"), 0, "t");
        final KuzzleException forbidden = assertThrows(KuzzleException.class,
            () -> users.check(reader, "realtime", "publish", "plant", "a"));
        assertEquals(KuzzleError.RIGHTS_FORBIDDEN, forbidden.error());
        assertTrue(forbidden.getMessage().contains("\"realtime:publish\"") && forbidden.getMessage().contains("ada"),
            forbidden.getMessage());
        // always allowed, whatever the file says
        users.check(anonymous, "auth", "checkToken", null, null);
        users.check(rights().user("nobody", List.of(), 0, "t"), "server", "now", null, null);
    }

    @Test
    void withoutARightsFileEverythingIsAllowed()
    {
        final ConnectionUsers users = new ConnectionUsers(Rights.open(), null, new CachedEpochClock());
        users.check(users.userOf(1, "ignored: no verifier"), "realtime", "publish", "any", "where");
    }

    @Test
    void badFilesAreRefusedWithThePathOfTheMistake()
    {
        assertBad("{\"roles\":{\"r\":{\"controllers\":{}}}}", "roles.r.controllers");
        assertBad("{\"roles\":{\"r\":{\"controllers\":{\"realtime\":{\"actions\":{\"publish\":\"yes\"}}}}}}",
            "roles.r.controllers.realtime.actions.publish");
        assertBad("{\"profiles\":{\"p\":{\"policies\":[{\"roleId\":\"nope\"}]}}}", "profiles.p.policies[0].roleId");
        assertBad("{\"roles\":{\"r\":{\"controllers\":{\"*\":{\"actions\":{\"*\":true}}}}}," +
            "\"profiles\":{\"p\":{\"policies\":[{\"roleId\":\"r\",\"restrictedTo\":[{\"collections\":[]}]}]}}}",
            "profiles.p.policies[0].restrictedTo[0].index");
        assertBad("{\"roles\":{\"r\":{\"controllers\":{\"*\":{\"actions\":{\"*\":true}}}}}," +
            "\"profiles\":{\"p\":{\"policies\":[{\"roleId\":\"r\"}],\"rateLimit\":-1}}}", "profiles.p.rateLimit");
        assertBad("{\"users\":{}}", "unknown key");
    }

    private static void assertBad(final String file, final String mention)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Rights.parse(JSON.readTree(file)));
        assertTrue(error.getMessage().contains(mention), error.getMessage());
    }
}
