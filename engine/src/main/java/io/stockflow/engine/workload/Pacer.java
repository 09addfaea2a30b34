package io.stockflow.engine.workload;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a constant offered rate: command {@code i} is planned for
 * {@code start + i * intervalNs}, and latency is measured from that planned time, not
 * from when the sender got round to it. A stall therefore counts against every command
 * it delays (no coordinated omission): a sender that falls behind sends the overdue
 * commands at once, and their latency includes the wait.
 *
 * <p>Waiting parks while the next planned time is far off (so a 2-core machine keeps a
 * CPU for the pipeline) and spins for the last stretch, so the planned time is met to
 * within a microsecond or two when the machine lets it.
 */
public final class Pacer
{
    private static final long SPIN_NANOS = 120_000;

    private final long startNs;
    private final double intervalNs;

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
        long remaining = planned - System.nanoTime();
        while (remaining > 0)
        {
            if (remaining > SPIN_NANOS)
            {
                LockSupport.parkNanos(remaining - SPIN_NANOS);
            }
            else
            {
                Thread.onSpinWait();
            }
            remaining = planned - System.nanoTime();
        }
        return planned;
    }
}
