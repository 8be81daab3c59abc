package io.herald.engine.registry;

/**
 * The answer to a subscribe or join.
 *
 * @param roomId  the room (filter) id.
 * @param channel the channel id the connection receives notifications on.
 * @param count   distinct connections in the room afterwards.
 * @param joined  false when the connection was already on that channel (the request changed nothing).
 */
public record Subscription(String roomId, String channel, int count, boolean joined)
{
}
