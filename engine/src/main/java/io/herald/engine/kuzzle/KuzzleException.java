package io.herald.engine.kuzzle;

/**
 * A request that fails with a Kuzzle error; the response goes to the request's room with this error.
 */
public final class KuzzleException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final KuzzleError error;

    public KuzzleException(final KuzzleError error, final Object... arguments)
    {
        super(error.message(arguments));
        this.error = error;
    }

    public KuzzleError error()
    {
        return error;
    }
}
