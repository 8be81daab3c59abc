package io.herald.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.engine.security.ConnectionUsers;
import io.herald.engine.security.RequestRates;
import io.herald.engine.security.Rights;
import io.herald.engine.security.User;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the edge adds to a publish once the connection's token is verified: finding the connection's user (the token
 * compared with the one it sent before: each request carries its own copy, as parsed from its frame), its rate
 * (per connection and per user), and its rights (a profile with two policies restricted to indexes and collections).
 * {@code none} is the same request on an edge without rights (the open default). Run with {@code -prof gc}: no
 * allocation per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RightsCheckBenchmark
{
    private static final String RIGHTS = "{\"roles\":{" +
        "\"reader\":{\"controllers\":{\"realtime\":{\"actions\":{\"subscribe\":true,\"count\":true}}}}," +
        "\"writer\":{\"controllers\":{\"realtime\":{\"actions\":{\"*\":true}},\"auth\":{\"actions\":{\"*\":true}}}}}," +
        "\"profiles\":{\"device\":{\"policies\":[" +
        "{\"roleId\":\"reader\",\"restrictedTo\":[{\"index\":\"plant\"}]}," +
        "{\"roleId\":\"writer\",\"restrictedTo\":[{\"index\":\"iot\",\"collections\":[\"commands\",\"sensors\"]}]}]," +
        "\"rateLimit\":0}}}";

    @Param({ "rights", "none" })
    public String mode;

    private ConnectionUsers users;
    private RequestRates rates;
    private String token;
    private final char[] tokenChars = new char[180];
    private String sameTokenAgain;

    @Setup
    public void setup() throws Exception
    {
        final Rights rights = "rights".equals(mode) ? Rights.parse(new ObjectMapper().readTree(RIGHTS)) :
            Rights.open();
        java.util.Arrays.fill(tokenChars, 'x');
        token = new String(tokenChars);
        users = new ConnectionUsers(rights, (jwt, current) -> current.user("ada", List.of("device"), 0, jwt),
            SystemEpochClock.INSTANCE);
        rates = new RequestRates(1_000_000_000, SystemNanoClock.INSTANCE);
        users.userOf(42, token);
        sameTokenAgain = new String(tokenChars);
    }

    @Benchmark
    public User publish()
    {
        final User user = users.userOf(42, sameTokenAgain);
        if (!rates.tryAcquire(42, user))
        {
            throw new IllegalStateException("rate");
        }
        users.check(user, "realtime", "publish", "iot", "sensors");
        return user;
    }
}
