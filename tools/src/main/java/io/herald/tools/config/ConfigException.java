package io.herald.tools.config;

/**
 * A configuration that cannot be used; the message names the file and the key.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }
}
