package io.herald.tools;

import io.herald.tools.config.HeraldConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The options every server role takes: a config file, overrides, a data directory.
 */
final class ConfigOptions
{
    @Option(names = "--config", description = "Config file (default: config/shared-host.properties if present).")
    Path config;

    @Option(names = "--set", description = "Override a setting, e.g. --set edge.port=8000 (repeatable).")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    File data = new File("herald-data");

    /**
     * @throws io.herald.tools.config.ConfigException naming the file and key at fault.
     */
    HeraldConfig load()
    {
        if (null != config)
        {
            return HeraldConfig.load(config, overrides);
        }
        final Path profile = Path.of("config", "shared-host.properties");
        return profile.toFile().isFile() ? HeraldConfig.load(profile, overrides) :
            HeraldConfig.of(new Properties(), "defaults", overrides);
    }
}
