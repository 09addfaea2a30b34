package io.stockflow.affinity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PrimitiveIterator;

/**
 * Every default of the affinity plan, in one place so a benchmark result changes one line.
 *
 * <p><b>Topology</b> ({@link #topologyFor}): {@link Topology#PARALLEL} from
 * {@value #PARALLEL_MIN_USABLE_CPUS} usable CPUs up, {@link Topology#FUSED} below. The reason:
 * the parallel topology has four threads on the hot path (the caller's publisher, journal, logic,
 * outcome); with fewer CPUs than that they take turns, and every hand-off becomes a park and a
 * wake-up at the scheduler's granularity. Issue 19 measured it on 2 vCPUs (default parallel plan,
 * every stage sleeping, {@code bench latency --rate 20000 --seconds 10}): engine p50 1,062 µs,
 * p99 9,404 µs, where the bare pipeline with the same waits already had p50 1,536 µs. The fused
 * topology has one hot stage thread besides the publisher, so it fits in two CPUs. Three CPUs
 * were not measured; they get the fused topology because three are still fewer than the four
 * hot threads.
 *
 * <p><b>Stages</b>, for the stages of {@link #spinningCandidates} in order: a usable isolated
 * CPU with {@link #OWN_CPU_WAIT} while any is left; else {@link #SHARED_SPIN_WAIT} unpinned while
 * the shared CPUs leave {@link #sharedCpusKeptFree} for the publisher, the JVM and the other
 * stages; else {@link #QUIET_WAIT}. Every other stage runs unpinned with {@link #QUIET_WAIT}.
 * So on a 2-CPU machine the parallel topology spins nothing, the fused consumer is planned by
 * {@link #FUSED_SHARED_CPUS_KEPT_FREE} (see there for the measurement), and the result always
 * passes {@link AffinityPlanner}.
 *
 * <p><b>Nice</b>: the background stages of {@link #BACKGROUND_STAGES} and the helper threads run at
 * {@link #BACKGROUND_NICE}; every other stage at the process's own priority.
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

    /** The stages of the parallel topology that may spin in the default plan, most latency-critical first. */
    static final List<String> SPINNING_CANDIDATES = List.of(Stages.JOURNAL, Stages.LOGIC);

    /** Usable CPUs from which the default topology is {@link Topology#PARALLEL}: one per hot thread. */
    static final int PARALLEL_MIN_USABLE_CPUS = 4;

    /**
     * Shared CPUs the default plan keeps free of the fused consumer's spin, as for the parallel
     * topology's stages: so on 2 CPUs the fused consumer does not spin (it waits with
     * {@link #QUIET_WAIT}); from 3 shared CPUs it yields, and on an isolated CPU it busy-spins.
     *
     * <p>Decided by one short run each of {@code bench latency --rate 20000 --seconds 5
     * --warmup-seconds 2} on the 2-vCPU machine of 2026-12-02, shared with three other builds
     * (load average 14 to 18 during the runs, so every figure is far from a quiet machine's; the
     * raw journal's own p99 was 12 to 114 ms instead of about 39 µs, and a 1 ms sleep overshot by
     * 10 to 12 ms at p99). Engine p50 / p99, µs:
     * <ul>
     *   <li>fused, consumer {@code yielding} (spinning): 70,386 / 1,116,733;</li>
     *   <li>fused, consumer {@code sleeping}: 20,677 / 198,705;</li>
     *   <li>parallel, every stage {@code sleeping} (the former default): 13,558 / 293,077.</li>
     * </ul>
     * With every CPU already taken by other work, a spinning consumer competes with the publisher
     * and made both figures 3 to 6 times worse, so the default does not spin on 2 CPUs.
     *
     * <p>Confirmed on the quiet machine (2026-12-04, nothing else running, {@code bench latency
     * --rate 20000 --seconds 10 --runs 3}, medians of 3): consumer {@code sleeping} p50 3.30 µs,
     * p99 3,744 µs, p99.99 8,544 µs; consumer {@code yielding} p50 2.93 µs, p99 17,154 µs, p99.99
     * 24,887 µs. The pacer holds one CPU, and a spinning consumer takes the other from the
     * shadow state, the pretoucher and the JVM's own threads, which then run in its time slices.
     */
    static final int FUSED_SHARED_CPUS_KEPT_FREE = 2;

    /**
     * The nice of the default plan's background work that may lag: the {@link Stages#SNAPSHOT}
     * stage (the shadow state, which replays every committed record on its own thread) and,
     * through {@link EffectivePlan#helperNice()}, the helper threads (counters sampler, journal
     * archiver). 0: the default does not lower their priority. A plan may ({@code
     * stage.snapshot.nice}), so that a stage that needs the CPU wins it from them on a machine with
     * fewer CPUs than busy threads; the pretouch stage should stay at 0 (it must stay ahead of the
     * journal writer).
     *
     * <p>Measured by {@code bench throughput --events 2000000} (snapshots every 1,000,000 events),
     * three rounds alternating {@code stage.snapshot.nice} 0, 10 and 19 on the quiet 2-vCPU machine
     * of 2026-12-04 (JDK 17). Engine events/s with snapshots on, and its ratio to the same run with
     * snapshots off:
     * <ul>
     *   <li>nice 0: 362,504 / 353,537 / 340,331; ratio 0.34 / 0.38 / 0.45;</li>
     *   <li>nice 10: 645,876 / 579,894 / 656,054; ratio 0.78 / 0.61 / 0.87;</li>
     *   <li>nice 19: 565,564 / 679,169 / 720,670; ratio 0.62 / 1.00 / 0.72.</li>
     * </ul>
     * Nice 10 looks 1.8 times faster, but only because it defers the shadow state's work: at 10 the
     * shadow had applied almost none of the events of a 4,000,000-event run when its last outcome
     * was released, and the rate until it had caught up was 0.39 of the snapshots-off engine, as at
     * nice 0. Under a load that saturates both CPUs for longer, a niced shadow writes no snapshot
     * at all ({@code EngineCrashTrialTest}'s child, publishing as fast as it can, wrote none in 30 s
     * at nice 10), so recovery and archival fell behind without bound. The engine's shadow lag limit
     * ({@code EngineConfig.Builder.shadowLagLimit}, since 2026-12-05) now bounds that lag by making the
     * publisher wait for the shadow; whether a lower priority then shortens the hot stage's waits at
     * realistic rates is not yet measured on a quiet machine, so the default stays 0. A deployment
     * whose load leaves idle CPU can lower the shadow's priority to keep it off the hot stage's CPU
     * when that stage wakes.
     */
    static final int BACKGROUND_NICE = 0;

    /** The stages of the default plan that run at {@link #BACKGROUND_NICE}. */
    static final List<String> BACKGROUND_STAGES = List.of(Stages.SNAPSHOT);

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

    /**
     * The topology of a plan that names none.
     *
     * @param cpus the machine
     * @return parallel from {@value #PARALLEL_MIN_USABLE_CPUS} usable CPUs up, fused below
     */
    static Topology topologyFor(CpuInventory cpus)
    {
        return cpus.usable().size() >= PARALLEL_MIN_USABLE_CPUS ? Topology.PARALLEL : Topology.FUSED;
    }

    /**
     * Why {@link #topologyFor} chose its topology, for the printed plan.
     *
     * @param cpus the machine
     * @return e.g. {@code default for 2 usable CPUs (parallel from 4)}
     */
    static String topologyReason(CpuInventory cpus)
    {
        return "default for " + cpus.usable().size() + " usable CPUs (parallel from " + PARALLEL_MIN_USABLE_CPUS + ")";
    }

    static List<String> spinningCandidates(Topology topology)
    {
        return topology == Topology.FUSED ? List.of(Stages.FUSED) : SPINNING_CANDIDATES;
    }

    static int sharedCpusKeptFree(Topology topology)
    {
        return topology == Topology.FUSED ? FUSED_SHARED_CPUS_KEPT_FREE : SHARED_CPUS_KEPT_FREE;
    }

    static AffinityPlan planFor(CpuInventory cpus, Topology topology)
    {
        List<String> candidates = spinningCandidates(topology);
        PrimitiveIterator.OfInt isolated = cpus.usableIsolated().stream().iterator();
        int sharedSpinBudget = Math.max(0, cpus.shared().size() - sharedCpusKeptFree(topology));
        List<StagePlan> stages = new ArrayList<>();
        for (String stage : candidates)
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
            if (!candidates.contains(stage))
            {
                stages.add(StagePlan.unpinned(stage, QUIET_WAIT)
                    .withNice(BACKGROUND_STAGES.contains(stage) ? BACKGROUND_NICE : StagePlan.MIN_NICE));
            }
        }
        return AffinityPlan.of(DEFAULT_MODE, Optional.empty(), stages, "default for " + cpus.describe());
    }
}
