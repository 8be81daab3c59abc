package io.herald.transport.edge.plugin;

import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.kuzzle.ResponseWriter;
import io.herald.transport.Counters;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The response writers the protocol handlers use for the answers they give themselves (an unreadable request, a
 * refused handshake, an HTTP deadline), one per I/O thread: a handler lives on one event loop, and a writer (with its
 * buffer) per connection would cost every idle connection about half a kilobyte per handler. Each answer written
 * counts in {@code herald_answers_total} by status class and in {@code herald_plugin_answers_total}.
 */
public final class IoThreadResponses
{
    private final FastThreadLocal<ResponseWriter> writers;

    /**
     * @param counters the edge's counters.
     */
    public IoThreadResponses(final Counters counters)
    {
        writers = new FastThreadLocal<>()
        {
            protected ResponseWriter initialValue()
            {
                return new ResponseWriter()
                    .countInto(counters.get(HeraldCounter.ANSWERS_OK), counters.get(HeraldCounter.ANSWERS_CLIENT_ERROR),
                        counters.get(HeraldCounter.ANSWERS_SERVER_ERROR))
                    .alsoCountInto(counters.get(HeraldCounter.PLUGIN_ANSWERS));
            }
        };
    }

    /**
     * @return the calling thread's writer; its result is valid until the thread's next write.
     */
    public ResponseWriter writer()
    {
        return writers.get();
    }
}
