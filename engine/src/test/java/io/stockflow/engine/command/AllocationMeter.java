package io.stockflow.engine.command;

import java.lang.management.ManagementFactory;

/**
 * Measures the heap bytes the current thread allocates while running a body,
 * through {@code com.sun.management.ThreadMXBean}. The body is run several times
 * first so the JIT has compiled it (escape analysis included) as it would be when
 * warm, and the smallest of a few measured runs is kept so a one-off (a class
 * initialised late, a deoptimisation) does not fail a test of the steady state.
 */
public final class AllocationMeter
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * @param body       the code to measure; create it before calling, not per run.
     * @param warmupRuns runs before measuring.
     * @param measuredRuns runs measured.
     * @return the fewest bytes any measured run allocated.
     */
    public static long minBytesAllocated(final Runnable body, final int warmupRuns, final int measuredRuns)
    {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled())
        {
            throw new IllegalStateException("thread allocation measurement unavailable on this JVM");
        }
        for (int i = 0; i < warmupRuns; i++)
        {
            body.run();
        }
        final long overhead = THREADS.getCurrentThreadAllocatedBytes() - THREADS.getCurrentThreadAllocatedBytes();
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < measuredRuns; i++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            body.run();
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before + overhead;
            fewest = Math.min(fewest, allocated);
        }
        return fewest;
    }
}
