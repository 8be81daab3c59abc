/**
 * A node's replicated state as a deterministic state machine ({@link io.herald.engine.node.NodeState}): writes of
 * the cluster log applied in order, their outcomes told to an effects interface the transport turns into messages.
 */
package io.herald.engine.node;
