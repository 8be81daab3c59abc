/**
 * What an edge decides without I/O: the Kuzzle controller/action dispatch, answered by the edge or sent to the nodes
 * ({@link io.herald.engine.edge.RequestDispatcher}); the requests waiting for a node, their timeouts and the read
 * failover ({@link io.herald.engine.edge.NodeRequests}, with {@link io.herald.engine.edge.ReadDeadline}); what the
 * nodes said about themselves ({@link io.herald.engine.edge.NodeStatuses}); which node's copy of another edge's
 * publish to deliver ({@link io.herald.engine.edge.FirstSenders}). The links to the nodes are an interface
 * ({@link io.herald.engine.edge.NodeLinks}, over Aeron in {@code transport.edge}); times come from injected clocks.
 */
package io.herald.engine.edge;
