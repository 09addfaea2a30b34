package io.stockflow.journal;

/**
 * Free space on the journal's file system is below the configured threshold, so the appender
 * refused the record before writing any of it.
 */
public final class JournalDiskFullException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the directory, the usable bytes last seen and the threshold
     */
    public JournalDiskFullException(String message)
    {
        super(message);
    }
}
