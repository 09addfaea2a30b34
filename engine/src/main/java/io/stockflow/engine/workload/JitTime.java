package io.stockflow.engine.workload;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compilers' accumulated time ({@link CompilationMXBean#getTotalCompilationTime()}, summed
 * over the compiler threads, in ms), read at the edges of a measured window: a window in which the
 * compilers still worked measured code that was not yet compiled, and on 2 CPUs a compiler thread
 * also takes a CPU from the engine (it took 26 to 80% of one for the first 15 s of
 * {@code bench throughput}, BENCHMARKS.md "2026-12-06 02:45 to 04:15 UTC").
 */
public final class JitTime
{
    /** What {@link #totalMs()} returns where the JVM does not keep the figure. */
    public static final long UNKNOWN = -1;

    private JitTime()
    {
    }

    /** @return the compilers' time so far in ms, or {@link #UNKNOWN}. */
    public static long totalMs()
    {
        final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler == null || !compiler.isCompilationTimeMonitoringSupported() ? UNKNOWN
            : compiler.getTotalCompilationTime();
    }

    /**
     * @param fromMs a reading of {@link #totalMs()}.
     * @param toMs   a later one.
     * @return the compilers' time between them, or {@link #UNKNOWN} if either is.
     */
    public static long between(final long fromMs, final long toMs)
    {
        return fromMs == UNKNOWN || toMs == UNKNOWN ? UNKNOWN : toMs - fromMs;
    }
}
