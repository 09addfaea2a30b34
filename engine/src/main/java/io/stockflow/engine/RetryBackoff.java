package io.stockflow.engine;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Topology;

import java.util.concurrent.locks.LockSupport;

/**
 * What a {@link BackpressureRetry} does between two tries: spin when the publishing
 * thread has a core to itself and should stay hot, park when it shares few CPUs with
 * the stages it waits for (then spinning would steal their time).
 *
 * <p><b>Threading.</b> Called on the publishing thread; the strategies here are
 * stateless and allocate nothing, so one instance serves every thread.
 */
@FunctionalInterface
public interface RetryBackoff
{
    /** Busy-spins ({@link Thread#onSpinWait()}): the lowest latency, one core kept busy. */
    RetryBackoff SPIN = Thread::onSpinWait;

    /** Backs off once, between a refused try and the next. */
    void backOff();

    /**
     * @param parkNanos how long to park between tries.
     * @return a back-off that parks the thread ({@link LockSupport#parkNanos(long)}).
     */
    static RetryBackoff parkNanos(final long parkNanos)
    {
        if (parkNanos <= 0)
        {
            throw new IllegalArgumentException("parkNanos=" + parkNanos + " must be > 0");
        }
        return () -> LockSupport.parkNanos(parkNanos);
    }

    /** What {@link #forPlan} parks for on the fused topology: 1 µs asked, the timer's slack (tens of µs) got. */
    long FUSED_PARK_NANOS = 1_000;

    /**
     * The back-off for a publisher of an engine running {@code plan}: {@link #SPIN} on the parallel
     * topology, where the plan gives the stages CPUs of their own; a park of {@link #FUSED_PARK_NANOS}
     * on the fused one, the plan's choice when CPUs are few. There a spinning publisher takes the CPU
     * from the very threads it waits for (the fused stage, the snapshot thread's shadow state): on 2
     * CPUs, {@code bench throughput --events 4000000} with snapshots on measured the engine at 370K
     * events/s spinning and 485K parked, medians of 5 alternated pairs (BENCHMARKS.md, 2026-12-06 02:45).
     *
     * @param plan the engine's effective plan ({@code StockflowEngine.affinityPlan()}).
     * @return the back-off to give a {@link BackpressureRetry}.
     */
    static RetryBackoff forPlan(final EffectivePlan plan)
    {
        return plan.topology() == Topology.FUSED ? parkNanos(FUSED_PARK_NANOS) : SPIN;
    }
}
