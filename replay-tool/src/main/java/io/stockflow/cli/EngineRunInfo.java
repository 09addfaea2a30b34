package io.stockflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Reads {@code engine.properties}, where the engine records the settings of its
 * last run (durability is chosen per run, so the journal itself cannot say).
 */
final class EngineRunInfo
{
    private EngineRunInfo()
    {
    }

    static String read(final Path engineDirectory)
    {
        final Path file = engineDirectory.resolve("engine.properties");
        if (!Files.exists(file))
        {
            return "unknown (no engine.properties: chosen per run)";
        }
        final Properties properties = new Properties();
        try (java.io.Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException e)
        {
            return "unknown (" + e.getMessage() + ")";
        }
        return properties.getProperty("durability", "unknown") + " (last run, started "
            + properties.getProperty("started", "?") + ")";
    }
}
