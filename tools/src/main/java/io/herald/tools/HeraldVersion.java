package io.herald.tools;

import picocli.CommandLine;

/**
 * Version from the jar manifest, or "development" when run from classes.
 */
public final class HeraldVersion implements CommandLine.IVersionProvider
{
    public String[] getVersion()
    {
        final String version = HeraldVersion.class.getPackage().getImplementationVersion();
        return new String[] { "herald " + (null == version ? "development" : version) };
    }
}
