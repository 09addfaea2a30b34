package io.stockflow.engine;

import io.stockflow.journal.FileDurability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * What belongs with an engine directory for as long as it exists, recorded once when the
 * directory is created, in {@code engine-directory.properties}: the {@link LogicFailurePolicy},
 * and that the journal begins with a {@link ParametersRecord} (with the parameters it holds).
 * Whether an event on which the rules threw stopped the engine
 * or was recorded and passed over is part of what the journal means, so every replay
 * outside the engine ({@code stockflow state}, {@code replay}, {@code verify}, the
 * recovery benchmark) must apply the policy the directory was written under, not one of
 * its own. (The run settings in {@link EngineRunRecord} change per run; this does not.)
 *
 * <p>The parameters record is the journal's only copy of the rule parameters it was created
 * with, and a journal that lost it (its first cycle file removed, or archived and read without
 * the archive) still starts at sequence 1, like a journal written before parameters existed.
 * Recorded here, outside the journal, the promise lets every replay from the start tell the
 * two apart ({@link JournalOrigin}) and refuse the first instead of replaying it under 0, 0, 0.
 *
 * <p>A directory created before this record existed has none, and reads as
 * {@link LogicFailurePolicy#HALT}, the only policy such directories were replayed with. One
 * created before the parameters key existed has no key and keeps the old reading: its journal
 * is replayed under its parameters record if that is its first record, under 0, 0, 0 if not.
 */
public final class EngineDirectoryRecord
{
    /** The file's name inside the engine directory. */
    public static final String FILE_NAME = "engine-directory.properties";
    private static final String POLICY_KEY = "logicFailurePolicy";
    private static final String PARAMETERS_RECORD_KEY = "parametersRecord";
    private static final String RETENTION_KEY = "retentionMs";
    private static final String ORDER_CAPACITY_KEY = "orderCapacity";
    private static final String SKU_CAPACITY_KEY = "skuCapacity";

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
        // The engine writes the parameters record right after this file, before any command.
        properties.setProperty(PARAMETERS_RECORD_KEY, "true");
        properties.setProperty(RETENTION_KEY, Long.toString(config.retentionMs()));
        properties.setProperty(ORDER_CAPACITY_KEY, Long.toString(config.orderCapacity()));
        properties.setProperty(SKU_CAPACITY_KEY, Long.toString(config.skuCapacity()));
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
        final Properties properties = read(file);
        if (properties == null)
        {
            return LogicFailurePolicy.HALT;
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

    /**
     * @param engineDirectory an engine directory (holding {@code journal/}).
     * @return the parameters its journal's parameters record was written with, when the directory
     *         was created with one ({@code parametersRecord=true}); empty for a directory created
     *         before that key existed, or without a record at all.
     * @throws MalformedEngineDirectoryException if the key or a parameter cannot be read.
     */
    public static Optional<RecordedParameters> parametersRecordWritten(final Path engineDirectory)
    {
        final Path file = engineDirectory.resolve(FILE_NAME);
        final Properties properties = read(file);
        if (properties == null || !properties.containsKey(PARAMETERS_RECORD_KEY))
        {
            return Optional.empty();
        }
        final String written = properties.getProperty(PARAMETERS_RECORD_KEY);
        if (!"true".equals(written))
        {
            throw new MalformedEngineDirectoryException(file, PARAMETERS_RECORD_KEY + "=" + written
                + " is not true; this engine writes true or no key (a directory created before the key existed)");
        }
        return Optional.of(new RecordedParameters(parameter(file, properties, RETENTION_KEY),
            parameter(file, properties, ORDER_CAPACITY_KEY), parameter(file, properties, SKU_CAPACITY_KEY)));
    }

    /**
     * The rule parameters a directory's journal's parameters record was written with, as recorded
     * beside it: what the operator can compare with a restored first cycle file.
     *
     * @param retentionMs   the retention.
     * @param orderCapacity the order capacity.
     * @param skuCapacity   the SKU capacity.
     */
    public record RecordedParameters(long retentionMs, long orderCapacity, long skuCapacity)
    {}

    private static long parameter(final Path file, final Properties properties, final String key)
    {
        final String value = properties.getProperty(key, "");
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw new MalformedEngineDirectoryException(file, key + "=" + value + " is not a number; "
                + PARAMETERS_RECORD_KEY + "=true comes with the three parameters the directory was created with");
        }
    }

    /** @return the file's properties, or null when it does not exist. */
    private static Properties read(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            return null;
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
        return properties;
    }
}
