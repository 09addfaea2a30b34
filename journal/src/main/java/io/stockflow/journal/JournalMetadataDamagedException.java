package io.stockflow.journal;

import java.nio.file.Path;

/**
 * Chronicle Queue's own metadata file in a journal directory ({@value Journal#TABLE_STORE_FILE})
 * does not start with a readable header. It holds no records, only what Chronicle Queue rebuilds
 * from the cycle files, so the way forward is to move it aside; opening the queue over it would
 * otherwise wait out Chronicle's lock timeout and fail with a misleading lock error.
 */
public final class JournalMetadataDamagedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file   the damaged metadata file
     * @param reason what reading its header found
     */
    public JournalMetadataDamagedException(Path file, String reason)
    {
        super("the queue metadata file " + file + " is damaged (" + reason + "). It holds no records: move it out of"
            + " the journal directory, and the next 'stockflow run' (or engine start) that journals a command"
            + " rebuilds it from the cycle files; until then the read-only commands find no journal there");
        this.file = file;
    }

    /** @return the damaged metadata file */
    public Path file()
    {
        return file;
    }
}
