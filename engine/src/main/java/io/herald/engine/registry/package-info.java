/**
 * The subscription registry a node holds: rooms (one per index, collection and normalized filter; room id = filter
 * id), channels (one per scope/users setting in a room) and the connections in them, with the filter engine that
 * tells which rooms a published document matches. Applied in cluster log order on every node, so deterministic.
 */
package io.herald.engine.registry;
