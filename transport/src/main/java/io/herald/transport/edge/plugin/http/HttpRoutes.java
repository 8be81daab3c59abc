package io.herald.transport.edge.plugin.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;

/**
 * Kuzzle's HTTP routes that Herald serves, in one table: the HTTP plugin matches requests against it, and
 * {@code server:publicApi} ({@code GET /_publicApi}, which kuzzle-sdk's Http protocol asks first) describes it.
 * Placeholders {@code :index} and {@code :collection} take one path segment each.
 */
final class HttpRoutes
{
    /**
     * One route.
     *
     * @param verb   GET or POST.
     * @param url    the path, with placeholders.
     * @param body   the request body is the Kuzzle request's body.
     */
    record Route(HttpMethod verb, String url, String controller, String action, boolean body)
    {
        /**
         * @return true when the path matches; placeholders' values are put in {@code request}.
         */
        boolean matches(final HttpMethod method, final String[] parts, final ObjectNode request)
        {
            final String[] pattern = segments(url);
            if (!verb.equals(method) || pattern.length != parts.length)
            {
                return false;
            }
            for (int i = 0; i < pattern.length; i++)
            {
                if (!pattern[i].startsWith(":") && !pattern[i].equals(parts[i]))
                {
                    return false;
                }
            }
            for (int i = 0; i < pattern.length; i++)
            {
                if (pattern[i].startsWith(":"))
                {
                    request.put(pattern[i].substring(1), parts[i]);
                }
            }
            request.put("controller", controller).put("action", action);
            return true;
        }
    }

    static final List<Route> ROUTES = List.of(
        new Route(HttpMethod.GET, "/_now", "server", "now", false),
        new Route(HttpMethod.GET, "/", "server", "info", false),
        new Route(HttpMethod.GET, "/_serverInfo", "server", "info", false),
        new Route(HttpMethod.GET, "/_publicApi", "server", "publicApi", false),
        new Route(HttpMethod.POST, "/_checkToken", "auth", "checkToken", true),
        new Route(HttpMethod.GET, "/_listSubscriptions", "realtime", "list", false),
        new Route(HttpMethod.GET, "/_cluster/status", "cluster", "status", false),
        new Route(HttpMethod.POST, "/:index/:collection/_publish", "realtime", "publish", true));

    private HttpRoutes()
    {
    }

    /**
     * @return a path's segments ({@code "/"} has one empty segment).
     */
    static String[] segments(final String path)
    {
        return path.replaceAll("^/+|/+$", "").split("/");
    }

    /**
     * Adds every route to Kuzzle's {@code server:publicApi} answer: controller → action → {@code {http: [{verb,
     * url}]}}.
     */
    static void describe(final ObjectNode api)
    {
        for (final Route route : ROUTES)
        {
            final ObjectNode action = api.withObjectProperty(route.controller()).withObjectProperty(route.action());
            action.withArrayProperty("http").addObject().put("verb", route.verb().name()).put("url", route.url());
        }
    }
}
