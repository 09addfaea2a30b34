package io.stockflow.journal;

/**
 * A journal's whole history: its archived cycle files, read where they lie, then the journal
 * directory's own, as one sequence of records. A file caught in both directories by an archival
 * cut short (copied, not yet deleted) is read once: from the first sequence the journal directory
 * holds on, records come from there.
 */
final class ArchivedHistoryReader implements JournalReader
{
    private final ChronicleJournalReader archive;
    private final ChronicleJournalReader journal;
    private final long journalFirst;
    private boolean inArchive = true;
    private long pendingSeek;
    private long lastRead = -1;
    private boolean closed;

    /**
     * @param archive the archive's reader, closed with this one
     * @param journal the journal directory's reader, closed with this one
     */
    ArchivedHistoryReader(final ChronicleJournalReader archive, final ChronicleJournalReader journal)
    {
        this.archive = archive;
        this.journal = journal;
        this.journalFirst = journal.firstSequence();
    }

    @Override
    public boolean seekToSequence(final long sequence)
    {
        ensureOpen();
        if (journalFirst >= 0 && sequence >= journalFirst)
        {
            inArchive = false;
            pendingSeek = 0;
            lastRead = sequence - 1;
            return journal.seekToSequence(sequence);
        }
        final long archiveLast = archive.lastSequence();
        if (sequence > archiveLast)
        {
            if (journalFirst < 0)
            {
                return false;
            }
            throw new JournalHistoryMissingException(journal.directory(),
                archiveLast + 1, journalFirst - 1, null, false);
        }
        if (!archive.seekToSequence(sequence))
        {
            return false;
        }
        inArchive = true;
        pendingSeek = 0;
        lastRead = sequence - 1;
        return true;
    }

    @Override
    public boolean seekToEventTime(final long eventTimeMs)
    {
        ensureOpen();
        lastRead = -1;
        if (archive.seekToEventTime(eventTimeMs))
        {
            inArchive = true;
            pendingSeek = 0;
            return true;
        }
        if (journal.seekToEventTime(eventTimeMs))
        {
            inArchive = false;
            pendingSeek = 0;
            return true;
        }
        return false;
    }

    @Override
    public boolean readNext(final JournalRecord into)
    {
        ensureOpen();
        if (inArchive)
        {
            if (archive.readNext(into) && (journalFirst < 0 || into.sequence() < journalFirst))
            {
                lastRead = into.sequence();
                return true;
            }
            inArchive = false;
            if (journalFirst < 0)
            {
                return false;
            }
            final long next = lastRead < 0 ? journalFirst : lastRead + 1;
            if (next < journalFirst)
            {
                throw new JournalHistoryMissingException(
                    journal.directory(), next, journalFirst - 1, null, false);
            }
            pendingSeek = next;
        }
        if (pendingSeek > 0)
        {
            if (!journal.seekToSequence(pendingSeek))
            {
                return false;
            }
            pendingSeek = 0;
        }
        if (journal.readNext(into))
        {
            lastRead = into.sequence();
            return true;
        }
        return false;
    }

    @Override
    public long firstSequence()
    {
        ensureOpen();
        final long first = archive.firstSequence();
        return first >= 0 ? first : journal.firstSequence();
    }

    @Override
    public long lastSequence()
    {
        ensureOpen();
        return Math.max(archive.lastSequence(), journal.lastSequence());
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("journal reader is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            archive.close();
        }
        finally
        {
            journal.close();
        }
    }
}
