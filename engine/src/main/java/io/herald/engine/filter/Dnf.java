package io.herald.engine.filter;

import java.util.List;

/**
 * A filter in disjunctive normal form: an OR of conjunctions (ANDs of literals), each conjunction sorted by
 * literal key and the conjunctions sorted by their text, so that equivalent filters differing only in the order
 * of their operands share one canonical text. No conjunction means nothing matches; one empty conjunction
 * means everything matches.
 *
 * @param conjunctions the terms.
 * @param texts        the canonical text of each term, in the same order.
 * @param canonical    the canonical text, hashed into the filter id.
 */
record Dnf(List<List<Literal>> conjunctions, List<String> texts, String canonical)
{
    boolean matchesNothing()
    {
        return conjunctions.isEmpty();
    }

    boolean matchesEverything()
    {
        return conjunctions.size() == 1 && conjunctions.get(0).isEmpty();
    }
}
