/**
 * Who may do what, the way Kuzzle says it: roles (controller → action → allowed, with {@code *}), profiles (policies
 * of a role restricted to indexes and collections, a rate limit), users known by a token the application issued,
 * and the check every request goes through on the edge. No I/O: the rights file is parsed from JSON handed in, the
 * token verified by a {@link io.herald.engine.security.TokenVerifier} the transport provides.
 */
package io.herald.engine.security;
