package io.herald.transport.edge.plugin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.transport.edge.plugin.ConnectionWriter;
import io.herald.transport.edge.plugin.SharedHttpPort;

import java.io.IOException;

/**
 * How a Kuzzle answer goes out over HTTP: as the body of the response to the request, its status as the HTTP status.
 */
final class HttpResponses
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConnectionWriter KEEP_ALIVE = (channel, json) ->
        SharedHttpPort.writeJson(channel, statusOf(json), json, true);
    private static final ConnectionWriter CLOSE = (channel, json) ->
        SharedHttpPort.writeJson(channel, statusOf(json), json, false);

    private HttpResponses()
    {
    }

    static ConnectionWriter writer(final boolean keepAlive)
    {
        return keepAlive ? KEEP_ALIVE : CLOSE;
    }

    private static int statusOf(final byte[] response)
    {
        try
        {
            return JSON.readTree(response).path("status").asInt(200);
        }
        catch (final IOException ex)
        {
            return 500;
        }
    }
}
