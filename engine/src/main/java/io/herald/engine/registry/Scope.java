package io.herald.engine.registry;

/**
 * Which document notifications a subscription receives (Kuzzle's {@code scope}): a realtime publish is a document
 * entering the scope, so {@link #ALL} and {@link #IN} receive it, {@link #OUT} and {@link #NONE} do not.
 */
public enum Scope
{
    ALL('a'), IN('i'), OUT('o'), NONE('n');

    final char code;

    Scope(final char code)
    {
        this.code = code;
    }

    boolean receivesPublish()
    {
        return this == ALL || this == IN;
    }

    /**
     * @param text the request's value, null for the default.
     * @return the scope.
     * @throws IllegalArgumentException when the value is not one of all/in/out/none.
     */
    public static Scope of(final String text)
    {
        if (null == text)
        {
            return ALL;
        }
        switch (text)
        {
            case "all": return ALL;
            case "in": return IN;
            case "out": return OUT;
            case "none": return NONE;
            default: throw new IllegalArgumentException("scope must be one of all, in, out, none; got \"" + text + '"');
        }
    }
}
