package io.herald.transport.edge;

import net.openhft.chronicle.values.MaxUtf8Length;

/**
 * One row of the edge's connection table, as Chronicle lays it out off-heap (a value interface: Chronicle generates
 * the flyweight, updates write straight into the mapped file). Changing the fields changes the file layout: bump
 * {@link ConnectionTable#FILE_NAME}.
 */
public interface ConnectionRecord
{
    long getConnectionId();

    void setConnectionId(long connectionId);

    byte getProtocol();

    void setProtocol(byte protocol);

    CharSequence getRemoteAddress();

    void setRemoteAddress(@MaxUtf8Length(64) CharSequence remoteAddress);

    StringBuilder getUsingRemoteAddress(StringBuilder using);

    long getConnectedAtMs();

    void setConnectedAtMs(long connectedAtMs);

    long getRequestsIn();

    void setRequestsIn(long requestsIn);

    long addRequestsIn(long delta);

    long getNotificationsOut();

    void setNotificationsOut(long notificationsOut);

    long addNotificationsOut(long delta);

    int getSubscriptionCount();

    void setSubscriptionCount(int subscriptionCount);

    long getEdgePid();

    void setEdgePid(long edgePid);
}
