package io.stockflow.engine.counters;

import io.stockflow.engine.BackgroundThreadStop;
import io.stockflow.engine.jfr.CapacityWarningEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The engine's sampler: one small daemon thread that writes the counters no
 * stage thread should pay for. About every 100 ms it samples the ring's free
 * capacity ({@code RING_FREE}); about once a second it ends a latency interval
 * ({@link IntervalLatency}, the {@code LATENCY_*} counters) and refreshes the
 * counters file's heartbeat, so a reader tells a live engine from a dead one;
 * about every five seconds it measures the journal's {@link DiskBudget}.
 *
 * <p>The duties are one {@link #doWork(long)} call with the clock passed in, so
 * they are tested without a thread. The thread parks between calls and is
 * stopped and joined by {@link #close()}, which then publishes the last partial
 * interval and a final heartbeat from the closing thread.
 */
public final class CountersSampler implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CountersSampler.class);
    private boolean capacityWarned;
    /** How often the ring's free capacity is sampled. */
    public static final long RING_SAMPLE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a latency interval lasts, and how often the heartbeat is refreshed. */
    public static final long LATENCY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long JOIN_TIMEOUT_MS = 5_000;

    private final CountersFile counters;
    private final LongSupplier freeSlots;
    private final IntervalLatency latency;
    private final LongSupplier wallClockMs;
    private final DiskBudget diskBudget;
    private volatile boolean running;
    private Thread thread;
    private long nextRingSampleNs;
    private long intervalStartNs;
    private long nextDiskSampleNs;

    /**
     * @param counters    where to write; the sampler owns the {@code sampler} counters and the heartbeat.
     * @param latency     the outcome stage's interval latency.
     * @param freeSlots   the ring's free capacity now (read from the sampler thread).
     * @param wallClockMs epoch-millisecond clock for the heartbeat.
     * @param startNs     {@link System#nanoTime()} now: the first interval starts here.
     */
    public CountersSampler(
        final CountersFile counters,
        final IntervalLatency latency,
        final LongSupplier freeSlots,
        final LongSupplier wallClockMs,
        final long startNs)
    {
        this(counters, latency, freeSlots, wallClockMs, startNs, null);
    }

    /**
     * @param counters    where to write; the sampler owns the {@code sampler} counters and the heartbeat.
     * @param latency     the outcome stage's interval latency.
     * @param freeSlots   the ring's free capacity now (read from the sampler thread).
     * @param wallClockMs epoch-millisecond clock for the heartbeat.
     * @param startNs     {@link System#nanoTime()} now: the first interval starts here.
     * @param diskBudget  the journal's disk budget, measured at start and every {@link DiskBudget#SAMPLE_INTERVAL_NS},
     *                    or null for none.
     */
    public CountersSampler(
        final CountersFile counters,
        final IntervalLatency latency,
        final LongSupplier freeSlots,
        final LongSupplier wallClockMs,
        final long startNs,
        final DiskBudget diskBudget)
    {
        this.counters = counters;
        this.latency = latency;
        this.freeSlots = freeSlots;
        this.wallClockMs = wallClockMs;
        this.diskBudget = diskBudget;
        this.nextRingSampleNs = startNs;
        this.intervalStartNs = startNs;
        this.nextDiskSampleNs = startNs;
    }

    /**
     * Starts the sampler thread. Once only.
     *
     * @param threadFactory makes the thread (the affinity plan's helper factory: unpinned).
     */
    public synchronized void start(final ThreadFactory threadFactory)
    {
        if (thread != null)
        {
            throw new IllegalStateException("counters sampler already started");
        }
        running = true;
        thread = threadFactory.newThread(this::run);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One duty cycle: whatever is due at {@code nowNs}. Sampler thread only.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return how many duties ran (0 when nothing was due).
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        if (nowNs - nextRingSampleNs >= 0)
        {
            counters.set(EngineCounter.RING_FREE, freeSlots.getAsLong());
            nextRingSampleNs = nowNs + RING_SAMPLE_INTERVAL_NS;
            work++;
        }
        if (nowNs - intervalStartNs >= LATENCY_INTERVAL_NS)
        {
            endInterval(nowNs);
            checkOrderCapacity();
            work++;
        }
        if (diskBudget != null && nowNs - nextDiskSampleNs >= 0)
        {
            diskBudget.sample(nowNs);
            nextDiskSampleNs = nowNs + DiskBudget.SAMPLE_INTERVAL_NS;
            work++;
        }
        return work;
    }

    /**
     * One log line and one JFR event when held orders cross 90% of orderCapacity, armed again
     * below 80%: here on the sampler thread, once a second, so the logic stage never logs.
     */
    private void checkOrderCapacity()
    {
        final long capacity = counters.get(EngineCounter.ORDER_CAPACITY);
        final long held = counters.get(EngineCounter.ORDERS);
        if (capacity <= 0)
        {
            return;
        }
        if (!capacityWarned && held * 10 >= capacity * 9)
        {
            capacityWarned = true;
            LOG.warn("held orders {} crossed 90% of orderCapacity {}: at the capacity PLACE is rejected"
                + " LIMIT_EXCEEDED; a RULES command can raise it or lower the retention", held, capacity);
            final CapacityWarningEvent event = new CapacityWarningEvent();
            event.heldOrders = held;
            event.orderCapacity = capacity;
            event.commit();
        }
        else if (capacityWarned && held * 10 < capacity * 8)
        {
            capacityWarned = false;
        }
    }

    private void endInterval(final long nowNs)
    {
        counters.heartbeat(wallClockMs.getAsLong());
        latency.publishInterval(counters, nowNs - intervalStartNs);
        intervalStartNs = nowNs;
    }

    private void run()
    {
        while (running)
        {
            doWork(System.nanoTime());
            LockSupport.parkNanos(RING_SAMPLE_INTERVAL_NS);
        }
    }

    /**
     * @return true while the sampler thread is alive.
     */
    public synchronized boolean isAlive()
    {
        return thread != null && thread.isAlive();
    }

    /**
     * Stops and joins the sampler thread (up to 5 s), then, if it stopped,
     * samples the ring and publishes the last partial latency interval and a
     * heartbeat from the calling thread. Idempotent.
     *
     * @throws IllegalStateException if the thread did not stop in time.
     */
    @Override
    public synchronized void close()
    {
        if (thread == null || !running)
        {
            return;
        }
        running = false;
        if (!BackgroundThreadStop.wakeAndJoin(thread, JOIN_TIMEOUT_MS))
        {
            throw new IllegalStateException("counters sampler thread " + thread.getName() + " did not stop within "
                + JOIN_TIMEOUT_MS + " ms");
        }
        final long nowNs = System.nanoTime();
        counters.set(EngineCounter.RING_FREE, freeSlots.getAsLong());
        endInterval(nowNs);
    }
}
