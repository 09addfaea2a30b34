package io.stockflow.engine;

import io.stockflow.journal.FileDurability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * What belongs with an engine directory for as long as it exists, recorded once when the
 * directory is created, in {@code engine-directory.properties}: today the
 * {@link LogicFailurePolicy}. Whether an event on which the rules threw stopped the engine
 * or was recorded and passed over is part of what the journal means, so every replay
 * outside the engine ({@code stockflow state}, {@code replay}, {@code verify}, the
 * recovery benchmark) must apply the policy the directory was written under, not one of
 * its own. (The run settings in {@link EngineRunRecord} change per run; this does not.)
 *
 * <p>A directory created before this record existed has none, and reads as
 * {@link LogicFailurePolicy#HALT}, the only policy such directories were replayed with.
 */
public final class EngineDirectoryRecord
{
    /** The file's name inside the engine directory. */
    public static final String FILE_NAME = "engine-directory.properties";
    private static final String POLICY_KEY = "logicFailurePolicy";

    private EngineDirectoryRecord()
    {
    }

    /**
     * Writes the record of a directory whose journal does not exist yet, that is one being
     * created now; leaves any other directory as it is. Called by the engine at start,
     * before it opens the journal.
     *
     * @param config the configuration the directory is created with.
     */
    static void writeIfNew(final EngineConfig config)
    {
        final Path target = config.directory().resolve(FILE_NAME);
        if (Files.exists(config.journalDirectory()) || Files.exists(target))
        {
            return;
        }
        final Properties properties = new Properties();
        properties.setProperty(POLICY_KEY, config.logicFailurePolicy().name());
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            properties.store(out, "Recorded when this engine directory was created; do not edit");
            // Forced before the journal exists: a power cut must never leave the rename on the
            // device without the content (an empty record), which every later replay reads.
            FileDurability.writeAtomically(target, out.toByteArray());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param engineDirectory an engine directory (holding {@code journal/}).
     * @return the failure policy it was created with; {@link LogicFailurePolicy#HALT} when it
     *         has no record (created before records were kept).
     * @throws MalformedEngineDirectoryException if the record exists but names no known policy.
     */
    public static LogicFailurePolicy logicFailurePolicy(final Path engineDirectory)
    {
        final Path file = engineDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return LogicFailurePolicy.HALT;
        }
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        final String policy = properties.getProperty(POLICY_KEY, "");
        for (final LogicFailurePolicy known : LogicFailurePolicy.values())
        {
            if (known.name().equals(policy))
            {
                return known;
            }
        }
        throw new MalformedEngineDirectoryException(file, POLICY_KEY + "=" + policy + " names none of "
            + Arrays.toString(LogicFailurePolicy.values()) + "; a file damaged by hand or by a power cut before"
            + " this engine forced it can be rewritten with the policy the directory was created with");
    }
}
