package io.herald.tools.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.Rights;
import io.herald.engine.security.User;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldConfigTest
{
    private static final Path PROFILES = Path.of("..", "config");

    @TempDir
    Path dir;

    private Path file(final String text) throws IOException
    {
        final Path file = dir.resolve("herald.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shippedProfilesLoad()
    {
        final HeraldConfig shared = HeraldConfig.load(PROFILES.resolve("shared-host.properties"), Map.of());
        assertEquals("shared", shared.get(HeraldSettings.DRIVER_THREADING));
        assertEquals("backoff", shared.get(HeraldSettings.ROUTER_IDLE));
        final HeraldConfig fast = HeraldConfig.load(PROFILES.resolve("low-latency.properties"), Map.of());
        assertEquals("dedicated", fast.get(HeraldSettings.DRIVER_THREADING));
        assertEquals("busy-spin", fast.get(HeraldSettings.ROUTER_IDLE));
        assertEquals(500_000_000L, fast.get(HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT));
        assertEquals(7512, fast.get(HeraldSettings.EDGE_PORT));
    }

    @Test
    void theProductionProfileRefusesAnonymousRequestsButTheBasics() throws IOException
    {
        final HeraldConfig production = HeraldConfig.load(PROFILES.resolve("production.properties"), Map.of());
        assertEquals(100, production.get(HeraldSettings.EDGE_LIMIT_REQUESTS));
        final Path rightsFile = Path.of("..").resolve(production.get(HeraldSettings.AUTH_RIGHTS_FILE));
        final ConnectionUsers users = new ConnectionUsers(
            Rights.parse(new ObjectMapper().readTree(rightsFile.toFile())), null, new CachedEpochClock());
        final User anonymous = users.userOf(1, null);
        users.check(anonymous, "auth", "checkToken", null, null);
        users.check(anonymous, "server", "now", null, null);
        for (final String action : new String[]{"subscribe", "publish", "join", "count"})
        {
            assertEquals(KuzzleError.RIGHTS_UNAUTHORIZED, assertThrows(KuzzleException.class,
                () -> users.check(anonymous, "realtime", action, "i", "c")).error());
        }
    }

    @Test
    void clusterMembersAreCheckedAtLoad() throws IOException
    {
        final HeraldConfig three = HeraldConfig.load(file("cluster.members=a:20010, b:20010,a:20020\nnode.id=2\n"),
            Map.of());
        assertEquals("0,a:20010,a:20011,a:20012,a:0,a:20013|1,b:20010,b:20011,b:20012,b:0,b:20013|" +
            "2,a:20020,a:20021,a:20022,a:0,a:20023", three.get(HeraldSettings.CLUSTER_MEMBERS).aeronMembers());
        assertEquals("aeron:udp?endpoint=b:20014", three.get(HeraldSettings.CLUSTER_MEMBERS).readChannel(1));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("cluster.members=a:20010,a:20012\n"), Map.of())).getMessage()
            .contains("setting 'cluster.members' must be host:port"));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("cluster.members=a:20010\nnode.id=1\n"), Map.of())).getMessage()
            .contains("setting 'node.id' is 1 but 'cluster.members' lists 1 node(s)"));
    }

    @Test
    void overridesWinAndDefaultsFillTheRest() throws IOException
    {
        final HeraldConfig config = HeraldConfig.load(file("edge.port=8000\n"), Map.of("edge.port", "9000"));
        assertEquals(9000, config.get(HeraldSettings.EDGE_PORT));
        assertEquals(16_384, config.get(HeraldSettings.EDGE_RING_SIZE));
        assertEquals(50, HeraldConfig.defaults().get(HeraldSettings.FILTER_MAX_CONDITIONS));
    }

    @Test
    void unknownKeysFailNamingTheKeyAndTheClosestOne() throws IOException
    {
        final Path file = file("edge.prot=8000\n");
        final ConfigException error = assertThrows(ConfigException.class, () -> HeraldConfig.load(file, Map.of()));
        assertTrue(error.getMessage().startsWith(file + ": unknown setting 'edge.prot' (did you mean 'edge.port'?)"),
            error.getMessage());
    }

    @Test
    void badValuesFailNamingTheKeyAndWhatItAccepts() throws IOException
    {
        assertEquals("override: setting 'edge.port' must be an integer in [1, 65535], got '70000'",
            assertThrows(ConfigException.class,
                () -> HeraldConfig.load(file(""), Map.of("edge.port", "70000"))).getMessage());
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("edge.ring.size=1000\n"), Map.of())).getMessage()
            .endsWith("setting 'edge.ring.size' must be a power of two in [64, 4194304], got '1000'"));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("agent.router.idle=spinning\n"), Map.of())).getMessage()
            .endsWith("setting 'agent.router.idle' must be one of backoff, busy-spin, yielding, sleeping, noop, " +
                "got 'spinning'"));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("cluster.heartbeat.timeout=1000\n"), Map.of())).getMessage()
            .contains("setting 'cluster.heartbeat.timeout' must be a duration with unit ns, us, ms or s"));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(file("cluster.election.timeout=2s\n"), Map.of())).getMessage()
            .endsWith("setting 'cluster.election.timeout' must be below 'cluster.heartbeat.timeout'"));
        assertTrue(assertThrows(ConfigException.class,
            () -> HeraldConfig.load(dir.resolve("missing.properties"), Map.of())).getMessage()
            .startsWith("cannot read config file"));
    }
}
