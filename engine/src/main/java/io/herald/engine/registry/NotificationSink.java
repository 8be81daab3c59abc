package io.herald.engine.registry;

/**
 * Receives, for one published document or one user event, each channel to notify with its connections.
 */
@FunctionalInterface
public interface NotificationSink
{
    /**
     * @param channel     the channel id (the notification's {@code room}).
     * @param connections connection keys ({@link Connections}) in slots 0 to count - 1; valid during the call only.
     * @param count       how many connections.
     */
    void onChannel(String channel, long[] connections, int count);
}
