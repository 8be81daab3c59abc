package io.herald.engine.filter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Settings of a {@link FilterEngine}. Every node of a cluster must use the same seed, or they will not agree on
 * filter (room) ids.
 */
public final class FilterEngineContext
{
    /** Most leaf conditions a filter may hold, counted as Koncorde does ({@code in} counts its values). */
    public static final String MAX_CONDITIONS_PROP_NAME = "herald.filter.max.conditions";
    public static final int MAX_CONDITIONS_DEFAULT = 50;

    /** Most AND terms the normalized (OR of ANDs) form of a filter may have. */
    public static final String MAX_CONJUNCTIONS_PROP_NAME = "herald.filter.max.conjunctions";
    public static final int MAX_CONJUNCTIONS_DEFAULT = 4096;

    /** Seed of filter ids: 32 bytes as 64 hex digits. */
    public static final String SEED_PROP_NAME = "herald.filter.seed";
    public static final String SEED_DEFAULT =
        HexFormat.of().formatHex(Arrays.copyOf("herald filter ids, version 1".getBytes(StandardCharsets.US_ASCII), 32));

    private int maxConditions = Integer.getInteger(MAX_CONDITIONS_PROP_NAME, MAX_CONDITIONS_DEFAULT);
    private int maxConjunctions = Integer.getInteger(MAX_CONJUNCTIONS_PROP_NAME, MAX_CONJUNCTIONS_DEFAULT);
    private String seed = System.getProperty(SEED_PROP_NAME, SEED_DEFAULT);
    private byte[] seedBytes;

    public FilterEngineContext maxConditions(final int maxConditions)
    {
        this.maxConditions = maxConditions;
        return this;
    }

    public int maxConditions()
    {
        return maxConditions;
    }

    public FilterEngineContext maxConjunctions(final int maxConjunctions)
    {
        this.maxConjunctions = maxConjunctions;
        return this;
    }

    public int maxConjunctions()
    {
        return maxConjunctions;
    }

    public FilterEngineContext seed(final String seed)
    {
        this.seed = seed;
        return this;
    }

    public String seed()
    {
        return seed;
    }

    byte[] seedBytes()
    {
        return seedBytes;
    }

    /**
     * Validates the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and its accepted range.
     */
    public FilterEngineContext conclude()
    {
        if (maxConditions < 0)
        {
            throw new IllegalArgumentException(MAX_CONDITIONS_PROP_NAME + " must be >= 0 (0: no limit), got " +
                maxConditions);
        }
        if (maxConjunctions < 1 || maxConjunctions > 65_536)
        {
            throw new IllegalArgumentException(MAX_CONJUNCTIONS_PROP_NAME + " must be in [1, 65536], got " +
                maxConjunctions);
        }
        if (null == seed || seed.length() != 64)
        {
            throw new IllegalArgumentException(SEED_PROP_NAME + " must be 64 hex digits (32 bytes)");
        }
        try
        {
            seedBytes = HexFormat.of().parseHex(seed);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(SEED_PROP_NAME + " must be 64 hex digits (32 bytes)", ex);
        }
        return this;
    }
}
