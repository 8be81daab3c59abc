package io.herald.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with Herald's JVM flags (from the parent pom,
 * filtered into {@code herald-jvm.options}) appended to every fork unless {@code -jvmArgsAppend} is given.
 */
public final class BenchmarkRunner
{
    private BenchmarkRunner()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        if (!jmhArgs.contains("-jvmArgsAppend"))
        {
            jmhArgs.add("-jvmArgsAppend");
            jmhArgs.add(jvmFlags());
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
    }

    static String jvmFlags() throws IOException
    {
        try (InputStream in = BenchmarkRunner.class.getResourceAsStream("/herald-jvm.options"))
        {
            return null == in ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
