package io.stockflow.perf.harness;

import io.stockflow.affinity.AffinityMode;
import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.StagePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.affinity.Topology;
import io.stockflow.affinity.WaitStrategyKind;
import net.openhft.affinity.Affinity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The affinity plans the benchmarks compare: the machine's default, every stage blocking,
 * every stage sleeping, and the best pinned plan this machine allows (the journal stage
 * alone on the highest usable CPU, busy-spinning; everything else unpinned and blocking on
 * the others). All but the default are of the parallel topology, as before the plan had one,
 * so their figures stay comparable with earlier runs.
 */
public final class BenchPlans
{
    /** The default plan computed from this machine. */
    public static final String DEFAULT = "default";
    /** Every stage unpinned, blocking wait. */
    public static final String ALL_BLOCKING = "all-blocking";
    /** Every stage unpinned, sleeping wait. */
    public static final String ALL_SLEEPING = "all-sleeping";
    /** The journal stage pinned to its own CPU, busy-spinning. */
    public static final String PINNED_JOURNAL = "pinned-journal";

    private BenchPlans()
    {
    }

    /** @return the plans {@code bench affinity} compares, by name, default first. */
    public static Map<String, AffinityPlan> compared()
    {
        final CpuInventory cpus = CpuInventory.detect();
        final Map<String, AffinityPlan> plans = new LinkedHashMap<>();
        plans.put(DEFAULT, AffinityPlan.defaultFor(cpus));
        plans.put(ALL_BLOCKING, uniform(WaitStrategyKind.BLOCKING));
        plans.put(ALL_SLEEPING, uniform(WaitStrategyKind.SLEEPING));
        plans.put(PINNED_JOURNAL, pinnedJournal(cpus));
        return plans;
    }

    /**
     * @param wait the wait strategy of every stage.
     * @return an unpinned plan where every stage waits that way.
     */
    public static AffinityPlan uniform(final WaitStrategyKind wait)
    {
        final List<StagePlan> stages = new ArrayList<>();
        for (final String stage : Stages.all())
        {
            stages.add(StagePlan.unpinned(stage, wait));
        }
        return AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.PARALLEL, stages);
    }

    /**
     * @param cpus the machine.
     * @return the journal stage busy-spinning alone on the highest usable CPU; the rest unpinned, blocking.
     */
    public static AffinityPlan pinnedJournal(final CpuInventory cpus)
    {
        final int cpu = cpus.usable().stream().max().orElse(0);
        final List<StagePlan> stages = new ArrayList<>();
        stages.add(StagePlan.pinned(Stages.JOURNAL, cpu, WaitStrategyKind.BUSY_SPIN));
        for (final String stage : Stages.all())
        {
            if (!Stages.JOURNAL.equals(stage))
            {
                stages.add(StagePlan.unpinned(stage, WaitStrategyKind.BLOCKING));
            }
        }
        return AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.PARALLEL, stages);
    }

    /**
     * @param plan a plan, or null for the machine's default.
     * @return the plan as the engine will resolve it (for the bare pipeline and reports).
     */
    public static EffectivePlan resolve(final AffinityPlan plan)
    {
        final CpuInventory cpus = CpuInventory.detect();
        return AffinityPlanner.resolve(plan == null ? AffinityPlan.defaultFor(cpus) : plan, cpus);
    }

    /**
     * Confines the calling (publisher) thread to the CPUs the plan leaves for unpinned
     * threads, so it never lands on a busy-spinning stage's CPU.
     *
     * @param plan the effective plan.
     */
    public static void confinePublisher(final EffectivePlan plan)
    {
        Affinity.setAffinity(plan.unpinnedCpus().toBitSet());
    }

    /** Lets the calling thread run on every CPU this process may use again. */
    public static void releasePublisher()
    {
        Affinity.setAffinity(CpuInventory.detect().usable().toBitSet());
    }
}
