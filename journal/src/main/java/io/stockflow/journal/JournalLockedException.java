package io.stockflow.journal;

import java.nio.file.Path;

/** Another writer, in this or another process, holds the journal directory's writer lock. */
public final class JournalLockedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final long holderPid;

    /**
     * @param directory the journal directory
     * @param holderPid the process id recorded by the current holder, or -1 if it could not be read
     */
    public JournalLockedException(Path directory, long holderPid)
    {
        super("journal directory " + directory + " is already open for writing by process pid="
            + (holderPid < 0 ? "unknown" : Long.toString(holderPid))
            + "; only one writer may use a journal at a time");
        this.directory = directory;
        this.holderPid = holderPid;
    }

    /** @return the locked journal directory */
    public Path directory()
    {
        return directory;
    }

    /** @return the holder's process id, or -1 if unknown */
    public long holderPid()
    {
        return holderPid;
    }
}
