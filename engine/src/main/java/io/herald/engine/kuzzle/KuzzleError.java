package io.herald.engine.kuzzle;

/**
 * The Kuzzle errors Herald answers with: id (what the SDKs and applications test), HTTP-like status (what the SDK
 * needs to reject the promise), numeric code, and message template ({@code %s} filled in order).
 * <p>
 * Codes follow Kuzzle's layout, {@code domain << 24 | subdomain << 16 | error}, with Kuzzle's domain numbers
 * (core 0, api 2, network 3, security 7); subdomain and error numbers are Herald's own.
 */
public enum KuzzleError
{
    MISSING_ARGUMENT("api.assert.missing_argument", 400, 2, 1, 1, "Missing argument \"%s\"."),
    INVALID_ARGUMENT("api.assert.invalid_argument", 400, 2, 1, 2, "Invalid argument \"%s\": %s"),
    BODY_REQUIRED("api.assert.body_required", 400, 2, 1, 3, "The request must specify a body."),
    INVALID_TYPE("api.assert.invalid_type", 400, 2, 1, 4, "Wrong type for argument \"%s\" (expected: %s)"),
    KONCORDE_DSL_ERROR("api.assert.koncorde_dsl_error", 400, 2, 1, 5, "%s"),
    CONTROLLER_NOT_FOUND("api.process.controller_not_found", 404, 2, 2, 1, "API controller \"%s\" not found."),
    ACTION_NOT_FOUND("api.process.action_not_found", 404, 2, 2, 2, "API action \"%s\":\"%s\" not found."),
    ROOM_NOT_FOUND("core.realtime.room_not_found", 404, 0, 1, 1, "Room \"%s\" not found."),
    NOT_SUBSCRIBED("core.realtime.not_subscribed", 412, 0, 1, 2, "Not subscribed to room \"%s\"."),
    INVALID_REQUEST("network.entrypoint.invalid_request", 400, 3, 1, 1, "Invalid request: %s"),
    REQUEST_TOO_LARGE("network.entrypoint.request_too_large", 413, 3, 1, 2,
        "Request of %s bytes is over the limit of %s bytes."),
    REQUEST_TIMEOUT("network.http.request_timeout", 408, 3, 3, 1,
        "The request did not arrive whole within %s ms."),
    MALFORMED_HTTP("network.http.malformed_request", 400, 3, 3, 2, "Malformed HTTP request: %s"),
    URI_TOO_LONG("network.http.uri_too_long", 414, 3, 3, 3, "Malformed HTTP request: %s"),
    HEADERS_TOO_LARGE("network.http.headers_too_large", 431, 3, 3, 4, "Malformed HTTP request: %s"),
    MQTT_ERROR("network.mqtt.unexpected_error", 400, 3, 4, 1, "Caught an unexpected MQTT error: %s"),
    BAD_HANDSHAKE("network.websocket.bad_handshake", 400, 3, 2, 2, "Invalid WebSocket handshake: %s"),
    RATE_LIMIT_EXCEEDED("network.websocket.ratelimit_exceeded", 429, 3, 2, 1, "Too many requests."),
    SERVICE_UNAVAILABLE("core.fatal.service_unavailable", 503, 0, 2, 1, "Service unavailable: %s"),
    UNEXPECTED_ERROR("core.fatal.unexpected_error", 500, 0, 2, 2,
        "Caught an unexpected error: %s. The request was not handled; the server goes on."),
    TOKEN_INVALID("security.token.invalid", 401, 7, 1, 1, "Invalid token."),
    TOKEN_EXPIRED("security.token.expired", 401, 7, 1, 6, "Token expired"),
    TOKENS_FROM_APPLICATION("security.token.issued_by_application", 400, 7, 1, 101,
        "auth:%s is not served: Herald does not issue tokens, your application does (the SDK takes one with " +
            "kuzzle.jwt = token, and kuzzle.authenticator to fetch a new one)"),
    RIGHTS_UNAUTHORIZED("security.rights.unauthorized", 401, 7, 3, 1,
        "Unauthorized: authentication required to execute the action \"%s:%s\"."),
    RIGHTS_FORBIDDEN("security.rights.forbidden", 403, 7, 3, 2,
        "Insufficient permissions to execute the action \"%s:%s\" (User \"%s\")."),
    TOO_MANY_SUBSCRIPTIONS("core.realtime.too_many_subscriptions", 429, 0, 1, 101,
        "This connection holds its maximum of %s subscriptions (edge.limit.subscriptions.per.connection): " +
            "unsubscribe from a room first."),
    TOO_MANY_REQUESTS("api.process.too_many_requests", 429, 2, 2, 8,
        "Rejected: requests rate limit exceeded for this user.");

    private final String id;
    private final int status;
    private final int code;
    private final String template;

    KuzzleError(
        final String id, final int status, final int domain, final int subdomain, final int error,
        final String template)
    {
        this.id = id;
        this.status = status;
        this.code = domain << 24 | subdomain << 16 | error;
        this.template = template;
    }

    public String id()
    {
        return id;
    }

    public int status()
    {
        return status;
    }

    public int code()
    {
        return code;
    }

    /**
     * @return the error with this id, or null.
     */
    public static KuzzleError byId(final String id)
    {
        for (final KuzzleError error : values())
        {
            if (error.id.equals(id))
            {
                return error;
            }
        }
        return null;
    }

    public String message(final Object... arguments)
    {
        return String.format(template, arguments);
    }
}
