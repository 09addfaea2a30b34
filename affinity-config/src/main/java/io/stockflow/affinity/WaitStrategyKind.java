package io.stockflow.affinity;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a stage waits for the sequence it needs, named as in the plan file.
 *
 * <p>Every kind maps to the Disruptor strategy of the same name; all four check the barrier's
 * alert on every turn of their loop (the blocking one is also woken by it), so halting a
 * Disruptor never hangs whichever kind a stage uses.
 *
 * <p>{@link #spins()} is what the planner counts against the machine: a spinning stage keeps a
 * whole CPU busy even while idle, so it needs a CPU of its own.
 */
public enum WaitStrategyKind
{
    /** Spins on the sequence without ever giving the CPU away: lowest latency, owns a CPU. */
    BUSY_SPIN("busy-spin", true),
    /** Spins, then {@code Thread.yield()}s: near busy-spin latency, still keeps its CPU busy. */
    YIELDING("yielding", true),
    /**
     * Spins 100 turns, yields 100 turns, then parks 100 ns at a time (about 50 µs with Linux's default
     * timer slack): no CPU once idle for a while, but with events tens of µs apart it rarely gets past
     * its yields, so it is not cheap then (0.7 to 0.96 of a CPU for the fused consumer at 20,000
     * events/s on 2 CPUs, BENCHMARKS.md "2026-12-06 02:45 to 04:15 UTC").
     */
    SLEEPING("sleeping", false),
    /** Waits on a lock and condition woken by every publish: no CPU when idle, highest latency. */
    BLOCKING("blocking", false);

    private final String fileName;
    private final boolean spins;

    WaitStrategyKind(String fileName, boolean spins)
    {
        this.fileName = fileName;
        this.spins = spins;
    }

    /**
     * Whether a stage waiting this way keeps its CPU fully busy while it has nothing to do.
     *
     * @return true for {@link #BUSY_SPIN} and {@link #YIELDING}
     */
    public boolean spins()
    {
        return spins;
    }

    /**
     * A new Disruptor wait strategy of this kind. Each call returns a fresh instance because
     * {@link BlockingWaitStrategy} holds a lock that must not be shared by accident.
     *
     * @return a new strategy with Disruptor's default tuning
     */
    public WaitStrategy newWaitStrategy()
    {
        switch (this)
        {
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case BLOCKING:
                return new BlockingWaitStrategy();
            default:
                throw new IllegalStateException("unmapped wait strategy " + this);
        }
    }

    /**
     * The spelling used in plan files and tables, e.g. {@code busy-spin}.
     *
     * @return the lower-case, hyphenated name
     */
    public String fileName()
    {
        return fileName;
    }

    /**
     * Reads a plan-file spelling; case-insensitive, and {@code _} is accepted for {@code -}.
     *
     * @param text the value as written
     * @return the kind, or empty when the text names none
     */
    public static Optional<WaitStrategyKind> fromFileName(String text)
    {
        String normalised = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(kind -> kind.fileName.equals(normalised)).findFirst();
    }

    /**
     * The accepted spellings, for error messages.
     *
     * @return e.g. {@code busy-spin, yielding, sleeping, blocking}
     */
    public static String fileNames()
    {
        return Arrays.stream(values()).map(WaitStrategyKind::fileName).collect(Collectors.joining(", "));
    }
}
