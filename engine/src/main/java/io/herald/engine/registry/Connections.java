package io.herald.engine.registry;

/**
 * A client connection, cluster-wide, as one long: the edge that holds it (15 bits) and the edge's connection id
 * (48 bits).
 */
public final class Connections
{
    public static final int MAX_EDGE_ID = (1 << 15) - 1;
    public static final long MAX_CONNECTION_ID = (1L << 48) - 1;

    private Connections()
    {
    }

    public static long key(final int edgeId, final long connectionId)
    {
        if (edgeId < 0 || edgeId > MAX_EDGE_ID)
        {
            throw new IllegalArgumentException("edge id must be in [0, " + MAX_EDGE_ID + "], got " + edgeId);
        }
        if (connectionId < 0 || connectionId > MAX_CONNECTION_ID)
        {
            throw new IllegalArgumentException(
                "connection id must be in [0, " + MAX_CONNECTION_ID + "], got " + connectionId);
        }
        return ((long)edgeId << 48) | connectionId;
    }

    public static int edgeId(final long key)
    {
        return (int)(key >>> 48);
    }

    public static long connectionId(final long key)
    {
        return key & MAX_CONNECTION_ID;
    }
}
