package io.herald.engine.security;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A Kuzzle role: {@code {"controllers": {"<controller>|*": {"actions": {"<action>|*": true|false}}}}}. An action is
 * allowed when its controller's entry (or {@code *} when the controller has none) names it (or has {@code *})
 * with {@code true}: a controller listed without the action does not fall back to the {@code *} controller, as in
 * Kuzzle. Immutable.
 */
public final class Role
{
    private final String id;
    private final Map<String, Map<String, Boolean>> controllers;

    private Role(final String id, final Map<String, Map<String, Boolean>> controllers)
    {
        this.id = id;
        this.controllers = controllers;
    }

    /**
     * @throws IllegalArgumentException naming the path of what is wrong.
     */
    static Role parse(final String id, final JsonNode json)
    {
        final JsonNode controllers = json.path("controllers");
        if (!controllers.isObject() || controllers.isEmpty())
        {
            throw new IllegalArgumentException("roles." + id + ".controllers must be a non-empty object");
        }
        final Map<String, Map<String, Boolean>> parsed = new HashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = controllers.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> controller = it.next();
            final String path = "roles." + id + ".controllers." + controller.getKey();
            final JsonNode actions = controller.getValue().path("actions");
            if (!actions.isObject() || actions.isEmpty())
            {
                throw new IllegalArgumentException(path + ".actions must be a non-empty object");
            }
            final Map<String, Boolean> rights = new HashMap<>();
            for (final Iterator<Map.Entry<String, JsonNode>> a = actions.fields(); a.hasNext(); )
            {
                final Map.Entry<String, JsonNode> action = a.next();
                if (!action.getValue().isBoolean())
                {
                    throw new IllegalArgumentException(path + ".actions." + action.getKey() + " must be true or false");
                }
                rights.put(action.getKey(), action.getValue().booleanValue());
            }
            parsed.put(controller.getKey(), Map.copyOf(rights));
        }
        return new Role(id, Map.copyOf(parsed));
    }

    public String id()
    {
        return id;
    }

    /**
     * @return true when the role allows {@code controller:action}. No allocation.
     */
    public boolean allows(final String controller, final String action)
    {
        Map<String, Boolean> actions = controllers.get(controller);
        if (null == actions)
        {
            actions = controllers.get("*");
            if (null == actions)
            {
                return false;
            }
        }
        Boolean allowed = actions.get(action);
        if (null == allowed)
        {
            allowed = actions.get("*");
        }
        return Boolean.TRUE.equals(allowed);
    }

    /**
     * @return the controllers and actions the role names, for {@code auth:getMyRights}.
     */
    Map<String, Map<String, Boolean>> controllers()
    {
        return controllers;
    }
}
