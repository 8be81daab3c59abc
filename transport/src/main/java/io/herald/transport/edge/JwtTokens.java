package io.herald.transport.edge;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.security.Rights;
import io.herald.engine.security.TokenVerifier;
import io.herald.engine.security.User;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies the JSON Web Tokens the user's application issues (Nimbus JOSE+JWT): HS256/384/512 with a shared secret,
 * RS*, PS* and ES* with a public key (a PEM file: a public key or a certificate) or a remote key set (JWKS, fetched at
 * start, cached and refreshed ahead of expiry by Nimbus on its own thread). {@code sub} is the user's kuid (required), {@code exp} the
 * expiry, {@code profiles} the user's profile ids; {@code iss} and {@code aud} are checked when set. Thread-safe.
 */
public final class JwtTokens implements TokenVerifier
{
    private static final Set<JWSAlgorithm> HMAC = JWSAlgorithm.Family.HMAC_SHA;
    private static final Set<JWSAlgorithm> SIGNATURES = signatures();

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param hmacSecret   the shared secret of HS* tokens (at least 32 bytes for HS256), or null.
     * @param publicKeyPem a PEM public key or certificate for RS*, PS* and ES* tokens, or null.
     * @param jwksUrl      a remote key set for RS*, PS* and ES* tokens, or null.
     * @param issuer       the {@code iss} tokens must carry, or null.
     * @param audience     an {@code aud} tokens must name, or null.
     * @param skewSeconds  clock difference tolerated on {@code exp} and {@code nbf}.
     * @throws IllegalArgumentException when no key is given or one cannot be read.
     */
    public JwtTokens(
        final byte[] hmacSecret, final String publicKeyPem, final URL jwksUrl, final String issuer,
        final String audience, final int skewSeconds)
    {
        final JWSKeySelector<SecurityContext> hmac = null == hmacSecret ? null :
            new JWSVerificationKeySelector<>(HMAC, new ImmutableSecret<>(hmacSecret));
        JWKSource<SecurityContext> keys = null;
        if (null != publicKeyPem && null != jwksUrl)
        {
            throw new IllegalArgumentException("give a public key or a key set (JWKS) URL, not both");
        }
        if (null != publicKeyPem)
        {
            keys = new ImmutableJWKSet<>(new JWKSet(jwk(publicKeyPem)));
        }
        else if (null != jwksUrl)
        {
            keys = JWKSourceBuilder.create(jwksUrl).retrying(true).refreshAheadCache(true).build();
            warmUp(keys, jwksUrl);
        }
        if (null == hmac && null == keys)
        {
            throw new IllegalArgumentException("tokens need a key: an HMAC secret, a public key or a key set URL");
        }
        final JWSKeySelector<SecurityContext> signatures = null == keys ? null :
            new JWSVerificationKeySelector<>(SIGNATURES, keys);
        processor.setJWSKeySelector((header, context) -> select(header, context, hmac, signatures));
        final JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (null != issuer)
        {
            exact.issuer(issuer);
        }
        final DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
            exact.build(), Set.of("sub"));
        claims.setMaxClockSkew(skewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Fetches the key set once at start, so that the first token does not wait for the network on the router's
     * thread. A key set that cannot be fetched now is reported, not fatal: Nimbus fetches it again when a token needs
     * it (and its tokens are refused meanwhile).
     */
    private static void warmUp(final JWKSource<SecurityContext> keys, final URL jwksUrl)
    {
        try
        {
            keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
        }
        catch (final KeySourceException ex)
        {
            System.err.println("herald: the key set at " + jwksUrl + " could not be fetched at start (" +
                ex.getMessage() + "): it will be fetched again when a token needs it");
        }
    }

    private static List<? extends Key> select(
        final JWSHeader header, final SecurityContext context, final JWSKeySelector<SecurityContext> hmac,
        final JWSKeySelector<SecurityContext> signatures) throws KeySourceException
    {
        final JWSKeySelector<SecurityContext> selector = HMAC.contains(header.getAlgorithm()) ? hmac : signatures;
        return null == selector ? List.of() : selector.selectJWSKeys(header, context);
    }

    public User verify(final String token, final Rights rights)
    {
        final JWTClaimsSet claims;
        try
        {
            claims = processor.process(token, null);
        }
        catch (final BadJWTException ex)
        {
            if (null != ex.getMessage() && ex.getMessage().contains("xpired"))
            {
                throw new KuzzleException(KuzzleError.TOKEN_EXPIRED);
            }
            throw new KuzzleException(KuzzleError.TOKEN_INVALID);
        }
        catch (final KeySourceException ex)
        {
            // the key set cannot be fetched now: the token may well be valid, say so rather than "invalid"
            throw new KuzzleException(KuzzleError.SERVICE_UNAVAILABLE,
                "the key set that verifies tokens cannot be fetched now, retry later");
        }
        catch (final ParseException | BadJOSEException | JOSEException ex)
        {
            throw new KuzzleException(KuzzleError.TOKEN_INVALID);
        }
        List<String> profiles;
        try
        {
            profiles = claims.getStringListClaim("profiles");
        }
        catch (final ParseException ex)
        {
            throw new KuzzleException(KuzzleError.TOKEN_INVALID);
        }
        final long expiresAtMs = null == claims.getExpirationTime() ? 0 : claims.getExpirationTime().getTime();
        return rights.user(claims.getSubject(), null == profiles ? List.of() : profiles, expiresAtMs, token);
    }

    private static Set<JWSAlgorithm> signatures()
    {
        final Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        return Set.copyOf(algorithms);
    }

    /**
     * A PEM public key ({@code BEGIN PUBLIC KEY}, X.509 SubjectPublicKeyInfo) or certificate, RSA or EC.
     */
    static JWK jwk(final String pem)
    {
        try
        {
            final PublicKey key;
            if (pem.contains("BEGIN CERTIFICATE"))
            {
                key = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .getPublicKey();
            }
            else
            {
                final String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                final byte[] der = Base64.getDecoder().decode(body);
                key = publicKey(der);
            }
            if (key instanceof RSAPublicKey rsa)
            {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec)
            {
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
            throw new IllegalArgumentException("the public key is " + key.getAlgorithm() + ": RSA or EC keys only");
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot read the public key: " + ex.getMessage(), ex);
        }
    }

    private static PublicKey publicKey(final byte[] der) throws GeneralSecurityException
    {
        GeneralSecurityException last = null;
        for (final String algorithm : List.of("RSA", "EC"))
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            }
            catch (final InvalidKeySpecException ex)
            {
                last = ex;
            }
        }
        throw last;
    }
}
