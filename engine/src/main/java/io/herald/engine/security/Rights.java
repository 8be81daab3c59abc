package io.herald.engine.security;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rights file ({@code auth.rights.file}): Kuzzle's roles and profiles as a Kuzzle user exports them,
 * {@code {"roles": {"<id>": role}, "profiles": {"<id>": profile}}}. The profile {@code anonymous} is what requests
 * without a token get. {@link #open()} is Herald without a rights file: everything allowed to everyone. Immutable;
 * a file that changes is parsed again and replaces the previous rights as a whole.
 */
public final class Rights
{
    /** What a user without a token may do with the profile {@code anonymous} or without it. */
    public static final String ANONYMOUS_PROFILE = "anonymous";
    /** The kuid Kuzzle gives the anonymous user. */
    public static final String ANONYMOUS_KUID = "-1";

    private static final Rights OPEN = new Rights(Map.of(), Map.of(), true);

    private final Map<String, Role> roles;
    private final Map<String, Profile> profiles;
    private final boolean open;
    private final User anonymous;

    private Rights(final Map<String, Role> roles, final Map<String, Profile> profiles, final boolean open)
    {
        this.roles = roles;
        this.profiles = profiles;
        this.open = open;
        final Profile anonymousProfile = profiles.get(ANONYMOUS_PROFILE);
        this.anonymous = new User(ANONYMOUS_KUID, null == anonymousProfile ? new Profile[0] :
            new Profile[]{anonymousProfile}, 0, null);
    }

    /**
     * @return everything allowed to everyone (no rights file).
     */
    public static Rights open()
    {
        return OPEN;
    }

    /**
     * @throws IllegalArgumentException naming the path of what is wrong in the file.
     */
    public static Rights parse(final JsonNode file)
    {
        if (!file.isObject())
        {
            throw new IllegalArgumentException("the rights file must hold an object {\"roles\": {}, \"profiles\": {}}");
        }
        for (final Iterator<String> names = file.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!"roles".equals(name) && !"profiles".equals(name))
            {
                throw new IllegalArgumentException("unknown key \"" + name + "\": the rights file holds roles and profiles");
            }
        }
        final Map<String, Role> roles = new HashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = file.path("roles").fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> role = it.next();
            roles.put(role.getKey(), Role.parse(role.getKey(), role.getValue()));
        }
        final Map<String, Profile> profiles = new HashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = file.path("profiles").fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> profile = it.next();
            profiles.put(profile.getKey(), Profile.parse(profile.getKey(), profile.getValue(), roles));
        }
        return new Rights(Map.copyOf(roles), Map.copyOf(profiles), false);
    }

    /**
     * @return true without a rights file: no check at all.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * @return the user of requests without a token.
     */
    public User anonymous()
    {
        return anonymous;
    }

    /**
     * A user known by a verified token. Profile ids the file does not hold grant nothing (the file may have been
     * edited since the token was issued).
     *
     * @param expiresAtMs when the token expires (epoch ms), 0 for never.
     */
    public User user(final String kuid, final List<String> profileIds, final long expiresAtMs, final String token)
    {
        final List<Profile> known = new ArrayList<>(profileIds.size());
        for (final String id : profileIds)
        {
            final Profile profile = profiles.get(id);
            if (null != profile)
            {
                known.add(profile);
            }
        }
        return new User(kuid, known.toArray(new Profile[0]), expiresAtMs, token);
    }

    public int roleCount()
    {
        return roles.size();
    }

    public int profileCount()
    {
        return profiles.size();
    }
}
