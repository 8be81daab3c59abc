package io.herald.engine.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.engine.kuzzle.KuzzleError;
import io.herald.engine.kuzzle.KuzzleException;
import io.herald.engine.kuzzle.KuzzleRequest;

/**
 * Kuzzle's {@code auth} controller as an edge answers it: tokens are checked and described, never issued (the
 * user's application issues them).
 */
public final class AuthActions
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ConnectionUsers users;

    public AuthActions(final ConnectionUsers users)
    {
        this.users = users;
    }

    /**
     * @param user who sends the request.
     * @return the result.
     * @throws KuzzleException for actions Herald does not serve.
     */
    public ObjectNode answer(final String action, final User user, final KuzzleRequest request)
    {
        return switch (action)
        {
            case "checkToken" -> checkToken(request);
            case "getCurrentUser" -> user.toJson();
            case "getMyRights" -> users.rights().isOpen() ? everything() : user.rightsJson();
            case "login", "logout", "refreshToken", "createMyCredentials", "updateMyCredentials",
                "validateMyCredentials", "credentialsExist", "getStrategies", "createApiKey" ->
                throw new KuzzleException(KuzzleError.TOKENS_FROM_APPLICATION, action);
            default -> throw new KuzzleException(KuzzleError.ACTION_NOT_FOUND, "auth", action);
        };
    }

    /**
     * {@code {valid: true, kuid, expiresAt}} or {@code {valid: false, state}}, as Kuzzle; without token settings
     * every token is the anonymous user's, valid and never expiring (what Herald answered before it verified tokens).
     */
    private ObjectNode checkToken(final KuzzleRequest request)
    {
        if (!users.verifiesTokens())
        {
            return NODES.objectNode().put("valid", true).put("kuid", Rights.ANONYMOUS_KUID).put("expiresAt", -1);
        }
        final JsonNode body = request.body();
        final JsonNode token = null == body ? null : body.get("token");
        if (null == token || !token.isTextual())
        {
            throw new KuzzleException(KuzzleError.MISSING_ARGUMENT, "body.token");
        }
        try
        {
            final User user = users.verify(token.textValue());
            return NODES.objectNode().put("valid", true).put("kuid", user.kuid())
                .put("expiresAt", 0 == user.expiresAtMs() ? -1 : user.expiresAtMs());
        }
        catch (final KuzzleException ex)
        {
            return NODES.objectNode().put("valid", false).put("state", ex.getMessage());
        }
    }

    private static ObjectNode everything()
    {
        final ObjectNode rights = NODES.objectNode();
        rights.putArray("hits").addObject().put("controller", "*").put("action", "*").put("index", "*")
            .put("collection", "*").put("value", "allowed");
        return rights;
    }
}
