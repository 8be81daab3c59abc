package io.herald.engine.filter;

/**
 * Receives the conditions an operand index found true for the document being matched.
 */
interface HitSink
{
    /**
     * @param condition slot of a condition that holds for the current document (may be reported twice).
     */
    void hit(int condition);
}
