package io.stockflow.engine;

import io.stockflow.journal.JournalRollCycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Records the settings of the engine's current run in {@code engine.properties}
 * in the engine directory: durability and the like are chosen per run, so the
 * journal cannot tell them, and {@code stockflow info} shows them from here.
 * Written once at start, atomically (temporary file, then rename).
 */
final class EngineRunRecord
{
    /** The file's name inside the engine directory. */
    static final String FILE_NAME = "engine.properties";

    private EngineRunRecord()
    {
    }

    static void write(final Path directory, final EngineConfig config, final JournalRollCycle rollCycle)
    {
        final String text = "# Settings of the engine's most recent run, written at its start.\n"
            + "started=" + Instant.now() + "\n"
            + "pid=" + ProcessHandle.current().pid() + "\n"
            + "durability=" + config.durability() + "\n"
            + "rollCycle=" + rollCycle + "\n"
            + "ringSize=" + config.ringSize() + "\n"
            + "logicFailurePolicy=" + config.logicFailurePolicy() + "\n"
            + "snapshotEveryEvents=" + config.snapshotEveryEvents() + "\n"
            + "counters=" + config.counters() + "\n";
        final Path target = directory.resolve(FILE_NAME);
        final Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try
        {
            Files.write(temporary, text.getBytes(StandardCharsets.UTF_8));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
