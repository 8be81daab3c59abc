package io.herald.engine.security;

import io.herald.engine.kuzzle.KuzzleException;

/**
 * Turns a token the user's application issued into a {@link User}: the transport implements it (JWT signatures,
 * remote key sets).
 */
@FunctionalInterface
public interface TokenVerifier
{
    /**
     * @param token the token as the client sent it (Kuzzle's {@code kauth-} prefix removed).
     * @return the user the token names.
     * @throws KuzzleException {@code security.token.invalid} or {@code security.token.expired}, 401.
     */
    User verify(String token, Rights rights);
}
