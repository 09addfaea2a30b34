package io.stockflow.engine.workload;

import io.stockflow.affinity.ThreadTimerSlack;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a constant offered rate: command {@code i} is planned for
 * {@code start + i * intervalNs}, and latency is measured from that planned time, not
 * from when the sender got round to it. A stall therefore counts against every command
 * it delays (no coordinated omission): a sender that falls behind sends the overdue
 * commands at once, and their latency includes the wait.
 *
 * <p>Waiting parks while the next planned time is more than {@link #spinBelowNanos()} off
 * (so a 2-core machine keeps a CPU for the pipeline while the sender has nothing to do) and
 * spins for the last stretch, so the planned time is met to within a microsecond or two when
 * the machine lets it.
 *
 * <p><b>Why it spins at all, and for how long.</b> {@code LockSupport.parkNanos(n)} does not
 * sleep {@code n}: the thread's timer slack plus the wake-up make even the shortest park long.
 * Measured on the 2-vCPU development VM (2026-12-05, a quiet machine, 20,000 parks per size),
 * the time actually slept was:
 * <pre>
 *   asked      default slack (50 µs)            slack 1 µs
 *              p50     p90     p99              p50     p90     p99
 *     1 µs     84 µs   93 µs   118 µs           21 µs   22 µs   25 µs
 *    10 µs     89 µs   97 µs   132 µs           33 µs   45 µs   52 µs
 *    20 µs     97 µs  109 µs   127 µs           48 µs   57 µs   64 µs
 *    50 µs    133 µs  143 µs   161 µs           75 µs   77 µs   91 µs
 * </pre>
 * So the constructor sets the sending thread's timer slack to {@value #TIMER_SLACK_NANOS} ns
 * ({@code ThreadTimerSlack}; the thread keeps it). Then a park overshoots by about 20 to 45 µs,
 * and the pacer spins only the last {@value #SPIN_NANOS_TIGHT_SLACK} ns before each send. At
 * 20,000/s (50 µs gaps) it parks for most of each gap: the sender spun 0.31 to 0.41 of a core
 * in {@code bench latency} instead of 0.98, with the raw journal's latency unchanged within the
 * noise. Where the slack cannot be set (not Linux), a park overshoots by 70 µs or more and the
 * pacer spins the last {@value #SPIN_NANOS_DEFAULT_SLACK} ns, which at 20,000/s is the whole run.
 * Sending in bursts with a park between instead would charge each command its share of the
 * park's overshoot as latency and bury the figures these harnesses exist to measure (a raw
 * journal append of 0.6 µs, an engine goal of 10 µs at the median). The cost is reported, not
 * hidden: {@link #spunNanos()} and {@link #parkedNanos()} say how the waiting was spent, and
 * {@code bench latency} writes them, with the sending thread's CPU time and its timer slack, to
 * its JSON.
 *
 * <p>Owned by the sending thread, which must be the thread that constructs it.
 */
public final class Pacer
{
    /** The timer slack the constructor gives the sending thread, ns. */
    static final long TIMER_SLACK_NANOS = 1_000;
    /** Spin this close to a send when the slack took: a little above the 90th percentile of a park's overshoot. */
    static final long SPIN_NANOS_TIGHT_SLACK = 40_000;
    /** Spin this close to a send with the default slack: a little above the 90th percentile of its overshoot. */
    static final long SPIN_NANOS_DEFAULT_SLACK = 120_000;

    private final long startNs;
    private final double intervalNs;
    private final long timerSlackNs;
    private final long spinNanos;
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
        this.timerSlackNs = ThreadTimerSlack.setForCurrentThread(TIMER_SLACK_NANOS).orElse(-1);
        this.spinNanos = timerSlackNs > 0 && timerSlackNs <= TIMER_SLACK_NANOS
            ? SPIN_NANOS_TIGHT_SLACK
            : SPIN_NANOS_DEFAULT_SLACK;
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
            if (remaining > spinNanos)
            {
                spunNs += now - spinFromNs;
                LockSupport.parkNanos(remaining - spinNanos);
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

    /** @return how close to each send the pacer spins instead of parking, ns. */
    public long spinBelowNanos()
    {
        return spinNanos;
    }

    /** @return the sending thread's timer slack as read back after setting it, ns, or -1 when unknown. */
    public long timerSlackNanos()
    {
        return timerSlackNs;
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
