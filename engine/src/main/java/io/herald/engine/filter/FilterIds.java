package io.herald.engine.filter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Filter ids: HMAC-SHA256, keyed by the cluster-wide seed, over the index and the canonical normal form,
 * truncated to 128 bits and written in hex. Changing the canonical form or the seed changes every id.
 */
final class FilterIds
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int ID_BYTES = 16;

    private final Mac mac;

    FilterIds(final byte[] seed)
    {
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
        }
    }

    String id(final String index, final String canonical)
    {
        mac.update(index.getBytes(StandardCharsets.UTF_8));
        mac.update((byte)0);
        final byte[] digest = mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        final char[] text = new char[ID_BYTES * 2];
        for (int i = 0; i < ID_BYTES; i++)
        {
            text[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            text[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(text);
    }
}
