package io.stockflow.engine;

import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an engine directory's record ({@link EngineDirectoryRecord}) says about how its journal
 * begins, checked by every reader that starts at the journal's first record (recovery without a
 * snapshot, {@code stockflow replay}, {@code verify}, {@code state}, {@code dump}, {@code info},
 * {@code salvage}): a directory created with a {@link ParametersRecord} must still start with it.
 * A journal that lost it starts at sequence 1 like one written before parameters existed, and
 * would otherwise replay silently under 0, 0, 0.
 *
 * <p>Immutable; read once per replay, off the hot path.
 */
public final class JournalOrigin
{
    /** A journal outside an engine directory, or one whose directory promises nothing: no check. */
    public static final JournalOrigin UNRECORDED = new JournalOrigin(null, null);

    private final Path engineDirectory;
    private final EngineDirectoryRecord.RecordedParameters recorded;

    private JournalOrigin(final Path engineDirectory, final EngineDirectoryRecord.RecordedParameters recorded)
    {
        this.engineDirectory = engineDirectory;
        this.recorded = recorded;
    }

    /**
     * @param engineDirectory an engine directory (holding {@code journal/}).
     * @return what its record says about its journal's start; {@link #UNRECORDED} for a directory
     *         created before the record said so.
     * @throws MalformedEngineDirectoryException if the record cannot be read.
     */
    public static JournalOrigin of(final Path engineDirectory)
    {
        final Optional<EngineDirectoryRecord.RecordedParameters> recorded =
            EngineDirectoryRecord.parametersRecordWritten(engineDirectory);
        return recorded.isPresent() ? new JournalOrigin(engineDirectory, recorded.get()) : UNRECORDED;
    }

    /**
     * @return the parameters the directory's record says its parameters record holds (retentionMs,
     *         orderCapacity, skuCapacity), or null for a directory that promises none.
     */
    public long[] recordedParameters()
    {
        return recorded == null ? null
            : new long[] {recorded.retentionMs(), recorded.orderCapacity(), recorded.skuCapacity()};
    }

    /** @return whether the directory was created with a parameters record as its journal's first record. */
    public boolean beginsWithParametersRecord()
    {
        return recorded != null;
    }

    /**
     * @param first the first record a reader from the journal's start read.
     * @return whether the parameters record the directory promises is not there because archival
     *         took the cycle file that held it alone (the journal's history record says cycles were
     *         archived): the directory is as archival left it, and a snapshot stands in for the
     *         journal's start, as for any archived history.
     */
    public boolean parametersRecordArchived(final JournalRecord first)
    {
        return lacksParametersRecord(first)
            && JournalHistory.read(EngineConfig.journalDirectoryOf(engineDirectory)).isPresent();
    }

    /*
     * A cycle file whose Chronicle header never reached the device is moved aside by the journal's
     * open as "<name>.incomplete-<millis>"; the newest such file named before the first record's file
     * is the one that held the parameters record.
     */
    private static Path movedAsideBefore(final Path journal, final JournalRecord first)
    {
        if (first.file() == null)
        {
            return null;
        }
        final String firstFile = first.file().getName();
        try
        {
            return CycleFiles.movedAsideIn(journal).stream()
                .filter(file -> file.getFileName().toString().compareTo(firstFile) < 0)
                .max(Path::compareTo).orElse(null);
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    private boolean lacksParametersRecord(final JournalRecord first)
    {
        return recorded != null && !ParametersRecord.is(first) && first.sequence() == 1;
    }

    /**
     * Checks the first record a reader from the journal's start read.
     *
     * @param first the first record read; a parameters record passes, and so does a journal whose
     *              first record is past sequence 1 (its early history is missing, which the
     *              history checks report, or a snapshot covers).
     * @throws ParametersRecordMissingException when the directory promises a parameters record
     *                                          and the journal starts with the command at sequence 1.
     */
    public void checkFirstRecord(final JournalRecord first)
    {
        if (!lacksParametersRecord(first))
        {
            return;
        }
        final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
        final Optional<JournalHistory> history = JournalHistory.read(journal);
        final String whatToDo;
        if (history.isEmpty())
        {
            final Path lost = movedAsideBefore(journal, first);
            final String orSalvage = ", or copy the journal with 'stockflow salvage', which begins the copy with the"
                + " parameters recorded here";
            whatToDo = lost == null ? "was removed: restore it into " + journal + orSalvage
                : "reached the device without its pages (a power cut under PROCESS_CRASH) and was moved aside as "
                    + lost.getFileName() + ": restore it from a backup into " + journal + orSalvage;
        }
        else if (history.get().archive() == null)
        {
            whatToDo = "was archived with --delete: only a snapshot can rebuild the state now (the engine and"
                + " 'stockflow state' start from one)";
        }
        else
        {
            whatToDo = "was archived in " + history.get().archive() + ": read through the archive (--archive "
                + history.get().archive() + ") or restore the cycle file into " + journal;
        }
        throw new ParametersRecordMissingException(journal, "the journal's parameters record is missing: "
            + engineDirectory.resolve(EngineDirectoryRecord.FILE_NAME) + " says journal " + journal
            + " begins with one (retentionMs " + recorded.retentionMs() + ", orderCapacity "
            + recorded.orderCapacity() + ", skuCapacity " + recorded.skuCapacity() + "), but it begins with the "
            + "command at sequence 1 in " + (first.file() == null ? journal : first.file().getName())
            + "; the cycle file before that one, which held the parameters record, " + whatToDo
            + " (replaying without it would use retentionMs 0, orderCapacity 0, skuCapacity 0)");
    }
}
