package io.herald.engine.registry;

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
        return new RegistryException("core.realtime.room_not_found", 404, "Room \"" + roomId + "\" not found.");
    }

    static RegistryException notSubscribed(final long connection, final String roomId)
    {
        return new RegistryException("core.realtime.not_subscribed", 412, "Connection " +
            Connections.edgeId(connection) + ":" + Connections.connectionId(connection) +
            " has not subscribed to room \"" + roomId + "\".");
    }
}
