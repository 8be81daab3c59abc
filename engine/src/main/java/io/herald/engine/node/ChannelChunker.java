package io.herald.engine.node;

/**
 * Splits "channels → connections" answers into messages of bounded size: Aeron refuses a message longer than its
 * publication's {@code maxMessageLength} (a term length / 8, e.g. 32 KiB at 256 KiB terms), and a publish can match
 * far more connections than that holds. A channel whose connections do not fit continues in the next chunk under the
 * same name. Channel names are ASCII by construction (room id, dash, two letters).
 * <p>
 * The encoding itself belongs to a {@link Chunk}, so one chunker serves both list messages (SBE generates a type per
 * message). Not thread-safe; no allocation.
 */
final class ChannelChunker
{
    /** One {@code int64} per connection. */
    static final int CONNECTION_BYTES = 8;
    /** The connections group header and the channel's length prefix. */
    static final int ENTRY_OVERHEAD = 4 + 4;
    /** SBE's group count is a uint16 and 65535 is its null value. */
    private static final int MAX_GROUP_COUNT = 65_534;

    /**
     * The message being filled.
     */
    interface Chunk
    {
        /**
         * Starts a message: header, fixed fields, the channels group opened.
         */
        void begin();

        /**
         * @return bytes of the message so far, header included.
         */
        int length();

        /**
         * Appends one channel with {@code count} connections from {@code connections[from]}.
         */
        void entry(String channel, long[] connections, int from, int count);

        /**
         * Closes the channels group, appends what follows it, and sends the message.
         *
         * @param last false when more chunks of this answer follow.
         */
        void end(boolean last);
    }

    private final Chunk chunk;
    private int limit;
    private int entries;
    private int chunks;

    ChannelChunker(final Chunk chunk)
    {
        this.chunk = chunk;
    }

    /**
     * Begins an answer.
     *
     * @param maxLength the largest message, minus whatever {@link Chunk#end} appends after the channels.
     */
    void begin(final int maxLength)
    {
        limit = maxLength;
        entries = 0;
        chunks = 1;
        chunk.begin();
    }

    void add(final String channel, final long[] connections, final int count)
    {
        int from = 0;
        do
        {
            final int room = limit - chunk.length() - ENTRY_OVERHEAD - channel.length();
            final int fits = Math.min(Math.min(count - from, Math.max(0, room) / CONNECTION_BYTES), MAX_GROUP_COUNT);
            if ((fits == 0 && (count > from || room < 0)) || entries == MAX_GROUP_COUNT)
            {
                if (entries == 0)
                {
                    throw new IllegalStateException("a message of " + limit + " bytes cannot hold channel " + channel);
                }
                chunk.end(false);
                chunk.begin();
                entries = 0;
                chunks++;
                continue;
            }
            chunk.entry(channel, connections, from, fits);
            entries++;
            from += fits;
        }
        while (from < count);
    }

    /**
     * Sends the last chunk.
     *
     * @return the number of chunks the answer took.
     */
    int finish()
    {
        chunk.end(true);
        return chunks;
    }
}
