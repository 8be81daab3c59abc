package io.herald.transport.node;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * Splits "channels → connections" answers into messages of bounded size: Aeron refuses a message longer than its
 * publication's {@code maxMessageLength} (a term length / 8, e.g. 32 KiB at 256 KiB terms), and a publish can match
 * far more connections than that holds. A channel whose connections do not fit continues in the next chunk under the
 * same name.
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
         * Appends one channel (its name as UTF-8 bytes) with {@code count} connections from
         * {@code connections[from]}.
         */
        void entry(byte[] channel, long[] connections, int from, int count);

        /**
         * Closes the channels group, appends what follows it, and sends the message.
         *
         * @param last false when more chunks of this answer follow.
         */
        void end(boolean last);
    }

    /** Channel names repeat publish after publish: their bytes are kept, so encoding them allocates nothing. */
    private static final int MAX_CACHED_NAMES = 65_536;

    private final Chunk chunk;
    private final HashMap<String, byte[]> names = new HashMap<>();
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

    void add(final String channelName, final long[] connections, final int count)
    {
        final byte[] channel = bytesOf(channelName);
        int from = 0;
        do
        {
            final int room = limit - chunk.length() - ENTRY_OVERHEAD - channel.length;
            final int fits = Math.min(Math.min(count - from, Math.max(0, room) / CONNECTION_BYTES), MAX_GROUP_COUNT);
            if ((fits == 0 && (count > from || room < 0)) || entries == MAX_GROUP_COUNT)
            {
                if (entries == 0)
                {
                    throw new IllegalStateException("a message of " + limit + " bytes cannot hold channel " +
                        channelName);
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
     * @return the length of {@code text} in UTF-8, without encoding it (sizes what follows the channels).
     */
    static int utf8Length(final String text)
    {
        int length = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }

    private byte[] bytesOf(final String channel)
    {
        byte[] bytes = names.get(channel);
        if (null == bytes)
        {
            if (names.size() >= MAX_CACHED_NAMES)
            {
                names.clear();
            }
            bytes = channel.getBytes(StandardCharsets.UTF_8);
            names.put(channel, bytes);
        }
        return bytes;
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
