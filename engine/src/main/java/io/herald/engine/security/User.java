package io.herald.engine.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Who sends a request: a kuid (the token's {@code sub}), the profiles the token names, when the token expires. The
 * anonymous user has kuid {@code -1} and the profile {@code anonymous}. Immutable.
 */
public final class User
{
    private final String kuid;
    private final Profile[] profiles;
    private final long expiresAtMs;
    private final String token;
    private final int rateLimit;

    User(final String kuid, final Profile[] profiles, final long expiresAtMs, final String token)
    {
        this.kuid = kuid;
        this.profiles = profiles;
        this.expiresAtMs = expiresAtMs;
        this.token = token;
        int limit = profiles.length == 0 ? 0 : Integer.MAX_VALUE;
        for (final Profile profile : profiles)
        {
            // as Kuzzle: the most permissive profile wins, and 0 (no limit) is the most permissive
            limit = 0 == profile.rateLimit() || 0 == limit ? 0 : Math.min(limit, profile.rateLimit());
        }
        this.rateLimit = limit;
    }

    public String kuid()
    {
        return kuid;
    }

    public boolean isAnonymous()
    {
        return null == token;
    }

    /**
     * @return when the token expires (epoch ms), 0 for never (and for the anonymous user).
     */
    public long expiresAtMs()
    {
        return expiresAtMs;
    }

    /**
     * @return the token the user was known by, or null for the anonymous user.
     */
    public String token()
    {
        return token;
    }

    /**
     * @return requests per second this user may send through one edge, 0 for no limit.
     */
    public int rateLimit()
    {
        return rateLimit;
    }

    /**
     * @return true when one of the user's profiles allows the request. No allocation.
     */
    public boolean allows(final String controller, final String action, final String index, final String collection)
    {
        for (final Profile profile : profiles)
        {
            if (profile.allows(controller, action, index, collection))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return {@code auth:getCurrentUser}'s answer: {@code {_id, _source: {profileIds}}}.
     */
    public ObjectNode toJson()
    {
        final ObjectNode user = JsonNodeFactory.instance.objectNode().put("_id", kuid);
        final ArrayNode ids = user.putObject("_source").putArray("profileIds");
        for (final Profile profile : profiles)
        {
            ids.add(profile.id());
        }
        return user;
    }

    /**
     * @return {@code auth:getMyRights}'s answer: {@code {hits: [{controller, action, index, collection, value}]}},
     *         one per action a role names, per index and collection a policy is restricted to ({@code *} for any).
     */
    public ObjectNode rightsJson()
    {
        final ObjectNode rights = JsonNodeFactory.instance.objectNode();
        final ArrayNode hits = rights.putArray("hits");
        for (final Profile profile : profiles)
        {
            for (final Profile.Policy policy : profile.policies())
            {
                for (final Map.Entry<String, Map<String, Boolean>> controller : policy.role().controllers().entrySet())
                {
                    for (final Map.Entry<String, Boolean> action : controller.getValue().entrySet())
                    {
                        if (null == policy.restrictedTo())
                        {
                            hits.add(right(controller.getKey(), action.getKey(), "*", "*", action.getValue()));
                            continue;
                        }
                        policy.restrictedTo().forEach((index, collections) ->
                        {
                            if (collections.isEmpty())
                            {
                                hits.add(right(controller.getKey(), action.getKey(), index, "*", action.getValue()));
                            }
                            collections.forEach((collection) -> hits.add(
                                right(controller.getKey(), action.getKey(), index, collection, action.getValue())));
                        });
                    }
                }
            }
        }
        return rights;
    }

    private static ObjectNode right(
        final String controller, final String action, final String index, final String collection,
        final boolean allowed)
    {
        return JsonNodeFactory.instance.objectNode().put("controller", controller).put("action", action)
            .put("index", index).put("collection", collection).put("value", allowed ? "allowed" : "denied");
    }
}
