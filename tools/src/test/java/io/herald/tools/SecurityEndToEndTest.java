package io.herald.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens and rights end to end: a rights file in Kuzzle's format, HS256 and RS256 tokens minted here (as the user's
 * application would), and the unchanged kuzzle-sdk ({@code e2e/security.test.js}) against an embedded Herald.
 */
class SecurityEndToEndTest
{
    static final String RIGHTS = """
        {"roles": {
           "anonymous": {"controllers": {"auth": {"actions": {"checkToken": true, "getCurrentUser": true}},
                                         "server": {"actions": {"now": true, "info": true}}}},
           "reader": {"controllers": {"realtime": {"actions": {"subscribe": true, "unsubscribe": true, "count": true}},
                                      "auth": {"actions": {"*": true}}}},
           "writer": {"controllers": {"realtime": {"actions": {"*": true}}, "auth": {"actions": {"*": true}}}}
         },
         "profiles": {
           "anonymous": {"policies": [{"roleId": "anonymous"}]},
           "reader": {"policies": [{"roleId": "reader", "restrictedTo": [{"index": "iot", "collections": ["sensors"]}]}]},
           "writer": {"policies": [{"roleId": "writer", "restrictedTo": [{"index": "iot"}]}]},
           "limited": {"policies": [{"roleId": "writer"}], "rateLimit": 5}
         }}""";
    static final byte[] SECRET = "the application's secret, 32 bytes or more".getBytes(StandardCharsets.UTF_8);

    @TempDir
    File data;

    @Test
    void theSdkWorksWithTokensAndRights() throws Exception
    {
        final File rights = new File(data, "rights.json");
        Files.writeString(rights.toPath(), RIGHTS);
        final RSAKey rsa = new RSAKeyGenerator(2048).generate();
        final File publicKey = new File(data, "app.pem");
        Files.writeString(publicKey.toPath(), "-----BEGIN PUBLIC KEY-----\n" +
            Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        final Map<String, String> tokens = new LinkedHashMap<>();
        final MACSigner hmac = new MACSigner(SECRET);
        tokens.put("reader", token(hmac, JWSAlgorithm.HS256, "ada", "reader", 3_600_000));
        tokens.put("writer", token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "bob", "writer", 3_600_000));
        tokens.put("expired", token(hmac, JWSAlgorithm.HS256, "old", "reader", -60_000));
        tokens.put("forged", token(new MACSigner("not the application's secret, but as long".getBytes()),
            JWSAlgorithm.HS256, "mallory", "writer", 3_600_000));
        tokens.put("limited", token(hmac, JWSAlgorithm.HS256, "lim", "limited", 3_600_000));

        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults().with(Map.of(
            "auth.rights.file", rights.getAbsolutePath(),
            "auth.jwt.hmac.secret", new String(SECRET, StandardCharsets.UTF_8),
            "auth.jwt.public.key", publicKey.getAbsolutePath(),
            "auth.jwt.issuer", "my-app", "cluster.secret", "edges and nodes only",
            "edge.limit.subscriptions.per.connection", "3")), data,
            KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            E2eSuite.run("security.test.js", Map.of("HERALD_PORT", Integer.toString(herald.port()),
                "HERALD_TOKENS", new ObjectMapper().writeValueAsString(tokens),
                "HERALD_SECRET", new String(SECRET, StandardCharsets.UTF_8)), 90);
            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + herald.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (final String reason : List.of("unauthorized", "forbidden", "rate_limit"))
            {
                assertTrue(Pattern.compile("herald_requests_refused_total\\{reason=\"" + reason + "\"[^}]*\\} [1-9]")
                    .matcher(metrics).find(), reason + " refusals are counted:\n" + metrics);
            }
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private static String token(
        final JWSSigner signer, final JWSAlgorithm algorithm, final String kuid, final String profile,
        final long expiresInMs) throws JOSEException
    {
        final SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), new JWTClaimsSet.Builder().subject(kuid)
            .issuer("my-app").expirationTime(new Date(System.currentTimeMillis() + expiresInMs))
            .claim("profiles", List.of(profile)).build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
