package io.stockflow.journal;

/**
 * A journal operation failed. The engine treats it as fail-stop: nothing that was not journaled is
 * acknowledged.
 */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and where
     */
    public JournalException(String message)
    {
        super(message);
    }

    /**
     * @param message what failed and where
     * @param cause   the underlying failure
     */
    public JournalException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
