/**
 * The Kuzzle 2 API as the official SDKs speak it: requests, responses routed by room (the request id), the error
 * catalog, and document notifications serialized once per publish. Shared by the edge's protocol plugins.
 */
package io.herald.engine.kuzzle;
