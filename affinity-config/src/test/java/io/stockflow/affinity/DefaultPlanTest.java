package io.stockflow.affinity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.stockflow.affinity.WaitStrategyKind.BUSY_SPIN;
import static io.stockflow.affinity.WaitStrategyKind.YIELDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultPlanTest
{
    private static CpuInventory machine(String mask, String online, String isolated)
    {
        return CpuInventory.of(CpuSet.parse(mask), Optional.empty(), CpuSet.parse(online), CpuSet.parse(isolated));
    }

    private static void assertValidInRequiredMode(AffinityPlan plan, CpuInventory cpus)
    {
        EffectivePlan effective = AffinityPlanner
            .resolve(AffinityPlan.of(AffinityMode.REQUIRED, plan.topology().orElse(DefaultPlanPolicy.topologyFor(cpus)),
                plan.stages()), cpus);
        assertEquals(List.of(), effective.fallbackReasons());
    }

    @Test
    void nothingSpinsOrIsPinnedOnATwoCpuMachine()
    {
        CpuInventory cpus = CpuInventory.ofCpus(CpuSet.range(0, 1));
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        assertEquals(AffinityMode.BEST_EFFORT, plan.mode());
        for (StagePlan stage : plan.stages())
        {
            assertFalse(stage.waitStrategy().spins(), stage.toString());
            assertFalse(stage.cpu().isPresent(), stage.toString());
            assertEquals(DefaultPlanPolicy.QUIET_WAIT, stage.waitStrategy());
        }
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void aTopologyChosenByTheCallerGetsTheIsolatedCpusForItsOwnStages()
    {
        CpuInventory cpus = machine("0-7", "0-7", "6-7");
        AffinityPlan fused = AffinityPlan.defaultFor(cpus, Topology.FUSED);
        assertEquals(Optional.of(Topology.FUSED), fused.topology());
        EffectivePlan effective = AffinityPlanner.resolve(fused, cpus);
        assertEquals(BUSY_SPIN, effective.stage(Stages.FUSED).waitEffective());
        assertTrue(effective.stage(Stages.FUSED).cpuPlanned().isPresent(), effective.toTable());
        assertFalse(effective.stage(Stages.JOURNAL).cpuPlanned().isPresent(), effective.toTable());
        assertValidInRequiredMode(fused, cpus);
        assertValidInRequiredMode(AffinityPlan.defaultFor(cpus, Topology.PARALLEL), cpus);
    }

    @Test
    void onlyTheBackgroundStagesThatMayLagAndTheHelpersRunAtBackgroundNice()
    {
        for (CpuInventory cpus : List.of(CpuInventory.ofCpus(CpuSet.range(0, 1)), machine("0-7", "0-7", "2-7")))
        {
            AffinityPlan plan = AffinityPlan.defaultFor(cpus);
            for (StagePlan stage : plan.stages())
            {
                assertEquals(stage.stage().equals(Stages.SNAPSHOT) ? DefaultPlanPolicy.BACKGROUND_NICE : 0,
                    stage.nice(),
                    stage.toString());
            }
            EffectivePlan effective = AffinityPlanner.resolve(plan, cpus);
            assertEquals(DefaultPlanPolicy.BACKGROUND_NICE, effective.helperNice());
            assertEquals(DefaultPlanPolicy.BACKGROUND_NICE, effective.helperThreadFactory("sampler").nice());
            assertTrue(effective.toTable().contains("helper threads (sampler, archiver): unpinned, nice +"
                + DefaultPlanPolicy.BACKGROUND_NICE), effective.toTable());
        }
    }

    @Test
    void topologyIsFusedBelowFourUsableCpusAndParallelFromFour()
    {
        for (int count = 1; count <= 8; count++)
        {
            CpuInventory cpus = CpuInventory.ofCpus(CpuSet.range(0, count - 1));
            EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.defaultFor(cpus), cpus);
            assertEquals(count >= DefaultPlanPolicy.PARALLEL_MIN_USABLE_CPUS ? Topology.PARALLEL : Topology.FUSED,
                plan.topology(), plan.toTable());
            assertTrue(plan.toTable().lines().findFirst().orElseThrow().contains(", topology "
                + plan.topology().fileName() + " (default for " + count + " usable CPUs"), plan.toTable());
        }
    }

    @Test
    void theFusedConsumerTakesAnIsolatedCpuAndBusySpinsThere()
    {
        CpuInventory cpus = machine("0-2", "0-2", "2");
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        assertEquals(StagePlan.pinned(Stages.FUSED, 2, BUSY_SPIN), plan.stage(Stages.FUSED));
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void journalAndLogicBusySpinOnTheirOwnIsolatedCpusOnAnEightCpuMachine()
    {
        CpuInventory cpus = machine("0-7", "0-7", "2-7");
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        assertEquals(StagePlan.pinned(Stages.JOURNAL, 2, BUSY_SPIN), plan.stage(Stages.JOURNAL));
        assertEquals(StagePlan.pinned(Stages.LOGIC, 3, BUSY_SPIN), plan.stage(Stages.LOGIC));
        assertEquals(StagePlan.unpinned(Stages.OUTCOME, DefaultPlanPolicy.QUIET_WAIT), plan.stage(Stages.OUTCOME));
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void isolatedCpusOutsideTheProcessMaskAreNotUsed()
    {
        CpuInventory cpus = machine("0-1", "0-7", "2-7");
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        for (StagePlan stage : plan.stages())
        {
            assertFalse(stage.cpu().isPresent(), stage.toString());
            assertFalse(stage.waitStrategy().spins(), stage.toString());
        }
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void withoutIsolatedCpusABigMachineYieldsUnpinned()
    {
        CpuInventory cpus = machine("0-7", "0-7", "");
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        assertEquals(StagePlan.unpinned(Stages.JOURNAL, YIELDING), plan.stage(Stages.JOURNAL));
        assertEquals(StagePlan.unpinned(Stages.LOGIC, YIELDING), plan.stage(Stages.LOGIC));
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void oneIsolatedCpuGoesToTheJournal()
    {
        CpuInventory cpus = machine("0-3", "0-3", "3");
        AffinityPlan plan = AffinityPlan.defaultFor(cpus);
        assertEquals(StagePlan.pinned(Stages.JOURNAL, 3, BUSY_SPIN), plan.stage(Stages.JOURNAL));
        assertEquals(StagePlan.unpinned(Stages.LOGIC, YIELDING), plan.stage(Stages.LOGIC));
        assertValidInRequiredMode(plan, cpus);
    }

    @Test
    void defaultIsValidOnEveryMachineShape()
    {
        for (int count = 1; count <= 16; count++)
        {
            for (int isolated = 0; isolated < count; isolated++)
            {
                String isolatedList = isolated == 0 ? "" : (count - isolated) + "-" + (count - 1);
                CpuInventory cpus = machine("0-" + (count - 1), "0-" + (count - 1), isolatedList);
                assertValidInRequiredMode(AffinityPlan.defaultFor(cpus), cpus);
            }
        }
    }
}
