package io.stockflow.perf.harness;

import io.stockflow.engine.workload.WorkloadGenerator;

/**
 * The demo's realistic mix ({@link WorkloadGenerator}: Zipf-skewed SKUs, the full order
 * life cycle, expiries, invalid and duplicate commands) with the demo's defaults, so the
 * benchmarks measure the traffic a user sees in {@code stockflow demo}.
 */
public final class DemoWorkload
{
    /** The demo's SKU count. */
    public static final int SKUS = WorkloadGenerator.DEMO_SKUS;
    /** The demo's seed. */
    public static final long SEED = WorkloadGenerator.DEMO_SEED;

    private DemoWorkload()
    {
    }

    /** @return a fresh generator of the demo's mix; every call gives the same commands. */
    public static WorkloadGenerator generator()
    {
        return WorkloadGenerator.demo();
    }
}
