package io.herald.engine.filter;

/**
 * Receives what an operand index found true for the document being matched.
 */
interface HitSink
{
    /**
     * @param condition slot of a condition that holds for the current document (may be reported twice).
     */
    void hit(int condition);

    /**
     * Filters matched through pure conditions (see {@link #pureFilter}) that held, each reported once per match.
     */
    void matchedFilters(int[] filters, int from, int to);

    /**
     * @return the one filter a condition leads to when that filter is that condition alone and nothing else uses
     * the condition, else -1. Such a filter can be reported by {@link #matchedFilters} without bookkeeping.
     */
    int pureFilter(int condition);
}
