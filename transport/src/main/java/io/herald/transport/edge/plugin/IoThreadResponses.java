package io.herald.transport.edge.plugin;

import io.herald.engine.kuzzle.ResponseWriter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The response writer the protocol handlers use for the errors they answer themselves, one per I/O thread: a
 * handler lives on one event loop, and a writer (with its buffer) per connection would cost every idle connection
 * about half a kilobyte per handler.
 */
public final class IoThreadResponses
{
    private static final FastThreadLocal<ResponseWriter> WRITERS = new FastThreadLocal<>()
    {
        protected ResponseWriter initialValue()
        {
            return new ResponseWriter();
        }
    };

    private IoThreadResponses()
    {
    }

    /**
     * @return the calling thread's writer; its result is valid until the thread's next write.
     */
    public static ResponseWriter writer()
    {
        return WRITERS.get();
    }
}
