package io.stockflow.affinity;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;

/**
 * Every default of the affinity plan, in one place so a benchmark result changes one line.
 *
 * <p>The default plan, for the stages in {@link #SPINNING_CANDIDATES} order: a usable isolated
 * CPU with {@link #OWN_CPU_WAIT} while any is left; else {@link #SHARED_SPIN_WAIT} unpinned while
 * the shared CPUs leave {@link #SHARED_CPUS_KEPT_FREE} for the publisher, the JVM and the other
 * stages; else {@link #QUIET_WAIT}. Every other stage runs unpinned with {@link #QUIET_WAIT}.
 * So a 2-CPU machine spins nothing, and the result always passes {@link AffinityPlanner}.
 */
final class DefaultPlanPolicy
{
    /** The mode of the default plan and of a plan file without a {@code mode} line. */
    static final AffinityMode DEFAULT_MODE = AffinityMode.BEST_EFFORT;

    /**
     * How a stage of the default plan waits when it gets no CPU to spin on. Chosen by the perf
     * benchmark on a 2-CPU machine ({@code stockflow bench throughput --plan} and {@code bench
     * affinity}, see BENCHMARKS.md): sleeping (spin, yield, then park 100 ns at a time) needs no
     * lock or signal per publish, where blocking takes a lock and signals three stages on every
     * publish and its dependent stage spins while it waits; sleeping gave about 4x the throughput
     * and a lower p99 in the same runs.
     */
    static final WaitStrategyKind QUIET_WAIT = WaitStrategyKind.SLEEPING;

    /** How a stage pinned alone on an isolated CPU waits. */
    static final WaitStrategyKind OWN_CPU_WAIT = WaitStrategyKind.BUSY_SPIN;

    /** How a stage waits when it may spin but shares the scheduler's CPUs. */
    static final WaitStrategyKind SHARED_SPIN_WAIT = WaitStrategyKind.YIELDING;

    /** Shared CPUs the default plan never gives to a spinning stage: publisher plus everything else. */
    static final int SHARED_CPUS_KEPT_FREE = 2;

    /** The stages that may spin in the default plan, most latency-critical first. */
    static final List<String> SPINNING_CANDIDATES = List.of(Stages.JOURNAL, Stages.LOGIC);

    /** The wait of a stage a plan file or explicit plan leaves out. */
    static final WaitStrategyKind UNLISTED_STAGE_WAIT = WaitStrategyKind.BLOCKING;

    /** What a spinning stage becomes when the planner cannot give it a CPU. */
    static final WaitStrategyKind FALLBACK_WAIT = WaitStrategyKind.BLOCKING;

    /**
     * CPUs kept for the caller's publisher thread when counting spinning stages: the publisher
     * is not a stage, but a plan that leaves it no CPU stalls the whole pipeline.
     */
    static final int PUBLISHER_CPUS = 1;

    private DefaultPlanPolicy()
    {
    }

    static AffinityPlan planFor(CpuInventory cpus)
    {
        PrimitiveIterator.OfInt isolated = cpus.usableIsolated().stream().iterator();
        int sharedSpinBudget = Math.max(0, cpus.shared().size() - SHARED_CPUS_KEPT_FREE);
        List<StagePlan> stages = new ArrayList<>();
        for (String stage : SPINNING_CANDIDATES)
        {
            if (isolated.hasNext())
            {
                stages.add(StagePlan.pinned(stage, isolated.nextInt(), OWN_CPU_WAIT));
            }
            else if (sharedSpinBudget > 0)
            {
                sharedSpinBudget--;
                stages.add(StagePlan.unpinned(stage, SHARED_SPIN_WAIT));
            }
            else
            {
                stages.add(StagePlan.unpinned(stage, QUIET_WAIT));
            }
        }
        for (String stage : Stages.all())
        {
            if (!SPINNING_CANDIDATES.contains(stage))
            {
                stages.add(StagePlan.unpinned(stage, QUIET_WAIT));
            }
        }
        return AffinityPlan.of(DEFAULT_MODE, stages, "default for " + cpus.describe());
    }
}
