package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;

/**
 * Writes Kuzzle responses: {@code {"requestId","status","error","controller","action","index","collection",
 * "volatile","result","room"}}, where {@code room} is the request id — the SDK routes every message by room only,
 * errors included.
 * <p>
 * Not thread-safe: one writer per thread, its generator and buffer reused ({@link JsonScratch}).
 */
public final class ResponseWriter
{
    private final JsonScratch scratch = new JsonScratch();
    private AtomicCounter ok;
    private AtomicCounter clientErrors;
    private AtomicCounter serverErrors;
    private AtomicCounter alsoCounted;

    /**
     * Counts the responses written from now on by status class (2xx and 3xx as ok, 4xx, 5xx).
     *
     * @return this.
     */
    public ResponseWriter countInto(
        final AtomicCounter ok, final AtomicCounter clientErrors, final AtomicCounter serverErrors)
    {
        this.ok = ok;
        this.clientErrors = clientErrors;
        this.serverErrors = serverErrors;
        return this;
    }

    /**
     * @param counter counts every response written from now on as well (with {@link #countInto}).
     * @return this.
     */
    public ResponseWriter alsoCountInto(final AtomicCounter counter)
    {
        this.alsoCounted = counter;
        return this;
    }

    /**
     * @param result the result, already JSON (a node tree).
     * @return the response frame, UTF-8.
     */
    public byte[] success(final KuzzleRequest request, final JsonNode result)
    {
        return write(request.requestId(), request, 200, null, null, result);
    }

    /**
     * @param requestId the request id when the request itself could not be read, else null to take the request's.
     * @param request   the request, or null when the frame was not a request.
     */
    public byte[] error(final String requestId, final KuzzleRequest request, final KuzzleException error)
    {
        final String id = null != requestId ? requestId : null == request ? null : request.requestId();
        return write(id, request, error.error().status(), error.error(), error.getMessage(), null);
    }

    /**
     * An error that arrived already identified (from a node): id, status and message as given.
     */
    public byte[] error(final KuzzleRequest request, final String errorId, final int status, final String message)
    {
        final KuzzleError known = KuzzleError.byId(errorId);
        return write(request.requestId(), request, status, errorId, null == known ? 0 : known.code(), message, null);
    }

    private byte[] write(
        final String requestId, final KuzzleRequest request, final int status, final KuzzleError error,
        final String message, final JsonNode result)
    {
        return null == error ? write(requestId, request, status, null, 0, message, result) :
            write(requestId, request, status, error.id(), error.code(), message, result);
    }

    private byte[] write(
        final String requestId, final KuzzleRequest request, final int status, final String errorId,
        final int errorCode, final String message, final JsonNode result)
    {
        if (null != ok)
        {
            (status < 400 ? ok : status < 500 ? clientErrors : serverErrors).increment();
            if (null != alsoCounted)
            {
                alsoCounted.increment();
            }
        }
        try
        {
            final JsonGenerator json = scratch.begin();
            json.writeStartObject();
            json.writeStringField("requestId", requestId);
            json.writeNumberField("status", status);
            if (null == errorId)
            {
                json.writeNullField("error");
            }
            else
            {
                json.writeObjectFieldStart("error");
                json.writeStringField("id", errorId);
                json.writeNumberField("code", errorCode);
                json.writeStringField("message", message);
                json.writeNumberField("status", status);
                json.writeEndObject();
            }
            json.writeStringField("controller", null == request ? null : request.controller());
            json.writeStringField("action", null == request ? null : request.action());
            json.writeStringField("index", null == request ? null : request.index());
            json.writeStringField("collection", null == request ? null : request.collection());
            json.writeFieldName("volatile");
            scratch.writeTree(json, null == request ? null : request.volatileData());
            json.writeFieldName("result");
            scratch.writeTree(json, result);
            json.writeStringField("room", requestId);
            json.writeEndObject();
            return scratch.bytes(0);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw scratch.failed(ex);
        }
    }
}
