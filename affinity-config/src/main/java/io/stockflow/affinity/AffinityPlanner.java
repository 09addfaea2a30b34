package io.stockflow.affinity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Checks an {@link AffinityPlan} against the CPUs this process may use and produces the
 * {@link EffectivePlan} the engine runs with. Stateless.
 *
 * <p>The topology is the plan's, or {@link DefaultPlanPolicy#topologyFor} the CPUs when the plan
 * names none. Only the stages that run in it ({@link Topology#stages()}) are checked; the others
 * start no thread and keep their plan unchecked.
 *
 * <p>The rules, applied to the stages in pipeline order (so the journal wins any conflict):
 * <ol>
 *   <li><b>CPU not allowed</b>: a pinned CPU outside {@link CpuInventory#usable()}. Fallback:
 *       the stage runs unpinned.</li>
 *   <li><b>Two busy-spinning stages on one CPU</b>, and <b>a stage on the CPU of an earlier
 *       busy-spinning stage</b>: a busy-spinner never gives its CPU away, so it must be alone.
 *       Fallback: the later stage runs unpinned.</li>
 *   <li><b>A busy-spinning stage sharing a CPU</b> an earlier stage is pinned to. Fallback: it
 *       yields instead ({@link WaitStrategyKind#YIELDING} gives the CPU away), keeping the pin.</li>
 *   <li><b>More spinning stages than CPUs</b>. A spinning stage ({@link WaitStrategyKind#spins()})
 *       consumes a whole CPU: its pinned CPU, or, unpinned, one of the shared CPUs (usable, not
 *       isolated, not already held by a spinning stage). After every spinning stage is counted,
 *       {@value DefaultPlanPolicy#PUBLISHER_CPUS} shared CPU must stay free for the caller's
 *       publisher thread, which is not a stage but feeds all of them. A spinning stage pinned to
 *       an isolated CPU costs no shared CPU. Fallback: the stage waits with
 *       {@link DefaultPlanPolicy#FALLBACK_WAIT} (blocking), keeping any pin.</li>
 * </ol>
 *
 * <p>Unpinned stage and helper threads are confined to the shared CPUs minus those of pinned
 * busy-spinning stages ({@link EffectivePlan#unpinnedCpus()}), so nothing the plan controls is
 * scheduled onto a busy-spinner's CPU even on a machine without isolated CPUs.
 *
 * <p>Modes: in {@link AffinityMode#BEST_EFFORT} each broken rule is a fallback, recorded on its
 * row and logged once here as a warning. In {@link AffinityMode#REQUIRED} any broken rule makes
 * {@link #resolve} throw an {@link AffinityPlanException} listing all of them. In
 * {@link AffinityMode#OFF} no stage is pinned (rules 1 to 3 cannot apply) but rule 4 still
 * downgrades oversubscribed spinning, recorded and logged, because spinning past the CPU count
 * stalls the pipeline whatever the pinning.
 */
public final class AffinityPlanner
{
    private static final Logger LOG = LoggerFactory.getLogger(AffinityPlanner.class);
    private static final String FALLBACK = "waits with " + DefaultPlanPolicy.FALLBACK_WAIT.fileName();

    private AffinityPlanner()
    {
    }

    /**
     * Validates a plan and derives what the engine will run.
     *
     * @param plan the plan asked for
     * @param cpus the CPUs of this process
     * @return the effective plan, with a fallback reason on every row that differs from the plan
     * @throws AffinityPlanException in {@link AffinityMode#REQUIRED} mode when any rule is broken
     */
    public static EffectivePlan resolve(AffinityPlan plan, CpuInventory cpus)
    {
        Topology topology = plan.topology().orElseGet(() -> DefaultPlanPolicy.topologyFor(cpus));
        String topologyReason =
            plan.topology().isPresent() ? plan.topologyReason() : DefaultPlanPolicy.topologyReason(cpus);
        List<Draft> drafts = new ArrayList<>();
        List<Draft> running = new ArrayList<>();
        for (StagePlan stage : plan.stages())
        {
            Draft draft = new Draft(stage, plan.mode());
            drafts.add(draft);
            if (topology.runs(stage.stage()))
            {
                running.add(draft);
            }
        }
        List<Violation> violations = new ArrayList<>();
        if (plan.mode() != AffinityMode.OFF)
        {
            checkPinnedStagesRun(drafts, topology, violations);
            checkCpusAllowed(running, cpus, violations);
            checkExclusiveCpus(running, violations);
        }
        checkCapacity(running, cpus, violations);
        violations.sort(Comparator.comparingInt(Violation::stageOrder));
        if (plan.mode() == AffinityMode.REQUIRED && !violations.isEmpty())
        {
            throw new AffinityPlanException("affinity plan from " + plan.source() + " refused in required mode",
                violations.stream().map(Violation::problem).collect(Collectors.toList()));
        }
        for (Violation violation : violations)
        {
            LOG.warn("affinity plan fallback: {}; {}", violation.problem(), violation.fallback());
        }
        CpuSet unpinnedCpus = unpinnedCpus(running, cpus);
        List<EffectiveStage> rows = new ArrayList<>();
        for (Draft draft : drafts)
        {
            rows.add(new EffectiveStage(draft.asked, draft.cpu, draft.wait, draft.reasons, plan.mode(), unpinnedCpus));
        }
        return new EffectivePlan(plan.mode(), topology, topologyReason, plan.source(), cpus, unpinnedCpus, rows);
    }

    private static CpuSet unpinnedCpus(List<Draft> drafts, CpuInventory cpus)
    {
        CpuSet unpinned = cpus.shared();
        for (Draft draft : drafts)
        {
            if (draft.cpu.isPresent() && draft.wait == WaitStrategyKind.BUSY_SPIN)
            {
                unpinned = unpinned.minus(CpuSet.of(draft.cpu.getAsInt()));
            }
        }
        return unpinned.isEmpty() ? cpus.shared() : unpinned;
    }

    /*
     * A CPU asked for a stage the topology does not run would otherwise be dropped without a word: a
     * plan written for the parallel topology pins nothing on a machine where the fused one is chosen.
     */
    private static void checkPinnedStagesRun(List<Draft> drafts, Topology topology, List<Violation> violations)
    {
        for (Draft draft : drafts)
        {
            if (draft.cpu.isPresent() && !topology.runs(draft.name()))
            {
                String instead = topology == Topology.FUSED
                    ? "pin stage " + Stages.FUSED + ", which does its work, or set topology = "
                        + Topology.PARALLEL.fileName()
                    : "set topology = " + Topology.FUSED.fileName() + " to run it";
                draft.violate(violations, "CPU " + draft.cpu.getAsInt() + " asked, but the " + topology.fileName()
                    + " topology does not run this stage (" + instead + ")", "not used");
                draft.cpu = OptionalInt.empty();
            }
        }
    }

    private static void checkCpusAllowed(List<Draft> drafts, CpuInventory cpus, List<Violation> violations)
    {
        for (Draft draft : drafts)
        {
            if (draft.cpu.isPresent() && !cpus.usable().contains(draft.cpu.getAsInt()))
            {
                draft.violate(violations, "CPU " + draft.cpu.getAsInt() + " is not allowed for this process: "
                    + cpus.describe(), "runs unpinned");
                draft.cpu = OptionalInt.empty();
            }
        }
    }

    private static void checkExclusiveCpus(List<Draft> drafts, List<Violation> violations)
    {
        Map<Integer, Draft> firstOnCpu = new HashMap<>();
        for (Draft draft : drafts)
        {
            if (draft.cpu.isEmpty())
            {
                continue;
            }
            int cpu = draft.cpu.getAsInt();
            Draft earlier = firstOnCpu.putIfAbsent(cpu, draft);
            if (earlier == null)
            {
                continue;
            }
            if (earlier.wait == WaitStrategyKind.BUSY_SPIN)
            {
                String why = draft.wait == WaitStrategyKind.BUSY_SPIN
                    ? "two busy-spinning stages on CPU " + cpu + " (" + earlier.name() + " and " + draft.name() + ")"
                    : "shares CPU " + cpu + " with busy-spinning stage " + earlier.name();
                draft.violate(violations, why, "runs unpinned");
                draft.cpu = OptionalInt.empty();
            }
            else if (draft.wait == WaitStrategyKind.BUSY_SPIN)
            {
                draft.violate(violations, "busy-spinning stage shares CPU " + cpu + " with stage " + earlier.name(),
                    "yields instead");
                draft.wait = WaitStrategyKind.YIELDING;
            }
        }
    }

    private static void checkCapacity(List<Draft> drafts, CpuInventory cpus, List<Violation> violations)
    {
        CpuSet freeShared = cpus.shared();
        int unpinnedSpinners = 0;
        for (Draft draft : drafts)
        {
            if (!draft.wait.spins())
            {
                continue;
            }
            String what = draft.wait.fileName();
            if (draft.cpu.isPresent())
            {
                int cpu = draft.cpu.getAsInt();
                if (!freeShared.contains(cpu))
                {
                    continue;
                }
                if (freeShared.size() - 1 - unpinnedSpinners < DefaultPlanPolicy.PUBLISHER_CPUS)
                {
                    draft.violate(violations, "more spinning stages than CPUs: " + what + " on CPU " + cpu
                        + " would leave no shared CPU for the publisher thread (shared CPUs " + cpus.shared()
                        + " already hold " + spinnersOnShared(cpus, freeShared, unpinnedSpinners)
                        + " spinning stage(s))", FALLBACK);
                    draft.wait = DefaultPlanPolicy.FALLBACK_WAIT;
                }
                else
                {
                    freeShared = freeShared.minus(CpuSet.of(cpu));
                }
            }
            else if (freeShared.size() - 1 - unpinnedSpinners < DefaultPlanPolicy.PUBLISHER_CPUS)
            {
                draft.violate(violations, "more spinning stages than CPUs: " + what + " with CPU none needs a shared"
                    + " CPU of its own, but shared CPUs " + cpus.shared() + " already hold "
                    + spinnersOnShared(cpus, freeShared, unpinnedSpinners) + " spinning stage(s) and keep "
                    + DefaultPlanPolicy.PUBLISHER_CPUS + " for the publisher thread", FALLBACK);
                draft.wait = DefaultPlanPolicy.FALLBACK_WAIT;
            }
            else
            {
                unpinnedSpinners++;
            }
        }
    }

    private static int spinnersOnShared(CpuInventory cpus, CpuSet freeShared, int unpinnedSpinners)
    {
        return cpus.shared().size() - freeShared.size() + unpinnedSpinners;
    }

    /** A broken rule: what is wrong (for refusals) and what was done instead (for fallbacks). */
    private record Violation(int stageOrder, String problem, String fallback)
    {}

    /** The planner's working copy of one stage. */
    private static final class Draft
    {
        private final StagePlan asked;
        private final List<String> reasons = new ArrayList<>();
        private OptionalInt cpu;
        private WaitStrategyKind wait;

        Draft(StagePlan asked, AffinityMode mode)
        {
            this.asked = asked;
            this.wait = asked.waitStrategy();
            if (mode == AffinityMode.OFF)
            {
                this.cpu = OptionalInt.empty();
                if (asked.cpu().isPresent())
                {
                    reasons.add("mode off: not pinned");
                }
            }
            else
            {
                this.cpu = asked.cpu();
            }
        }

        String name()
        {
            return asked.stage();
        }

        void violate(List<Violation> violations, String why, String fallback)
        {
            reasons.add(why + "; " + fallback);
            violations.add(new Violation(Stages.order(name()), "stage " + name() + ": " + why, fallback));
        }
    }
}
