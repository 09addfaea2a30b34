package io.stockflow.journal;

/** An archive directory that must not receive a journal's cycles; nothing was moved. */
public final class JournalArchiveRefusedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /**
     * @param reason  what is wrong with it
     * @param message one line naming the directory and the problem
     */
    public JournalArchiveRefusedException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /** @return what is wrong with the archive directory */
    public Reason reason()
    {
        return reason;
    }

    /** Why an archive directory is refused. */
    public enum Reason
    {
        /** It is the journal directory or lies inside it. */
        INSIDE_JOURNAL,
        /** It is the engine directory around the journal, or lies inside another of its parts (the snapshots). */
        ENGINE_PART,
        /** The journal's earlier cycles are archived in another directory. */
        OTHER_ARCHIVE,
        /** It cannot be created or written. */
        NOT_WRITABLE,
        /** It holds another journal's cycles, or cycle files of unknown origin. */
        FOREIGN
    }
}
