package io.herald.engine.filter;

/**
 * Bytes that are not one JSON value, given to {@link Document#parse}.
 */
public final class DocumentException extends RuntimeException
{
    public DocumentException(final String message)
    {
        super(message, null, false, false);
    }
}
