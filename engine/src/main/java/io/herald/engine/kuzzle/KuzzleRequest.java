package io.herald.engine.kuzzle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kuzzle API request, as the SDKs send it: a JSON object with {@code controller}, {@code action},
 * {@code requestId}, and the arguments Herald reads ({@code index}, {@code collection}, {@code _id}, {@code body},
 * {@code volatile}, {@code scope}, {@code users}, {@code jwt}). Unknown top-level keys are ignored: the SDK copies
 * its options (subscribeToSelf, cookieAuth...) there.
 */
public final class KuzzleRequest
{
    private final ObjectNode json;
    private final String protocol;
    // read once, in this order (the first of the wrong type is the one reported): the router asks for them again
    // and again, and each was a hash look-up and type checks
    private final String controller;
    private final String action;
    private final String requestId;
    private final String index;
    private final String collection;
    private final String id;
    private final String scope;
    private final String users;
    private final String jwt;
    private JsonNode body;
    private final JsonNode volatileData;
    private final String bodyText;
    private final boolean bodyKuzzleInfo;

    private KuzzleRequest(
        final ObjectNode json, final String protocol, final String bodyText, final boolean bodyKuzzleInfo)
    {
        this.bodyText = bodyText;
        this.bodyKuzzleInfo = bodyKuzzleInfo;
        this.json = json;
        this.protocol = protocol;
        this.controller = read(json, "controller");
        this.action = read(json, "action");
        this.requestId = read(json, "requestId");
        this.index = read(json, "index");
        this.collection = read(json, "collection");
        this.id = read(json, "_id");
        this.scope = read(json, "scope");
        this.users = read(json, "users");
        this.jwt = read(json, "jwt");
        this.body = null == bodyText ? orNull(json.get("body")) : null; // else read on first use
        this.volatileData = orNull(json.get("volatile"));
    }

    /**
     * @param frame a parsed frame.
     * @return the request.
     * @throws KuzzleException {@code network.entrypoint.invalid_request} when the frame is not a JSON object, or
     *                         {@code api.assert.invalid_type} when a known field has the wrong type.
     */
    public static KuzzleRequest of(final JsonNode frame)
    {
        return of(frame, null);
    }

    /**
     * @param protocol the protocol the request came in on ({@code websocket}, {@code http}...), as notifications of
     *                 it report it; null when unknown.
     * @see #of(JsonNode)
     */
    public static KuzzleRequest of(final JsonNode frame, final String protocol)
    {
        return new KuzzleRequest(object(frame), protocol, null, false);
    }

    /**
     * @param frame a frame read with {@link RequestJson#readFrame}: the request keeps an object body's text as sent,
     *              and builds its tree only if asked ({@link #body()}).
     * @see #of(JsonNode, String)
     */
    public static KuzzleRequest of(final RequestJson.Frame frame, final String protocol)
    {
        return new KuzzleRequest(object(frame.tree()), protocol, frame.bodyText(), frame.bodyKuzzleInfo());
    }

    /**
     * @param request a request assembled by a protocol (e.g. from an HTTP route), without {@code body}.
     * @param body    its body read alone ({@link RequestJson#readBodyAlone}), or null for none.
     * @see #of(JsonNode, String)
     */
    public static KuzzleRequest of(final ObjectNode request, final String protocol, final RequestJson.Frame body)
    {
        if (null == body)
        {
            return new KuzzleRequest(request, protocol, null, false);
        }
        if (null == body.bodyText())
        {
            request.set("body", body.tree());
        }
        return new KuzzleRequest(request, protocol, body.bodyText(), body.bodyKuzzleInfo());
    }

    private static ObjectNode object(final JsonNode frame)
    {
        if (!(frame instanceof ObjectNode))
        {
            throw new KuzzleException(KuzzleError.INVALID_REQUEST, "a request must be a JSON object");
        }
        return (ObjectNode)frame;
    }

