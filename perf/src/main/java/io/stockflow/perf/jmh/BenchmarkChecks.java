package io.stockflow.perf.jmh;

/**
 * The JMH suite's self-checks: a failed check throws from {@code @TearDown}, which JMH
 * reports as a benchmark error, and {@code bench jmh} runs with fail-on-error so a broken
 * benchmark ends the run instead of printing a number.
 */
final class BenchmarkChecks
{
    private BenchmarkChecks()
    {
    }

    static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException("benchmark self-check failed: " + message);
        }
    }
}
