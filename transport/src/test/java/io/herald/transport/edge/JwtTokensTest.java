package io.herald.transport.edge;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.security.Rights;
import io.herald.engine.security.User;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtTokensTest
{
    private static final byte[] SECRET = "a shared secret of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8);

    static String token(final JWSSigner signer, final JWSAlgorithm algorithm, final String keyId,
        final JWTClaimsSet claims) throws JOSEException
    {
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static JWTClaimsSet.Builder claims(final String subject, final long expiresInMs)
    {
        return new JWTClaimsSet.Builder().subject(subject).issuer("my-app").audience("herald")
            .expirationTime(new Date(System.currentTimeMillis() + expiresInMs)).claim("profiles", List.of("reader"));
    }

    @Test
    void hmacTokensAreVerifiedAndEveryMistakeIsRefused() throws Exception
    {
        final JwtTokens tokens = new JwtTokens(SECRET, null, null, "my-app", "herald", 0);
        final MACSigner signer = new MACSigner(SECRET);
        final User ada = tokens.verify(token(signer, JWSAlgorithm.HS256, null, claims("ada", 60_000).build()),
            Rights.open());
        assertEquals("ada", ada.kuid());
        assertTrue(ada.expiresAtMs() > System.currentTimeMillis());

        assertRefused(tokens, token(signer, JWSAlgorithm.HS256, null, claims("ada", -60_000).build()),
            KuzzleError.TOKEN_EXPIRED);
        assertRefused(tokens, token(new MACSigner("another secret, also 32 bytes long!!!".getBytes()),
            JWSAlgorithm.HS256, null, claims("ada", 60_000).build()), KuzzleError.TOKEN_INVALID);
        assertRefused(tokens, token(signer, JWSAlgorithm.HS256, null, claims("ada", 60_000).issuer("evil").build()),
            KuzzleError.TOKEN_INVALID);
        assertRefused(tokens, token(signer, JWSAlgorithm.HS256, null, claims("ada", 60_000).audience("other").build()),
            KuzzleError.TOKEN_INVALID);
        assertRefused(tokens, token(signer, JWSAlgorithm.HS256, null, claims(null, 60_000).build()),
            KuzzleError.TOKEN_INVALID);
        assertRefused(tokens, "not.a.token", KuzzleError.TOKEN_INVALID);
        // alg=none, and a signature for another payload
        final String good = token(signer, JWSAlgorithm.HS256, null, claims("ada", 60_000).build());
        final String[] parts = good.split("\\.");
        final String none = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(tokens, none + "." + parts[1] + ".", KuzzleError.TOKEN_INVALID);
        final String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
            "{\"sub\":\"root\",\"iss\":\"my-app\",\"aud\":\"herald\",\"profiles\":[\"admin\"]}"
                .getBytes(StandardCharsets.UTF_8));
        assertRefused(tokens, parts[0] + "." + otherPayload + "." + parts[2], KuzzleError.TOKEN_INVALID);
    }

    @Test
    void rsaAndEcTokensAreVerifiedWithAPemKeyOrCertificate() throws Exception
    {
        final RSAKey rsa = new RSAKeyGenerator(2048).generate();
        final String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
            rsa.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        final JwtTokens tokens = new JwtTokens(SECRET, pem, null, null, null, 0);
        assertEquals("rs", tokens.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, null,
            claims("rs", 60_000).build()), Rights.open()).kuid());
        assertEquals("ps", tokens.verify(token(new RSASSASigner(rsa), JWSAlgorithm.PS256, null,
            claims("ps", 60_000).build()), Rights.open()).kuid());
        assertEquals("hs", tokens.verify(token(new MACSigner(SECRET), JWSAlgorithm.HS256, null,
            claims("hs", 60_000).build()), Rights.open()).kuid(), "the secret and the key side by side");
        assertRefused(tokens, token(new RSASSASigner(new RSAKeyGenerator(2048).generate()), JWSAlgorithm.RS256, null,
            claims("rs", 60_000).build()), KuzzleError.TOKEN_INVALID);

        final ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        final String ecPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
            ec.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertEquals("es", new JwtTokens(null, ecPem, null, null, null, 0).verify(token(new ECDSASigner(ec),
            JWSAlgorithm.ES256, null, claims("es", 60_000).build()), Rights.open()).kuid());
    }

    @Test
    void aRemoteKeySetIsFetchedOnceAndUsed() throws Exception
    {
        final RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        final AtomicInteger fetches = new AtomicInteger();
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", (exchange) ->
        {
            fetches.incrementAndGet();
            final byte[] body = new JWKSet(rsa.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try
        {
            final JwtTokens tokens = new JwtTokens(null, null, URI.create("http://127.0.0.1:" +
                server.getAddress().getPort() + "/jwks.json").toURL(), "my-app", null, 0);
            assertEquals(1, fetches.get(), "fetched before the first token");
            for (int i = 0; i < 5; i++)
            {
                assertEquals("u" + i, tokens.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "k1",
                    claims("u" + i, 60_000).build()), Rights.open()).kuid());
            }
            assertEquals(1, fetches.get(), "the key set is fetched at start, then cached");
            assertRefused(tokens, token(new MACSigner(SECRET), JWSAlgorithm.HS256, null, claims("hs", 60_000).build()),
                KuzzleError.TOKEN_INVALID);
        }
        finally
        {
            server.stop(0);
        }
    }

    @Test
    void aKeySetThatCannotBeFetchedIsNotFatalAndItsTokensAreAnswered503() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            closedPort = probe.getLocalPort();
        }
        final JwtTokens tokens = new JwtTokens(null, null,
            URI.create("http://127.0.0.1:" + closedPort + "/jwks.json").toURL(), null, null, 0);
        final RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertRefused(tokens, token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "k1", claims("u", 60_000).build()),
            KuzzleError.SERVICE_UNAVAILABLE);
    }

    @Test
    void settingsWithoutAKeyOrWithAnUnreadableOneAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new JwtTokens(null, null, null, null, null, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new JwtTokens(null, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", null, null, null, 0));
    }

    private static void assertRefused(final JwtTokens tokens, final String token, final KuzzleError expected)
    {
        assertEquals(expected, assertThrows(KuzzleException.class, () -> tokens.verify(token, Rights.open())).error());
    }
}
