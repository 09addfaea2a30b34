package io.stockflow.affinity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.stockflow.affinity.WaitStrategyKind.BLOCKING;
import static io.stockflow.affinity.WaitStrategyKind.BUSY_SPIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EffectivePlanTableTest
{
    private static final CpuInventory TWO_CPUS = CpuInventory.ofCpus(CpuSet.range(0, 1));

    @Test
    void aTopologyTheEnginesCallerChoseIsNotLabelledAsAskedByThePlan()
    {
        // On 2 CPUs the default topology is fused: parallel here can only be the caller's choice.
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.defaultFor(TWO_CPUS, Topology.PARALLEL), TWO_CPUS);
        String first = plan.toTable().split("\n")[0];
        assertTrue(first.endsWith(", topology parallel (chosen by EngineConfig.pipeline)"), first);
    }

    @Test
    void tableShowsAskedEffectiveAndFallbackPerStageInAlignedColumns()
    {
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.PARALLEL,
            List.of(
                StagePlan.pinned(Stages.JOURNAL, 1, BUSY_SPIN),
                StagePlan.pinned(Stages.LOGIC, 0, BUSY_SPIN))),
            TWO_CPUS);
        String[] lines = plan.toTable().split("\n");
        assertEquals(3 + 1 + Topology.PARALLEL.stages().size(), lines.length, plan.toTable());
        assertTrue(lines[0].startsWith("affinity plan: mode best-effort, from explicit plan"), lines[0]);
        assertTrue(lines[0].endsWith(", topology parallel (asked)"), lines[0]);
        assertEquals("cpus: " + TWO_CPUS.describe(), lines[1]);
        assertEquals("helper threads (sampler, archiver): unpinned, nice +0 (the snapshot stage's)", lines[2]);
        String header = lines[3];
        assertTrue(header.startsWith("STAGE"), header);
        assertTrue(lines[4].matches("journal +1 +not started +busy-spin +busy-spin +\\+0 +not started +-"), lines[4]);
        assertTrue(lines[5].matches(
            "logic +0 +not started +busy-spin +blocking +\\+0 +not started +more spinning stages than CPUs: .*"),
            lines[5]);
        int waitColumn = header.indexOf("WAIT ASKED");
        int niceColumn = header.indexOf("NICE ASKED");
        int reasonColumn = header.indexOf("FALLBACK REASON");
        for (int row = 4; row < lines.length; row++)
        {
            assertEquals(' ', lines[row].charAt(waitColumn - 1), lines[row]);
            assertEquals('+', lines[row].charAt(niceColumn), lines[row]);
            assertTrue(lines[row].charAt(reasonColumn) != ' ', lines[row]);
            assertTrue(lines[row].charAt(reasonColumn - 1) == ' ', lines[row]);
        }
    }

    @Test
    void tableShowsTheCpuAThreadReallyObtained() throws Exception
    {
        CpuInventory cpus = CpuInventory.detect();
        assumeTrue(cpus.usable().contains(1), cpus.describe());
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.of(AffinityMode.REQUIRED, Topology.PARALLEL, List.of(
            StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING))), cpus);
        plan.threadFactoryFor(Stages.JOURNAL).newThread(() ->
        {}).start();
        plan.awaitBindings(Duration.ofSeconds(5));
        assertTrue(plan.joinAll(Duration.ofSeconds(5)));
        String journalRow = plan.toTable().split("\n")[4];
        int processNice = ThreadNice.read((int)ProcessHandle.current().pid()).orElseThrow();
        assertTrue(journalRow.matches("journal +1 +1 +blocking +blocking +\\+0 +" + processNice + " +-"), journalRow);
    }
}
