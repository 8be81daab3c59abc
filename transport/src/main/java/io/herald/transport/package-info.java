/**
 * I/O adapters around the engine: the Netty server and its protocol plugins (WebSocket, HTTP, MQTT), the Aeron
 * media driver, cluster and channel wiring, and the Adapters and Publishers around each SBE stream.
 */
package io.herald.transport;
