package io.stockflow.cli;

/**
 * A failure the user can act on: printed as one line on stderr (no stack trace)
 * and turned into its exit code.
 */
public final class UserException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * @param exitCode the sysexits status.
     * @param message  one line a person can act on.
     */
    public UserException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /** @return the exit status. */
    public int exitCode()
    {
        return exitCode;
    }
}
