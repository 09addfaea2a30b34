package io.stockflow.perf.harness;

import io.stockflow.engine.workload.Pacer;

/**
 * The schedule of one latency phase: a constant offered rate, a warm-up that is sent but
 * not recorded, then the measured seconds. Command {@code i} is planned at
 * {@code i / rate} seconds after the start.
 */
public final class LatencyPhase
{
    private final long rate;
    private final long warmupSeconds;
    private final long seconds;

    /**
     * @param rate          commands per second, at least 1.
     * @param warmupSeconds seconds sent before recording starts, at least 0.
     * @param seconds       seconds recorded, at least 1.
     */
    public LatencyPhase(final long rate, final long warmupSeconds, final long seconds)
    {
        if (rate < 1 || warmupSeconds < 0 || seconds < 1)
        {
            throw new IllegalArgumentException("rate=" + rate + " warmupSeconds=" + warmupSeconds + " seconds="
                + seconds + ": need rate >= 1, warmup >= 0, seconds >= 1");
        }
        this.rate = rate;
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
    }

    /** @return commands per second. */
    public long rate()
    {
        return rate;
    }

    /** @return measured seconds. */
    public long seconds()
    {
        return seconds;
    }

    /** @return warm-up seconds. */
    public long warmupSeconds()
    {
        return warmupSeconds;
    }

    /** @return commands sent before recording starts. */
    public long warmupEvents()
    {
        return rate * warmupSeconds;
    }

    /** @return commands recorded. */
    public long measuredEvents()
    {
        return rate * seconds;
    }

    /** @return every command sent. */
    public long totalEvents()
    {
        return warmupEvents() + measuredEvents();
    }

    /**
     * @param startNs System.nanoTime() of command 0.
     * @return the pacer of this schedule.
     */
    public Pacer pacer(final long startNs)
    {
        return new Pacer(startNs, rate);
    }
}
