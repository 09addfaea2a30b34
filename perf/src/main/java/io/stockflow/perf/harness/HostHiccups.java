package io.stockflow.perf.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The time a running thread loses without being descheduled by the guest, in the manner
 * of sysjitter: one thread spins on {@link System#nanoTime()} and counts every gap between
 * two consecutive reads of at least {@value #GAP_NANOS} ns. Such a gap is an interrupt, a
 * hypervisor exit or the host running something else on our vCPU. A hypervisor that does
 * not report steal time shows none of this in {@code /proc/stat}; measured on the 2-vCPU
 * machines these benchmarks run on (2026-12-05), steal stayed 0 while a spinning thread, C or
 * Java, lost about 2.6% of its time in about 1,300 gaps a second of 10 µs or more (the guest
 * took 250 timer interrupts a second), with gaps of 1 to 3 ms every few seconds. That is a
 * floor under any tail figure: a step of a few microseconds is hit by one such gap in a few
 * hundred. Run it while nothing else of the benchmark runs; it holds one CPU while it spins.
 */
public final class HostHiccups
{
    /** Gaps this long or longer are counted. */
    public static final long GAP_NANOS = 10_000;
    private static final long LONG_GAP_NANOS = 1_000_000;

    private HostHiccups()
    {
    }

    /**
     * Spins on the calling thread for {@code nanos}.
     *
     * @param nanos how long to spin.
     * @return what it lost, as {@link #measure(long, LongSupplier)}.
     */
    public static Map<String, Object> measure(final long nanos)
    {
        return measure(nanos, System::nanoTime);
    }

    /**
     * @param nanos how long to spin.
     * @param clock the clock to read (a test seam; {@link System#nanoTime()} in use).
     * @return {@code spun_ms}, {@code gaps_per_s} (gaps of at least {@value #GAP_NANOS} ns per
     *         second), {@code lost_percent} (their sum over the time spun), {@code gaps_over_1ms}
     *         and {@code max_gap_us}.
     */
    static Map<String, Object> measure(final long nanos, final LongSupplier clock)
    {
        final long start = clock.getAsLong();
        final long end = start + nanos;
        long last = start;
        long gaps = 0;
        long longGaps = 0;
        long lost = 0;
        long max = 0;
        while (last < end)
        {
            final long now = clock.getAsLong();
            final long gap = now - last;
            last = now;
            if (gap >= GAP_NANOS)
            {
                gaps++;
                lost += gap;
                max = Math.max(max, gap);
                if (gap >= LONG_GAP_NANOS)
                {
                    longGaps++;
                }
            }
        }
        final long spun = Math.max(1, last - start);
        final Map<String, Object> hiccups = new LinkedHashMap<>();
        hiccups.put("spun_ms", spun / 1e6);
        hiccups.put("gaps_per_s", gaps * 1e9 / spun);
        hiccups.put("lost_percent", 100.0 * lost / spun);
        hiccups.put("gaps_over_1ms", longGaps);
        hiccups.put("max_gap_us", max / 1e3);
        return hiccups;
    }
}
