package io.stockflow.journal;

import java.nio.file.Path;

/**
 * A read needs records that are not in the journal directory: archived elsewhere, or missing
 * because cycle files were removed by hand. Not corruption of what is there, so callers can tell
 * the operator which range to bring back (or which archive to name) instead of pointing at a
 * damaged file.
 */
public final class JournalHistoryMissingException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final long firstMissing;
    private final long lastMissing;
    private final transient Path archive;

    /**
     * @param directory    the journal directory
     * @param firstMissing the first sequence needed and absent
     * @param lastMissing  the last sequence needed and absent
     * @param archive      where they were archived, or null when they are not archived
     * @param archived     whether {@code stockflow archive} took them (into {@code archive}, or
     *                     deleted them when it is null); false when they are simply gone
     */
    public JournalHistoryMissingException(final Path directory, final long firstMissing, final long lastMissing,
        final Path archive, final boolean archived)
    {
        this("sequences " + firstMissing + ".." + lastMissing + " are not in journal " + directory
            + (!archived ? ": no cycle file holds them (removed by hand?)"
                : archive == null ? ": they were archived with --delete and no longer exist"
                    : ": they were archived in " + archive + " (read them with --archive " + archive + ")"),
            firstMissing, lastMissing, archive);
    }

    private JournalHistoryMissingException(final String message, final long firstMissing, final long lastMissing,
        final Path archive)
    {
        super(message);
        this.firstMissing = firstMissing;
        this.lastMissing = lastMissing;
        this.archive = archive;
    }

    /**
     * A journal directory that holds no record beside a history record that promises the records
     * from {@code firstSequence} on: every one of them was lost.
     *
     * @param directory the journal directory
     * @param history   its history record
     * @return the exception, whose {@link #lastMissing()} is {@link Long#MAX_VALUE} (the end is unknown)
     */
    static JournalHistoryMissingException emptyJournal(final Path directory, final JournalHistory history)
    {
        return new JournalHistoryMissingException("journal " + directory + " holds no record, but its "
            + JournalHistory.FILE_NAME + " says the records from sequence " + history.firstSequence()
            + " on are in it (the earlier ones were " + (history.archive() == null ? "deleted by archival"
                : "archived in " + history.archive())
            + "): they are lost, most likely to a power cut under "
            + "PROCESS_CRASH that left the newest cycle file unwritten. No record, snapshot or archive was touched: starting would begin "
            + "the journal again at sequence 1. Restore the journal directory from a backup, or move it aside to "
            + "start a new engine", history.firstSequence(), Long.MAX_VALUE, history.archive());
    }

    /** @return the first sequence needed and absent */
    public long firstMissing()
    {
        return firstMissing;
    }

    /** @return the last sequence needed and absent */
    public long lastMissing()
    {
        return lastMissing;
    }

    /** @return the archive directory that holds them, or null when they are gone */
    public Path archive()
    {
        return archive;
    }
}
