/**
 * What an edge decides without I/O: when a read has waited too long for a node ({@link
 * io.herald.engine.edge.ReadDeadline}), which node's copy of another edge's publish to deliver ({@link
 * io.herald.engine.edge.FirstSenders}). Times come from the caller.
 */
package io.herald.engine.edge;
