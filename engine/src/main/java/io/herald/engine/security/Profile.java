package io.herald.engine.security;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kuzzle profile: {@code {"policies": [{"roleId", "restrictedTo": [{"index", "collections": [...]}]}],
 * "rateLimit": n}}. A request is allowed when one policy's role allows its action and, if the request names an
 * index, the policy's restrictions hold that index and (when they list collections) its collection; a request
 * without an index ({@code realtime:join}, {@code count}: a room id) ignores restrictions, as in Kuzzle. Immutable.
 */
public final class Profile
{
    /**
     * One policy: a role, and the indexes (each with its collections, empty for all) it is restricted to; null
     * restrictions for none.
     */
    record Policy(Role role, Map<String, Set<String>> restrictedTo)
    {
        boolean allows(final String controller, final String action, final String index, final String collection)
        {
            if (!role.allows(controller, action))
            {
                return false;
            }
            if (null == restrictedTo || null == index)
            {
                return true;
            }
            final Set<String> collections = restrictedTo.get(index);
            return null != collections && (collections.isEmpty() || collections.contains(collection));
        }
    }

    private final String id;
    private final Policy[] policies;
    private final int rateLimit;

    private Profile(final String id, final Policy[] policies, final int rateLimit)
    {
        this.id = id;
        this.policies = policies;
        this.rateLimit = rateLimit;
    }

    /**
     * @throws IllegalArgumentException naming the path of what is wrong (an unknown role included).
     */
    static Profile parse(final String id, final JsonNode json, final Map<String, Role> roles)
    {
        final String path = "profiles." + id;
        final JsonNode policies = json.path("policies");
        if (!policies.isArray() || policies.isEmpty())
        {
            throw new IllegalArgumentException(path + ".policies must be a non-empty array");
        }
        final List<Policy> parsed = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++)
        {
            final JsonNode policy = policies.get(i);
            final String at = path + ".policies[" + i + "]";
            final Role role = roles.get(policy.path("roleId").asText(""));
            if (null == role)
            {
                throw new IllegalArgumentException(at + ".roleId names no role of the file: " + policy.path("roleId"));
            }
            parsed.add(new Policy(role, restrictions(at, policy.get("restrictedTo"))));
        }
        final JsonNode rateLimit = json.path("rateLimit");
        if (!rateLimit.isMissingNode() && !(rateLimit.isIntegralNumber() && rateLimit.asLong() >= 0 &&
            rateLimit.asLong() <= Integer.MAX_VALUE))
        {
            throw new IllegalArgumentException(path + ".rateLimit must be a positive integer or 0 (no limit)");
        }
        return new Profile(id, parsed.toArray(new Policy[0]), rateLimit.asInt(0));
    }

    private static Map<String, Set<String>> restrictions(final String at, final JsonNode restrictedTo)
    {
        if (null == restrictedTo || restrictedTo.isNull() || restrictedTo.isEmpty())
        {
            return null;
        }
        if (!restrictedTo.isArray())
        {
            throw new IllegalArgumentException(at + ".restrictedTo must be an array");
        }
        final Map<String, Set<String>> indexes = new HashMap<>();
        for (int j = 0; j < restrictedTo.size(); j++)
        {
            final JsonNode restriction = restrictedTo.get(j);
            if (!restriction.path("index").isTextual())
            {
                throw new IllegalArgumentException(at + ".restrictedTo[" + j + "].index must be a text");
            }
            final Set<String> collections = new HashSet<>();
            final JsonNode names = restriction.path("collections");
            if (!names.isMissingNode() && !names.isNull())
            {
                if (!names.isArray())
                {
                    throw new IllegalArgumentException(at + ".restrictedTo[" + j + "].collections must be an array");
                }
                names.forEach((name) -> collections.add(name.asText()));
            }
            indexes.merge(restriction.path("index").asText(), collections, (a, b) ->
            {
                // the same index twice: a restriction without collections allows them all
                if (a.isEmpty() || b.isEmpty())
                {
                    return Set.of();
                }
                final Set<String> both = new HashSet<>(a);
                both.addAll(b);
                return both;
            });
        }
        final Map<String, Set<String>> frozen = new HashMap<>();
        indexes.forEach((index, collections) -> frozen.put(index, Set.copyOf(collections)));
        return Map.copyOf(frozen);
    }

    public String id()
    {
        return id;
    }

    /**
     * @return requests per second a user of this profile may send per edge; 0 for no limit.
     */
    public int rateLimit()
    {
        return rateLimit;
    }

    /**
     * @param index      the request's index, or null when it names none.
     * @param collection the request's collection, or null.
     * @return true when one of the profile's policies allows the request. No allocation.
     */
    public boolean allows(final String controller, final String action, final String index, final String collection)
    {
        for (final Policy policy : policies)
        {
            if (policy.allows(controller, action, index, collection))
            {
                return true;
            }
        }
        return false;
    }

    Policy[] policies()
    {
        return policies;
    }
}
