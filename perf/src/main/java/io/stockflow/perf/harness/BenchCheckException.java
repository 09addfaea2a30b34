package io.stockflow.perf.harness;

/**
 * A benchmark's self-check failed (a count, a state hash, a halted engine): the run is
 * broken and none of its figures may be printed.
 */
public final class BenchCheckException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @param message what did not match, with both values. */
    public BenchCheckException(final String message)
    {
        super(message);
    }

    /**
     * @param condition what must hold.
     * @param message   what did not match, with both values.
     * @throws BenchCheckException when {@code condition} is false.
     */
    public static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new BenchCheckException(message);
        }
    }
}
