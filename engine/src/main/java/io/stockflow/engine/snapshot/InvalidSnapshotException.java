package io.stockflow.engine.snapshot;

/** A snapshot failed one of its checks; recovery falls back to an older one or a full replay. */
public final class InvalidSnapshotException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** @param message what failed. */
    public InvalidSnapshotException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   the underlying error.
     */
    public InvalidSnapshotException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
