package io.herald.transport.link;

import io.herald.codecs.MessageHeaderDecoder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Aeron streams of the edge-to-node link outside the cluster's log, declared once for both ends: an edge (and a
 * node asking its peers how far they applied the log) sends reads on a node's read channel, {@link #READ}; a node
 * answers on the asker's answer channel, {@link #ANSWER}. Writes go through Aeron Cluster's own ingress and egress.
 */
public final class LinkStreams
{
    /** Publishes, counts, lists and status requests, to a node's read channel. */
    public static final int READ = 1001;
    /** Notification lists, counts, lists, statuses, remote notifications and errors, to an edge's answer channel. */
    public static final int ANSWER = 1002;

    /** The principal an edge's cluster session authenticates as, with {@code cluster.secret} as its credentials. */
    /**
     * The channel reads and their answers take when the edge and the node share a process and a media driver
     * ({@code herald up}): shared memory, no socket and no driver thread between them (streams {@link #READ} and
     * {@link #ANSWER} keep the two directions apart).
     *
     * @param termLength the term length every publication carrying client data gets.
     */
    public static String ipcChannel(final int termLength)
    {
        return "aeron:ipc?term-length=" + termLength;
    }

    public static final byte[] EDGE_PRINCIPAL = "herald-edge".getBytes(StandardCharsets.US_ASCII);

    private LinkStreams()
    {
    }

    /**
     * A message's variable-length fields must end within it: checked (by skipping them, which reads lengths only)
     * before anything is decoded, so that a length that lies never sizes an allocation.
     *
     * @param decodedLength what the message's fields say its body takes (SBE's {@code sbeDecodedLength}).
     * @param length        the message's length, header included.
     * @throws IllegalArgumentException when the fields say more than the message holds.
     */
    public static void requireWhole(final int decodedLength, final int length)
    {
        if (decodedLength < 0 || decodedLength + MessageHeaderDecoder.ENCODED_LENGTH > length)
        {
            throw new IllegalArgumentException("a message of " + length + " bytes whose fields say " +
                ((long)decodedLength + MessageHeaderDecoder.ENCODED_LENGTH));
        }
    }

    /**
     * The key every read request carries, derived from {@code cluster.secret}: a node serves only reads that carry
     * its own. Knowing it takes the secret (or listening on the network: Aeron UDP is not encrypted).
     *
     * @param secret the cluster's secret, or null for none.
     * @return the first 8 bytes of SHA-256("herald reads", 0, secret); 0 without a secret (no check).
     */
    public static long readKey(final byte[] secret)
    {
        if (null == secret || 0 == secret.length)
        {
            return 0;
        }
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("herald reads".getBytes(StandardCharsets.US_ASCII));
            digest.update((byte)0);
            final long key = ByteBuffer.wrap(digest.digest(secret)).getLong();
            return 0 == key ? 1 : key;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
        }
    }
}