    /**
     * Reads the request id of any frame, leniently, so that even the error for a malformed request reaches the
     * caller's room.
     *
     * @return the request id, or null.
     */
    public static String requestIdOf(final JsonNode frame)
    {
        final JsonNode value = frame instanceof ObjectNode ? frame.get("requestId") : null;
        return null != value && (value.isTextual() || value.isNumber()) ? value.asText() : null;
    }

    /**
     * @return the protocol the request came in on, or null when unknown.
     */
    public String protocol()
    {
        return protocol;
    }

    /**
     * @return the request id, or null when the client sent none.
     */
    public String requestId()
    {
        return requestId;
    }

    public String controller()
    {
        return controller;
    }

    public String action()
    {
        return action;
    }

    public String index()
    {
        return index;
    }

    public String collection()
    {
        return collection;
    }

    public String id()
    {
        return id;
    }

    public String scope()
    {
        return scope;
    }

    public String users()
    {
        return users;
    }

    public String jwt()
    {
        return jwt;
    }

    /**
     * @return the body, or null.
     */
    public JsonNode body()
    {
        if (null == body && null != bodyText)
        {
            body = RequestJson.readBody(bodyText);
        }
        return body;
    }

    /**
     * @return the body's JSON text as the client sent it (an object), or null when not known (the request was not
     *         read with {@link RequestJson#readFrame}, or its body is not an object).
     */
    public String bodyText()
    {
        return bodyText;
    }

    /**
     * @return whether the body known by its text ({@link #bodyText()}) has a top-level {@code _kuzzle_info} member.
     */
    public boolean bodyKuzzleInfo()
    {
        return bodyKuzzleInfo;
    }

    /**
     * @return the body, which must be a JSON object.
     * @throws KuzzleException {@code api.assert.body_required} or {@code api.assert.invalid_type}.
     */
    public ObjectNode objectBody()
    {
        final JsonNode body = body();
        if (null == body)
        {
            throw new KuzzleException(KuzzleError.BODY_REQUIRED);
        }
        if (!(body instanceof ObjectNode))
        {
            throw new KuzzleException(KuzzleError.INVALID_TYPE, "body", "object");
        }
        return (ObjectNode)body;
    }

    /**
     * @return the volatile data, or null (sent back untouched in notifications).
     */
    public JsonNode volatileData()
    {
        return volatileData;
    }

    /**
     * @return a string argument that must be present and non-empty.
     * @throws KuzzleException {@code api.assert.missing_argument}.
     */
    public String required(final String field)
    {
        final String value = text(field);
        if (null == value || value.isEmpty())
        {
            throw new KuzzleException(KuzzleError.MISSING_ARGUMENT, field);
        }
        return value;
    }

    /**
     * @return a string field of the body that must be present and non-empty, e.g. {@code body.roomId}.
     */
    public String requiredInBody(final String field)
    {
        final JsonNode body = body();
        final JsonNode value = null == body ? null : body.get(field);
        if (null == value || value.isNull() || (value.isTextual() && value.textValue().isEmpty()))
        {
            throw new KuzzleException(KuzzleError.MISSING_ARGUMENT, "body." + field);
        }
        if (!value.isTextual())
        {
            throw new KuzzleException(KuzzleError.INVALID_TYPE, "body." + field, "string");
        }
        return value.textValue();
    }

    private String text(final String field)
    {
        switch (field)
        {
            case "controller":
                return controller;
            case "action":
                return action;
            case "requestId":
                return requestId;
            case "index":
                return index;
            case "collection":
                return collection;
            case "_id":
                return id;
            case "scope":
                return scope;
            case "users":
                return users;
            case "jwt":
                return jwt;
            default:
                return read(json, field);
        }
    }

    private static JsonNode orNull(final JsonNode value)
    {
        return null == value || value.isNull() ? null : value;
    }

    private static String read(final ObjectNode json, final String field)
    {
        final JsonNode value = json.get(field);
        if (null == value || value.isNull())
        {
            return null;
        }
        if (!value.isTextual())
        {
            if ("requestId".equals(field) && value.isNumber())
            {
                return value.asText();
            }
            throw new KuzzleException(KuzzleError.INVALID_TYPE, field, "string");
        }
        return value.textValue();
    }
}
