package io.stockflow.cluster.node;

/**
 * A node could not start for a reason the operator can fix (a directory of another cluster, a port in
 * use, a node already running on the directory); {@link #exitCode()} is the sysexits status the
 * command line returns for it.
 */
public final class NodeStartException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * @param exitCode the status to exit with.
     * @param message  the sentence to print.
     */
    public NodeStartException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /** @return the status to exit with. */
    public int exitCode()
    {
        return exitCode;
    }
}
