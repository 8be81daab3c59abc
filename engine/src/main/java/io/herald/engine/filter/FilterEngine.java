package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Koncorde-compatible filter engine: validates and normalizes filters of the Koncorde 4 DSL, gives each a
 * deterministic id, stores them per index ({@code index/collection}) with reference counting, and tells which
 * filters of an index a document matches.
 * <p>
 * Matching uses indexes (hash maps for equals/in/ids/exists, a segment tree for range, a hierarchical grid for
 * geo shapes, per-field pattern sets for regexp) and a counting scheme over the normalized AND terms, so its cost
 * grows with the conditions a document makes true, not with the number of filters.
 * <p>
 * Not thread-safe: an engine belongs to one thread (a node's service thread).
 */
public final class FilterEngine
{
    private static final int MISSING = -1;

    private final FilterParser parser;
    private final Normalizer normalizer;
    private final FilterIds ids;
    private final Map<String, FilterIndex> indexes = new HashMap<>();
    private final Map<String, Integer> slotById = new HashMap<>();
    private final Map<String, String> indexById = new HashMap<>();
    private String lastIndexName;
    private FilterIndex lastIndex;
    private final Document treeDocument = new Document();

    public FilterEngine()
    {
        this(new FilterEngineContext());
    }

    public FilterEngine(final FilterEngineContext context)
    {
        context.conclude();
        normalizer = new Normalizer(context.maxConditions(), context.maxConjunctions());
        parser = new FilterParser(normalizer, new ConditionFactory());
        ids = new FilterIds(context.seedBytes());
    }

    /**
     * Checks a filter without storing it.
     *
     * @param filter a filter, null or {@code {}} for "everything".
     * @throws FilterException naming the faulty keyword and path.
     */
    public void validate(final JsonNode filter)
    {
        normalizer.normalize(parser.parse(filter));
    }

    /**
     * Validates and normalizes a filter, and computes its id, without storing it.
     *
     * @param index  the index it belongs to, e.g. {@code "myindex/mycollection"}.
     * @param filter a filter, null or {@code {}} for "everything".
     * @return the normalized filter.
     * @throws FilterException naming the faulty keyword and path.
     */
    public NormalizedFilter normalize(final String index, final JsonNode filter)
    {
        final Dnf dnf = normalizer.normalize(parser.parse(filter));
        return new NormalizedFilter(ids.id(index, dnf.canonical()), index, dnf);
    }

    /**
     * Stores a normalized filter, or adds a reference to it if it is already stored.
     *
     * @return its id.
     */
    public String store(final NormalizedFilter filter)
    {
        final FilterIndex index = indexes.computeIfAbsent(filter.index(), (name) -> new FilterIndex());
        lastIndexName = null;
        lastIndex = null;
        final Integer existing = slotById.get(filter.id());
        final int slot = index.store(filter, null == existing ? MISSING : existing);
        if (null == existing)
        {
            slotById.put(filter.id(), slot);
            indexById.put(filter.id(), filter.index());
        }
        return filter.id();
    }

    /**
     * {@link #normalize} then {@link #store}.
     */
    public String register(final String index, final JsonNode filter)
    {
        return store(normalize(index, filter));
    }

    /**
     * Drops one reference to a filter; the filter is removed with its last reference.
     *
     * @return true when the filter is gone, false when references remain or the id is unknown.
     */
    public boolean remove(final String filterId)
    {
        final Integer slot = slotById.get(filterId);
        if (null == slot)
        {
            return false;
        }
        final String indexName = indexById.get(filterId);
        final FilterIndex index = indexes.get(indexName);
        if (!index.remove(slot))
        {
            return false;
        }
        slotById.remove(filterId);
        indexById.remove(filterId);
        if (index.filterCount() == 0)
        {
            indexes.remove(indexName);
        }
        lastIndexName = null;
        lastIndex = null;
        return true;
    }

    /**
     * Finds the filters of an index that a document matches.
     *
     * @param index    the index, e.g. {@code "myindex/mycollection"}.
     * @param document the document (its {@code _id}, if any, at top level).
     * @param matches  receives the matching filters; cleared first.
     */
    public void match(final String index, final JsonNode document, final Matches matches)
    {
        treeDocument.parse(document);
        match(index, treeDocument, matches);
    }

    /**
     * Finds the filters of an index that a document matches: the path of published documents, which allocates
     * nothing.
     *
     * @param index    the index, e.g. {@code "myindex/mycollection"}.
     * @param document the document, read by {@link Document#parse}.
     * @param matches  receives the matching filters; cleared first.
     */
    public void match(final String index, final Document document, final Matches matches)
    {
        final FilterIndex filters;
        if (index == lastIndexName)
        {
            filters = lastIndex;
        }
        else
        {
            filters = indexes.get(index);
            lastIndexName = index;
            lastIndex = filters;
        }
        matches.reset(filters);
        if (null != filters)
        {
            filters.match(document, matches.slots);
        }
    }

    public boolean hasFilter(final String filterId)
    {
        return slotById.containsKey(filterId);
    }

    /**
     * @return the indexes holding at least one filter.
     */
    public Set<String> indexes()
    {
        return Collections.unmodifiableSet(indexes.keySet());
    }

    /**
     * @return the number of distinct filters stored.
     */
    public int filterCount()
    {
        return slotById.size();
    }
}
