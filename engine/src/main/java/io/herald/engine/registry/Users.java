package io.herald.engine.registry;

/**
 * Which user notifications a subscription receives (Kuzzle's {@code users}): someone joining the room ("in"),
 * leaving it ("out"), both, or none (the default).
 */
public enum Users
{
    ALL('a'), IN('i'), OUT('o'), NONE('n');

    final char code;

    Users(final char code)
    {
        this.code = code;
    }

    boolean receives(final boolean joining)
    {
        return this == ALL || (joining ? this == IN : this == OUT);
    }

    /**
     * @param text the request's value, null for the default.
     * @return the setting.
     * @throws IllegalArgumentException when the value is not one of all/in/out/none.
     */
    public static Users of(final String text)
    {
        if (null == text)
        {
            return NONE;
        }
        switch (text)
        {
            case "all": return ALL;
            case "in": return IN;
            case "out": return OUT;
            case "none": return NONE;
            default: throw new IllegalArgumentException("users must be one of all, in, out, none; got \"" + text + '"');
        }
    }
}
