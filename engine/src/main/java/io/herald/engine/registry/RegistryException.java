package io.herald.engine.registry;

import io.herald.engine.kuzzle.KuzzleError;

/**
 * A subscription request the registry cannot apply, with the Kuzzle error it becomes.
 */
public final class RegistryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Kuzzle error id, e.g. {@code core.realtime.room_not_found}. */
    private final String errorId;
    /** HTTP-like status, e.g. 404. */
    private final int status;

    public RegistryException(final String errorId, final int status, final String message)
    {
        super(message);
        this.errorId = errorId;
        this.status = status;
    }

    public String errorId()
    {
        return errorId;
    }

    public int status()
    {
        return status;
    }

    static RegistryException roomNotFound(final String roomId)
    {
        return of(KuzzleError.ROOM_NOT_FOUND, roomId);
    }

    static RegistryException notSubscribed(final String roomId)
    {
        return of(KuzzleError.NOT_SUBSCRIBED, roomId);
    }

    private static RegistryException of(final KuzzleError error, final Object... arguments)
    {
        return new RegistryException(error.id(), error.status(), error.message(arguments));
    }
}
