package io.stockflow.affinity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.stockflow.affinity.WaitStrategyKind.BLOCKING;
import static io.stockflow.affinity.WaitStrategyKind.BUSY_SPIN;
import static io.stockflow.affinity.WaitStrategyKind.SLEEPING;
import static io.stockflow.affinity.WaitStrategyKind.YIELDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffinityPlannerTest
{
    private static final CpuInventory TWO_CPUS = CpuInventory.ofCpus(CpuSet.range(0, 1));
    private static final CpuInventory FOUR_CPUS_TWO_ISOLATED =
        CpuInventory.of(CpuSet.range(0, 3), Optional.empty(), CpuSet.range(0, 3), CpuSet.of(2, 3));
    private static final CpuInventory CPUSET_FOUR_TO_FIVE =
        CpuInventory.of(CpuSet.range(0, 7), Optional.of(CpuSet.of(4, 5)), CpuSet.range(0, 7), CpuSet.empty());

    private static AffinityPlan plan(AffinityMode mode, StagePlan... stages)
    {
        return AffinityPlan.of(mode, Topology.PARALLEL, List.of(stages));
    }

    private static List<String> refusal(AffinityPlan plan, CpuInventory cpus)
    {
        return assertThrows(AffinityPlanException.class, () -> AffinityPlanner.resolve(plan, cpus)).reasons();
    }

    private static void assertOneReason(List<String> reasons, String... fragments)
    {
        assertEquals(1, reasons.size(), reasons.toString());
        for (String fragment : fragments)
        {
            assertTrue(reasons.get(0).contains(fragment), "'" + reasons.get(0) + "' should contain '" + fragment + "'");
        }
    }

    @Test
    void validPlanRunsAsAskedWithNoFallback()
    {
        EffectivePlan effective = AffinityPlanner.resolve(plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN),
            StagePlan.unpinned(Stages.LOGIC, SLEEPING)), TWO_CPUS);
        EffectiveStage journal = effective.stage(Stages.JOURNAL);
        assertEquals(OptionalInt.of(1), journal.cpuPlanned());
        assertEquals(BUSY_SPIN, journal.waitEffective());
        assertEquals(SLEEPING, effective.stage(Stages.LOGIC).waitEffective());
        assertEquals(List.of(), effective.fallbackReasons());
    }

    @Test
    void aCpuForAStageTheTopologyDoesNotRunIsRefusedInRequiredModeAndReportedInBestEffort()
    {
        AffinityPlan fused = AffinityPlan.of(AffinityMode.REQUIRED, Topology.FUSED,
            List.of(StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING)));
        assertOneReason(refusal(fused, TWO_CPUS), "stage journal", "CPU 1 asked", "fused topology does not run",
            "pin stage fused");
        AffinityPlan parallel = plan(AffinityMode.REQUIRED, StagePlan.pinned(Stages.FUSED, 0, BLOCKING));
        assertOneReason(refusal(parallel, TWO_CPUS), "stage fused", "parallel topology does not run",
            "set topology = fused");
        EffectivePlan bestEffort = AffinityPlanner.resolve(AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.FUSED,
            List.of(StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING))), TWO_CPUS);
        assertEquals(1, bestEffort.fallbackReasons().size(), bestEffort.fallbackReasons().toString());
        assertTrue(bestEffort.fallbackReasons().get(0).contains("fused topology does not run this stage"),
            bestEffort.fallbackReasons().toString());
    }

    @Test
    void cpuOutsideTheProcessMaskIsNotAllowed()
    {
        assertOneReason(refusal(plan(AffinityMode.REQUIRED, StagePlan.pinned(Stages.JOURNAL, 5, BLOCKING)), TWO_CPUS),
            "stage journal", "CPU 5", "not allowed", "usable CPUs 0-1");
    }

    @Test
    void cpuOutsideTheContainerCpusetIsNotAllowedEvenWhenOnline()
    {
        AffinityPlan plan = plan(AffinityMode.REQUIRED, StagePlan.pinned(Stages.LOGIC, 1, BLOCKING));
        assertOneReason(refusal(plan, CPUSET_FOUR_TO_FIVE), "stage logic", "CPU 1", "not allowed", "cpuset 4-5");
        AffinityPlan inside = plan(AffinityMode.REQUIRED, StagePlan.pinned(Stages.LOGIC, 4, BLOCKING));
        assertEquals(OptionalInt.of(4),
            AffinityPlanner.resolve(inside, CPUSET_FOUR_TO_FIVE).stage(Stages.LOGIC).cpuPlanned());
    }

    @Test
    void notAllowedCpuFallsBackToUnpinnedInBestEffort()
    {
        EffectivePlan effective = AffinityPlanner.resolve(
            plan(AffinityMode.BEST_EFFORT, StagePlan.pinned(Stages.JOURNAL, 5, BLOCKING)), TWO_CPUS);
        EffectiveStage journal = effective.stage(Stages.JOURNAL);
        assertEquals(OptionalInt.of(5), journal.cpuAsked());
        assertEquals(OptionalInt.empty(), journal.cpuPlanned());
        assertOneReason(journal.fallbackReasons(), "CPU 5 is not allowed", "runs unpinned");
    }

    @Test
    void twoBusySpinningStagesOnOneCpuAreRefused()
    {
        AffinityPlan plan = plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 2, BUSY_SPIN), StagePlan.pinned(Stages.LOGIC, 2, BUSY_SPIN));
        assertOneReason(refusal(plan, FOUR_CPUS_TWO_ISOLATED),
            "stage logic", "two busy-spinning stages on CPU 2 (journal and logic)");
    }

    @Test
    void stageOnTheCpuOfABusySpinnerIsRefusedAndUnpinnedInBestEffort()
    {
        AffinityPlan plan = plan(AffinityMode.BEST_EFFORT,
            StagePlan.pinned(Stages.JOURNAL, 2, BUSY_SPIN), StagePlan.pinned(Stages.OUTCOME, 2, BLOCKING));
        EffectiveStage outcome = AffinityPlanner.resolve(plan, FOUR_CPUS_TWO_ISOLATED).stage(Stages.OUTCOME);
        assertEquals(OptionalInt.empty(), outcome.cpuPlanned());
        assertOneReason(outcome.fallbackReasons(), "shares CPU 2 with busy-spinning stage journal");
    }

    @Test
    void busySpinningStageSharingACpuIsRefusedAndYieldsInBestEffort()
    {
        AffinityPlan required = plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 3, BLOCKING), StagePlan.pinned(Stages.LOGIC, 3, BUSY_SPIN));
        assertOneReason(refusal(required, FOUR_CPUS_TWO_ISOLATED),
            "stage logic", "busy-spinning stage shares CPU 3 with stage journal");
        AffinityPlan bestEffort = AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.PARALLEL, required.stages());
        EffectiveStage logic = AffinityPlanner.resolve(bestEffort, FOUR_CPUS_TWO_ISOLATED).stage(Stages.LOGIC);
        assertEquals(OptionalInt.of(3), logic.cpuPlanned());
        assertEquals(YIELDING, logic.waitEffective());
    }

    @Test
    void moreSpinningStagesThanCpusIsRefusedOnTwoCpus()
    {
        AffinityPlan plan = plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN), StagePlan.pinned(Stages.LOGIC, 0, BUSY_SPIN));
        assertOneReason(refusal(plan, TWO_CPUS),
            "stage logic", "more spinning stages than CPUs", "CPU 0", "publisher");
    }

    @Test
    void unpinnedSpinningStagesCountAgainstTheSharedCpusAndThePublisher()
    {
        AffinityPlan onePlusPublisher = plan(AffinityMode.REQUIRED, StagePlan.unpinned(Stages.JOURNAL, BUSY_SPIN));
        assertEquals(BUSY_SPIN,
            AffinityPlanner.resolve(onePlusPublisher, TWO_CPUS).stage(Stages.JOURNAL).waitEffective());
        AffinityPlan twoPlusPublisher = plan(AffinityMode.REQUIRED,
            StagePlan.unpinned(Stages.JOURNAL, BUSY_SPIN), StagePlan.unpinned(Stages.LOGIC, YIELDING));
        assertOneReason(refusal(twoPlusPublisher, TWO_CPUS),
            "stage logic", "more spinning stages than CPUs", "yielding with CPU none", "publisher");
    }

    @Test
    void spinnersPinnedToIsolatedCpusCostNoSharedCpu()
    {
        EffectivePlan effective = AffinityPlanner.resolve(plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 2, BUSY_SPIN),
            StagePlan.pinned(Stages.LOGIC, 3, BUSY_SPIN),
            StagePlan.unpinned(Stages.OUTCOME, YIELDING)), FOUR_CPUS_TWO_ISOLATED);
        assertEquals(List.of(), effective.fallbackReasons());
    }

    @Test
    void requiredModeListsEveryReasonAtOnce()
    {
        AffinityPlan plan = plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 7, BLOCKING),
            StagePlan.pinned(Stages.LOGIC, 0, BUSY_SPIN),
            StagePlan.pinned(Stages.OUTCOME, 0, BUSY_SPIN));
        List<String> reasons = refusal(plan, TWO_CPUS);
        assertEquals(3, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).startsWith("stage journal: CPU 7 is not allowed"), reasons.get(0));
        assertTrue(reasons.get(1).startsWith("stage outcome: two busy-spinning stages on CPU 0"), reasons.get(1));
        assertTrue(reasons.get(2).startsWith("stage outcome: more spinning stages than CPUs"), reasons.get(2));
    }

    @Test
    void bestEffortOnTwoCpusKeepsTheFirstSpinnerAndDowngradesTheRest()
    {
        EffectivePlan effective = AffinityPlanner.resolve(plan(AffinityMode.BEST_EFFORT,
            StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN),
            StagePlan.pinned(Stages.LOGIC, 1, BUSY_SPIN),
            StagePlan.unpinned(Stages.OUTCOME, YIELDING)), TWO_CPUS);
        EffectiveStage journal = effective.stage(Stages.JOURNAL);
        EffectiveStage logic = effective.stage(Stages.LOGIC);
        EffectiveStage outcome = effective.stage(Stages.OUTCOME);
        assertEquals(OptionalInt.of(1), journal.cpuPlanned());
        assertEquals(BUSY_SPIN, journal.waitEffective());
        assertEquals(List.of(), journal.fallbackReasons());
        assertEquals(OptionalInt.empty(), logic.cpuPlanned());
        assertEquals(BLOCKING, logic.waitEffective());
        assertEquals(2, logic.fallbackReasons().size(), logic.fallbackReasons().toString());
        assertEquals(BLOCKING, outcome.waitEffective());
        assertOneReason(outcome.fallbackReasons(), "more spinning stages than CPUs");
        assertEquals(3, effective.fallbackReasons().size());
    }

    @Test
    void unpinnedThreadsAvoidTheCpuOfAPinnedBusySpinner()
    {
        EffectivePlan effective = AffinityPlanner.resolve(
            plan(AffinityMode.BEST_EFFORT, StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN)), TWO_CPUS);
        assertEquals(CpuSet.of(0), effective.unpinnedCpus());
    }

    @Test
    void offModePinsNothingKeepsQuietWaitsButStillDowngradesOversubscribedSpinning()
    {
        EffectivePlan effective = AffinityPlanner.resolve(plan(AffinityMode.OFF,
            StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN),
            StagePlan.pinned(Stages.LOGIC, 9, BUSY_SPIN),
            StagePlan.pinned(Stages.OUTCOME, 0, SLEEPING)), TWO_CPUS);
        for (EffectiveStage stage : effective.stages())
        {
            assertEquals(OptionalInt.empty(), stage.cpuPlanned(), stage.stage());
        }
        assertEquals(BUSY_SPIN, effective.stage(Stages.JOURNAL).waitEffective());
        assertEquals(BLOCKING, effective.stage(Stages.LOGIC).waitEffective());
        assertEquals(SLEEPING, effective.stage(Stages.OUTCOME).waitEffective());
        assertEquals(List.of("mode off: not pinned"), effective.stage(Stages.OUTCOME).fallbackReasons());
        assertEquals(CpuSet.range(0, 1), effective.unpinnedCpus());
    }

    @Test
    void backgroundStagesArePlannedLikeTheOthers()
    {
        AffinityPlan plan = plan(AffinityMode.REQUIRED,
            StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN), StagePlan.pinned(Stages.SNAPSHOT, 1, BLOCKING));
        assertOneReason(refusal(plan, TWO_CPUS), "stage snapshot", "shares CPU 1 with busy-spinning stage journal");
    }
}
