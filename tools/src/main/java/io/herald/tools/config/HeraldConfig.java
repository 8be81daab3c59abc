package io.herald.tools.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A process's configuration: a properties file (a shipped profile or the user's), overrides on top, defaults for
 * the rest. Unknown keys and values that do not fit fail at load, naming the file and the key, so a typo never
 * silently falls back to a default. Cross-setting rules (e.g. the election timeout below the heartbeat timeout) are
 * checked too.
 */
public final class HeraldConfig
{
    /** Keys under this prefix belong to protocol plugins and pass through unchecked. */
    public static final String PLUGIN_PREFIX = "plugin.";

    private final Map<String, Object> values;

    private HeraldConfig(final Map<String, Object> values)
    {
        this.values = values;
    }

    /**
     * @return the configuration of the defaults alone.
     */
    public static HeraldConfig defaults()
    {
        return of(new Properties(), "defaults", Map.of());
    }

    /**
     * @param file      a properties file.
     * @param overrides settings given on the command line, applied over the file.
     * @throws ConfigException when the file cannot be read, or a key or value is not accepted.
     */
    public static HeraldConfig load(final Path file, final Map<String, String> overrides)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("cannot read config file " + file + ": " + ex.getMessage());
        }
        return of(properties, file.toString(), overrides);
    }

    public static HeraldConfig of(final Properties file, final String source, final Map<String, String> overrides)
    {
        final Map<String, Object> values = new HashMap<>();
        for (final String key : new TreeSet<>(file.stringPropertyNames()))
        {
            values.put(key, parse(key, file.getProperty(key), source));
        }
        for (final Map.Entry<String, String> entry : overrides.entrySet())
        {
            values.put(entry.getKey(), parse(entry.getKey(), entry.getValue(), "override"));
        }
        for (final Setting<?> setting : HeraldSettings.all().values())
        {
            values.computeIfAbsent(setting.key(), (key) -> setting.parse(setting.defaultText(), "default"));
        }
        final HeraldConfig config = new HeraldConfig(values);
        config.checkRules(source);
        return config;
    }

    /**
     * @param overrides settings to change.
     * @return this configuration with the overrides applied (checked like a file's).
     */
    public HeraldConfig with(final Map<String, String> overrides)
    {
        final Map<String, Object> changed = new HashMap<>(values);
        for (final Map.Entry<String, String> entry : overrides.entrySet())
        {
            changed.put(entry.getKey(), parse(entry.getKey(), entry.getValue(), "override"));
        }
        final HeraldConfig config = new HeraldConfig(changed);
        config.checkRules("override");
        return config;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(final Setting<T> setting)
    {
        return (T)values.get(setting.key());
    }

    /**
     * Settings of protocol plugins ({@code plugin.<name>.<key>}) are the plugins' to check: kept as text.
     */
    private static Object parse(final String key, final String text, final String source)
    {
        return key.startsWith(PLUGIN_PREFIX) ? text : known(key, source).parse(text, source);
    }

    /**
     * @return the settings meant for protocol plugins ({@code plugin.<name>.<key>}), as text.
     */
    public Map<String, String> pluginSettings()
    {
        final Map<String, String> plugins = new HashMap<>();
        values.forEach((key, value) ->
        {
            if (key.startsWith(PLUGIN_PREFIX))
            {
                plugins.put(key, (String)value);
            }
        });
        return plugins;
    }

    private static Setting<?> known(final String key, final String source)
    {
        final Setting<?> setting = HeraldSettings.all().get(key);
        if (null == setting)
        {
            throw new ConfigException(source + ": unknown setting '" + key + "'" + suggestion(key) +
                "; known settings: " + String.join(", ", HeraldSettings.all().keySet()));
        }
        return setting;
    }

    private static String suggestion(final String key)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : HeraldSettings.all().keySet())
        {
            final int distance = distance(key, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }

    private void checkRules(final String source)
    {
        if (get(HeraldSettings.NODE_ID) >= get(HeraldSettings.CLUSTER_MEMBERS).size())
        {
            throw new ConfigException(source + ": setting '" + HeraldSettings.NODE_ID.key() + "' is " +
                get(HeraldSettings.NODE_ID) + " but '" + HeraldSettings.CLUSTER_MEMBERS.key() + "' lists " +
                get(HeraldSettings.CLUSTER_MEMBERS).size() + " node(s), ids from 0");
        }
        final long timeout = get(HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT);
        final long interval = get(HeraldSettings.CLUSTER_HEARTBEAT_INTERVAL);
        final long election = get(HeraldSettings.CLUSTER_ELECTION_TIMEOUT);
        if (interval * 2 > timeout)
        {
            throw new ConfigException(source + ": setting '" + HeraldSettings.CLUSTER_HEARTBEAT_INTERVAL.key() +
                "' must be at most half of '" + HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT.key() + "'");
        }
        if (election >= timeout)
        {
            throw new ConfigException(source + ": setting '" + HeraldSettings.CLUSTER_ELECTION_TIMEOUT.key() +
                "' must be below '" + HeraldSettings.CLUSTER_HEARTBEAT_TIMEOUT.key() + "'");
        }
    }
}
