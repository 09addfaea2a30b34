package io.stockflow.engine.workload;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a constant offered rate: command {@code i} is planned for
 * {@code start + i * intervalNs}, and latency is measured from that planned time, not
 * from when the sender got round to it. A stall therefore counts against every command
 * it delays (no coordinated omission): a sender that falls behind sends the overdue
 * commands at once, and their latency includes the wait.
 *
 * <p>Waiting parks while the next planned time is more than {@value #SPIN_NANOS} ns off
 * (so a 2-core machine keeps a CPU for the pipeline while the sender has nothing to do) and
 * spins for the last stretch, so the planned time is met to within a microsecond or two when
 * the machine lets it.
 *
 * <p><b>Why it spins below 120 µs, even though that holds a CPU at high rates.</b>
 * {@code LockSupport.parkNanos(n)} does not sleep {@code n}: Linux's default timer slack
 * (50 µs, {@code /proc/self/timerslack_ns}) plus the wake-up make even the shortest park
 * long. Measured on the 2-vCPU development VM (2026-12-04, three runs of a loop of 3,800 to
 * 16,000 parks per size, {@code nice -n 15}, load average 4 to 5 from builds), the time
 * actually slept was (ranges over the three runs):
 * <pre>
 *   asked      p50          p90          p99
 *     1 µs     72-73 µs     78-103 µs    125-875 µs
 *    20 µs     88-95 µs    100-115 µs    144-472 µs
 *    50 µs    103-129 µs   130-142 µs    200-722 µs
 *   100 µs    172-178 µs   192-426 µs    236-1,830 µs
 * </pre>
 * The shortest park is some 70 µs at the median, so a gap shorter than that cannot be met
 * by parking at all: at 20,000/s (50 µs gaps) every park would send late. Sending in bursts
 * with a park between (the alternative that frees the CPU) charges each command its share
 * of the park's overshoot as latency, tens of µs at the median, which would bury the
 * figures these harnesses exist to measure (a raw journal append of 0.6 µs, an engine
 * goal of 10 µs at the median). So below {@value #SPIN_NANOS} ns, a little above the
 * 90th percentile of the overshoot, it spins; at 20,000/s that is the whole run, and the
 * sender holds a CPU. The cost is reported, not hidden: {@link #spunNanos()} and
 * {@link #parkedNanos()} say how the waiting was spent, and {@code bench latency} writes
 * them, with the sending thread's CPU time, to its JSON. Rates below about 8,000/s park for
 * most of each gap.
 *
 * <p>Owned by the sending thread.
 */
public final class Pacer
{
    private static final long SPIN_NANOS = 120_000;

    private final long startNs;
    private final double intervalNs;
    private long spunNs;
    private long parkedNs;

    /**
     * @param startNs    System.nanoTime() of command 0.
     * @param ratePerSecond offered rate, commands per second, at least 1.
     */
    public Pacer(final long startNs, final long ratePerSecond)
    {
        if (ratePerSecond < 1)
        {
            throw new IllegalArgumentException("rate=" + ratePerSecond + ": must be >= 1");
        }
        this.startNs = startNs;
        this.intervalNs = 1e9 / ratePerSecond;
    }

    /**
     * @param index a command's index from 0.
     * @return its planned System.nanoTime().
     */
    public long plannedNs(final long index)
    {
        return startNs + (long)(index * intervalNs);
    }

    /**
     * Waits until command {@code index}'s planned time; returns at once when it has passed.
     *
     * @param index a command's index from 0.
     * @return its planned time.
     */
    public long awaitPlanned(final long index)
    {
        final long planned = plannedNs(index);
        long now = System.nanoTime();
        long spinFromNs = now;
        while (planned - now > 0)
        {
            final long remaining = planned - now;
            if (remaining > SPIN_NANOS)
            {
                spunNs += now - spinFromNs;
                LockSupport.parkNanos(remaining - SPIN_NANOS);
                final long woken = System.nanoTime();
                parkedNs += woken - now;
                now = woken;
                spinFromNs = woken;
            }
            else
            {
                Thread.onSpinWait();
                now = System.nanoTime();
            }
        }
        spunNs += now - spinFromNs;
        return planned;
    }

    /**
     * @return wall time spent spinning in {@link #awaitPlanned} so far, ns: CPU time the sender
     *         burnt waiting (a spinning thread runs all along unless the OS takes its CPU).
     */
    public long spunNanos()
    {
        return spunNs;
    }

    /** @return wall time spent parked in {@link #awaitPlanned} so far, ns, including each park's overshoot. */
    public long parkedNanos()
    {
        return parkedNs;
    }
}
