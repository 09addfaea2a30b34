package io.stockflow.journal;

/** The directory does not exist or does not hold a Stockflow journal. */
public final class JournalNotFoundException extends JournalException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which directory and what is missing
     */
    public JournalNotFoundException(String message)
    {
        super(message);
    }
}
