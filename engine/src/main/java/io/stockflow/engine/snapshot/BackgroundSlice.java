package io.stockflow.engine.snapshot;

import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a background thread (the snapshot thread: the shadow state's replay, the
 * copy and the write of a snapshot) keeps a CPU before it offers it back with
 * {@link Thread#yield()}.
 *
 * <p>Why: on a machine with as few CPUs as stages, the snapshot thread shares a CPU with the
 * consumer that journals and applies events. Measured with {@code perf sched} under
 * {@code bench latency --preload-orders 1000000} on 2 CPUs, the consumer, made runnable by a new
 * event, waited 5 to 8 ms at a time behind the snapshot thread's scheduler slice, and every such
 * wait became the latency of the events queued behind it. Yielding every {@link #DEFAULT_SLICE_NS}
 * lets a waiting consumer run within a slice of that length; when nothing else is runnable the
 * yield returns at once, so the background work is not slowed when the CPU is free. Unlike a
 * lower priority (a nice value), it keeps the background thread's share of the CPU under a
 * saturating load, so snapshots are still written.
 *
 * <p>Owned by one thread; {@link #check} is cheap enough to call every few hundred records.
 */
public final class BackgroundSlice
{
    /** The longest the snapshot thread runs before it offers the CPU back: 100 µs. */
    public static final long DEFAULT_SLICE_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** A slice that never yields, for work that is not in the background (a close, a test, the cluster). */
    public static final BackgroundSlice NONE = new BackgroundSlice(Long.MAX_VALUE);

    private final long sliceNs;
    private long sliceStartNs;
    private long yields;

    /**
     * @param sliceNs the longest run between yields, ns.
     */
    public BackgroundSlice(final long sliceNs)
    {
        this.sliceNs = sliceNs;
        this.sliceStartNs = System.nanoTime();
    }

    /** Yields the CPU if this slice has run for {@code sliceNs} or longer; call between units of work. */
    public void check()
    {
        if (sliceNs == Long.MAX_VALUE)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - sliceStartNs >= sliceNs)
        {
            Thread.yield();
            yields++;
            sliceStartNs = System.nanoTime();
        }
    }

    /** @return yields so far, for tests and counters. */
    public long yields()
    {
        return yields;
    }
}
