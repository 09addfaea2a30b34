package io.stockflow.journal.internal;

import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.Durability;
import io.stockflow.journal.FileDurability;
import io.stockflow.journal.JournalException;
import io.stockflow.journal.JournalNotFoundException;
import io.stockflow.journal.JournalRollCycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The journal's own metadata file, {@code stockflow-journal.properties}: the record format version
 * and the roll cycle the journal was created with. Chronicle keeps a roll cycle too, but silently
 * adopts it over the configured one; this file lets {@code open} refuse a mismatch instead.
 *
 * <p>It also records the durability level of the last writer that opened the journal, so the next
 * open knows what a power cut can have left: under {@code OS_CRASH} nothing past the last commit
 * was acknowledged, so lost pages there are a torn tail ({@code PowerCutTail}); under
 * {@code PROCESS_CRASH} a lost page may have held acknowledged records, and start-up stops at it.
 *
 * @param formatVersion    record format version the journal was created with
 * @param rollCycle        roll cycle the journal was created with
 * @param writerDurability durability of the last writer, null if not recorded (a journal written
 *                         before the level was recorded: treated as {@code PROCESS_CRASH})
 */
public record JournalMetadata(int formatVersion, JournalRollCycle rollCycle, Durability writerDurability)
{
    private static final String WRITER_DURABILITY = "writerDurability";

    /** Name of the metadata file inside the journal directory. */
    public static final String FILE_NAME = "stockflow-journal.properties";

    /**
     * Reads the metadata of an existing journal.
     *
     * @param directory the journal directory
     * @return its metadata
     * @throws JournalNotFoundException if the directory or its metadata file is missing
     */
    public static JournalMetadata read(Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalNotFoundException("no journal at " + directory + ": directory does not exist");
        }
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            throw new JournalNotFoundException("no journal at " + directory + ": " + FILE_NAME + " is missing");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try
        {
            int formatVersion = Integer.parseInt(properties.getProperty("formatVersion", ""));
            JournalRollCycle rollCycle = JournalRollCycle.valueOf(properties.getProperty("rollCycle", ""));
            String durability = properties.getProperty(WRITER_DURABILITY);
            return new JournalMetadata(formatVersion, rollCycle,
                durability == null ? null : Durability.valueOf(durability));
        }
        catch (IllegalArgumentException e)
        {
            throw new JournalException("malformed " + file + ": " + properties, e);
        }
    }

    /**
     * Creates the metadata of a new journal, or checks that an existing journal matches.
     *
     * @param directory     the writer-locked journal directory
     * @param formatVersion the record format version this code writes
     * @param rollCycle     the configured roll cycle
     * @param durability    the durability of the writer opening it, recorded for the next open (a switch
     *                      to OS_CRASH later, by {@link #recordOsCrashWriter})
     * @return the metadata as it was before this open (with the previous writer's durability), or
     *         as created
     * @throws JournalException if the journal was created with another roll cycle or format, or
     *                          the directory holds queue files but no metadata
     */
    public static JournalMetadata createOrVerify(Path directory, int formatVersion, JournalRollCycle rollCycle,
        Durability durability)
    {
        Path file = directory.resolve(FILE_NAME);
        if (Files.isRegularFile(file))
        {
            JournalMetadata existing = read(directory);
            if (existing.rollCycle != rollCycle)
            {
                throw new JournalException(
                    "roll cycle mismatch for journal " + directory + ": the journal was created with rollCycle="
                        + existing.rollCycle + " but is being opened with rollCycle=" + rollCycle
                        + "; open it with rollCycle=" + existing.rollCycle);
            }
            if (existing.formatVersion != formatVersion)
            {
                throw new JournalException(
                    "record format mismatch for journal " + directory + ": the journal has formatVersion="
                        + existing.formatVersion + " but this build writes formatVersion=" + formatVersion);
            }
            // A switch to OS_CRASH is recorded only once the files the earlier writer left unforced are
            // forced (recordOsCrashWriter): a power cut during that force must leave a journal still
            // known as PROCESS_CRASH-written, whose damage stops start-up rather than being repaired as
            // pages lost past an OS_CRASH commit.
            if (existing.writerDurability != durability && durability != Durability.OS_CRASH)
            {
                new JournalMetadata(formatVersion, rollCycle, durability).write(file);
            }
            return existing;
        }
        if (holdsQueueFiles(directory))
        {
            throw new JournalException("directory " + directory + " holds Chronicle Queue files but no " + FILE_NAME
                + ": it is not a Stockflow journal");
        }
        JournalMetadata created = new JournalMetadata(formatVersion, rollCycle, durability);
        created.write(file);
        return created;
    }

    /**
     * Records OS_CRASH as the writer's durability, for a writer whose open found another one recorded
     * and has forced every cycle file that writer left.
     *
     * @param directory the journal directory
     */
    public void recordOsCrashWriter(Path directory)
    {
        if (writerDurability != Durability.OS_CRASH)
        {
            new JournalMetadata(formatVersion, rollCycle, Durability.OS_CRASH).write(directory.resolve(FILE_NAME));
        }
    }

    private static boolean holdsQueueFiles(Path directory)
    {
        try
        {
            return CycleFiles.anyIn(directory);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /*
     * Atomic and durable: a power cut leaves the old file or the new one, never an empty or missing
     * one, and the file's name is on the device before any record of the journal is acknowledged.
     */
    private void write(Path file)
    {
        Properties properties = new Properties();
        properties.setProperty("formatVersion", Integer.toString(formatVersion));
        properties.setProperty("rollCycle", rollCycle.name());
        properties.setProperty(WRITER_DURABILITY, writerDurability.name());
        try
        {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            properties.store(text, "Stockflow journal metadata; do not edit");
            FileDurability.writeAtomically(file, text.toByteArray());
        }
        catch (IOException e)
        {
            throw new JournalException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
