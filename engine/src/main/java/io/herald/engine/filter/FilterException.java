package io.herald.engine.filter;

/**
 * A filter that is not valid Koncorde DSL. The message names the filter path first, as Koncorde does:
 * {@code "and.equals.name": must either be a string, a number, a boolean, or null}. The edge turns it into an
 * {@code api.assert.koncorde_dsl_error} response.
 */
public final class FilterException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String keyword;
    private final String path;

    public FilterException(final String message, final String keyword, final String path)
    {
        super(null == path ? message : '"' + path + "\": " + message);
        this.keyword = keyword;
        this.path = path;
    }

    /**
     * An error that is about the filter as a whole (too complex, bad distance) and has no path.
     *
     * @param message the whole message.
     */
    public FilterException(final String message)
    {
        this(message, null, null);
    }

    /**
     * @return the keyword being parsed when the error was found, or null.
     */
    public String keyword()
    {
        return keyword;
    }

    /**
     * @return the dotted filter path where the error was found, or null.
     */
    public String path()
    {
        return path;
    }
}
