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
        super("sequences " + firstMissing + ".." + lastMissing + " are not in journal " + directory
            + (!archived ? ": no cycle file holds them (removed by hand?)"
                : archive == null ? ": they were archived with --delete and no longer exist"
                    : ": they were archived in " + archive + " (read them with --archive " + archive + ")"));
        this.firstMissing = firstMissing;
        this.lastMissing = lastMissing;
        this.archive = archive;
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
