package io.herald.engine.filter;

/**
 * A validated filter in normal form, with its deterministic id: the same index and the same normalized filter give
 * the same id in every process, so that nodes agree on room ids without talking.
 */
public final class NormalizedFilter
{
    private final String id;
    private final String index;
    private final Dnf dnf;

    NormalizedFilter(final String id, final String index, final Dnf dnf)
    {
        this.id = id;
        this.index = index;
        this.dnf = dnf;
    }

    /**
     * @return the filter id (32 lower-case hex digits).
     */
    public String id()
    {
        return id;
    }

    /**
     * @return the index the filter belongs to, e.g. {@code "myindex/mycollection"}.
     */
    public String index()
    {
        return index;
    }

    /**
     * @return the canonical text of the normal form (the hashed part of the id).
     */
    public String canonical()
    {
        return dnf.canonical();
    }

    Dnf dnf()
    {
        return dnf;
    }

    public String toString()
    {
        return id + ' ' + index + ' ' + dnf.canonical();
    }
}
