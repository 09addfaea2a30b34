package io.stockflow.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Where the history in a journal directory starts once cycle files were archived or deleted:
 * {@code stockflow-history.properties} in the journal directory. Without it a journal must start at
 * sequence 1 (or its parameters record, 0); with it, readers and start-up accept a journal whose
 * oldest record is at or before {@link #firstSequence()} and can name the archive holding the rest.
 *
 * <p>Written atomically and durably before any cycle file leaves the journal directory, so the
 * directory never holds less history than the file says.
 *
 * @param journalId      identity of this journal, also written into its archive's marker, so an
 *                       archive directory is never mixed with another journal's cycles
 * @param firstSequence  the first sequence still in the journal directory
 * @param archive        the archive directory holding the earlier cycles, or null if they were deleted
 * @param archivedCycles cycle files archived or deleted so far
 * @param archivedBytes  their bytes on disk
 */
public record JournalHistory(String journalId, long firstSequence, Path archive, long archivedCycles,
    long archivedBytes)
{
    /** Name of the file inside the journal directory. */
    public static final String FILE_NAME = "stockflow-history.properties";

    /**
     * @param directory the journal directory
     * @return its history record, or empty when nothing was ever archived
     * @throws JournalException if the file exists but cannot be read
     */
    public static Optional<JournalHistory> read(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return Optional.empty();
        }
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try
        {
            final String archive = properties.getProperty("archive", "");
            return Optional.of(new JournalHistory(properties.getProperty("journalId"),
                Long.parseLong(properties.getProperty("firstSequence")),
                archive.isEmpty() ? null : Path.of(archive),
                Long.parseLong(properties.getProperty("archivedCycles", "0")),
                Long.parseLong(properties.getProperty("archivedBytes", "0"))));
        }
        catch (final RuntimeException e)
        {
            throw new JournalException("malformed " + file + ": " + properties, e);
        }
    }

    /** @return a new identity for a journal archived for the first time */
    static String newJournalId()
    {
        return UUID.randomUUID().toString();
    }

    /**
     * Replaces the record atomically and durably.
     *
     * @param directory the journal directory
     * @throws JournalException if it cannot be written
     */
    void write(final Path directory)
    {
        final Properties properties = new Properties();
        properties.setProperty("journalId", journalId);
        properties.setProperty("firstSequence", Long.toString(firstSequence));
        properties.setProperty("archive", archive == null ? "" : archive.toString());
        properties.setProperty("archivedCycles", Long.toString(archivedCycles));
        properties.setProperty("archivedBytes", Long.toString(archivedBytes));
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            properties.store(text, "Stockflow journal history: where the records in this directory start");
            FileDurability.writeAtomically(file, text.toByteArray());
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails when the journal directory holds less history than it should: its oldest record is
     * later than the one the history record names (sequence 1 without one), because cycle files
     * were removed by hand.
     *
     * @param directory     the journal directory
     * @param oldestPresent the sequence of the oldest record in it, -1 if none
     * @throws JournalHistoryMissingException naming the missing range
     */
    public static void requirePresent(final Path directory, final long oldestPresent)
    {
        final Optional<JournalHistory> history = read(directory);
        if (oldestPresent > 0 && !accepts(history, oldestPresent))
        {
            throw new JournalHistoryMissingException(directory, history.map(JournalHistory::firstSequence).orElse(1L),
                oldestPresent - 1, null, false);
        }
    }

    /**
     * @param oldestPresent the sequence of the oldest record in the journal directory
     * @return whether the directory holds at least the history this record promises (1 without one)
     */
    static boolean accepts(final Optional<JournalHistory> history, final long oldestPresent)
    {
        return oldestPresent <= history.map(JournalHistory::firstSequence).orElse(1L);
    }
}
