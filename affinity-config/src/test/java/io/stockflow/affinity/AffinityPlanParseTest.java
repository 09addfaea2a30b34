package io.stockflow.affinity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffinityPlanParseTest
{
    private static AffinityPlan parse(String text) throws IOException
    {
        return AffinityPlan.parse(new StringReader(text), "plan.properties");
    }

    private static List<String> errorsOf(String text)
    {
        return assertThrows(AffinityPlanException.class, () -> parse(text)).reasons();
    }

    @Test
    void exampleFileInTheRepositoryParses() throws IOException
    {
        try (InputStream in = AffinityPlan.class.getResourceAsStream("example-affinity.properties"))
        {
            assertNotNull(in, "example-affinity.properties is on the class path");
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
            {
                AffinityPlan plan = AffinityPlan.parse(reader, "example-affinity.properties");
                assertEquals(AffinityMode.BEST_EFFORT, plan.mode());
                assertEquals(StagePlan.pinned(Stages.JOURNAL, 1, WaitStrategyKind.BUSY_SPIN),
                    plan.stage(Stages.JOURNAL));
                assertEquals(StagePlan.unpinned(Stages.LOGIC, WaitStrategyKind.BLOCKING), plan.stage(Stages.LOGIC));
                assertEquals(10, plan.stage(Stages.SNAPSHOT).nice());
            }
        }
    }

    @Test
    void parsesModeCpusWaitsCommentsAndSpellingVariants() throws IOException
    {
        AffinityPlan plan = parse(String.join("\n",
            "# a comment",
            "",
            "mode = REQUIRED",
            "stage.logic.wait = Busy_Spin   # trailing comment",
            "stage.logic.cpu=3",
            "stage.outcome.cpu = none",
            "stage.outcome.wait = sleeping"));
        assertEquals(AffinityMode.REQUIRED, plan.mode());
        assertEquals(StagePlan.pinned(Stages.LOGIC, 3, WaitStrategyKind.BUSY_SPIN), plan.stage(Stages.LOGIC));
        assertEquals(StagePlan.unpinned(Stages.OUTCOME, WaitStrategyKind.SLEEPING), plan.stage(Stages.OUTCOME));
    }

    @Test
    void missingModeIsBestEffortAndMissingStagesRunUnpinnedAndBlocking() throws IOException
    {
        AffinityPlan plan = parse("stage.journal.cpu = 1\n");
        assertEquals(AffinityMode.BEST_EFFORT, plan.mode());
        assertEquals(new StagePlan(Stages.JOURNAL, OptionalInt.of(1), WaitStrategyKind.BLOCKING),
            plan.stage(Stages.JOURNAL));
        assertEquals(Stages.all().size(), plan.stages().size());
        assertEquals(StagePlan.unpinned(Stages.SNAPSHOT, WaitStrategyKind.BLOCKING), plan.stage(Stages.SNAPSHOT));
    }

    @Test
    void niceIsReadPerStageAndAMissingOneIsTheProcessPriority() throws IOException
    {
        AffinityPlan plan = parse("stage.snapshot.nice = 10\nstage.pretouch.nice = 0\nstage.logic.nice=19\n");
        assertEquals(10, plan.stage(Stages.SNAPSHOT).nice());
        assertEquals(0, plan.stage(Stages.PRETOUCH).nice());
        assertEquals(19, plan.stage(Stages.LOGIC).nice());
        assertEquals(0, plan.stage(Stages.JOURNAL).nice());
    }

    @Test
    void negativeNiceIsRefusedBecauseRaisingPriorityNeedsPrivileges()
    {
        assertEquals(List.of("plan.properties:1: nice -5 for stage snapshot is negative: raising a thread's priority"
            + " needs privileges, so a plan may only lower it (0 to 19)"), errorsOf("stage.snapshot.nice = -5\n"));
    }

    @Test
    void niceAboveNineteenAndNonIntegerNiceAreRefusedWithTheirLineNumbers()
    {
        assertEquals(List.of(
            "plan.properties:1: nice 20 for stage snapshot is above 19, the lowest priority Linux gives"
                + " (expected 0 to 19)",
            "plan.properties:2: bad nice 'low' for stage pretouch (expected a whole number from 0 to 19)",
            "plan.properties:3: bad nice '2.5' for stage logic (expected a whole number from 0 to 19)"),
            errorsOf("stage.snapshot.nice = 20\nstage.pretouch.nice = low\nstage.logic.nice = 2.5\n"));
    }

    @Test
    void stagePlanRefusesANiceOutsideZeroToNineteen()
    {
        assertThrows(IllegalArgumentException.class,
            () -> StagePlan.unpinned(Stages.SNAPSHOT, WaitStrategyKind.BLOCKING).withNice(-1));
        assertThrows(IllegalArgumentException.class,
            () -> StagePlan.unpinned(Stages.SNAPSHOT, WaitStrategyKind.BLOCKING).withNice(20));
    }

    @Test
    void topologyLineIsReadAndAMissingOneLeavesTheChoiceToTheCpus() throws IOException
    {
        AffinityPlan fused = parse("topology = Fused\nstage.fused.wait = yielding\n");
        assertEquals(Optional.of(Topology.FUSED), fused.topology());
        assertEquals(StagePlan.unpinned(Stages.FUSED, WaitStrategyKind.YIELDING), fused.stage(Stages.FUSED));
        assertEquals(Optional.empty(), parse("mode = off\n").topology());
        EffectivePlan onTwoCpus = AffinityPlanner.resolve(parse("mode = off\n"),
            CpuInventory.ofCpus(CpuSet.range(0, 1)));
        assertEquals(Topology.FUSED, onTwoCpus.topology());
        assertTrue(onTwoCpus.topologyReason().startsWith("default for 2 usable CPUs"), onTwoCpus.topologyReason());
    }

    @Test
    void unknownTopologyIsReportedWithLineNumber()
    {
        assertEquals(List.of("plan.properties:2: unknown topology 'serial' (expected parallel, fused)"),
            errorsOf("mode = off\ntopology = serial\n"));
    }

    @Test
    void stagesAreKeptInPipelineOrderWhateverTheFileOrder() throws IOException
    {
        AffinityPlan plan = parse("stage.outcome.cpu = 0\nstage.journal.cpu = 1\n");
        assertEquals(Stages.all(), plan.stages().stream().map(StagePlan::stage).collect(Collectors.toList()));
    }

    @Test
    void unknownKeyIsReportedWithFileAndLineNumber()
    {
        assertEquals(
            List.of(
                "plan.properties:2: unknown key 'threads' (expected mode, topology, stage.<stage>.cpu, stage.<stage>.wait or stage.<stage>.nice)"),
            errorsOf("mode = off\nthreads = 3\n"));
    }

    @Test
    void unknownStageIsReportedWithLineNumber()
    {
        List<String> errors = errorsOf("\n\nstage.jornal.cpu = 1\n");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("plan.properties:3: unknown stage 'jornal'"), errors.get(0));
    }

    @Test
    void unknownStagePropertyIsReportedWithLineNumber()
    {
        List<String> errors = errorsOf("stage.journal.cpus = 1\n");
        assertEquals(
            List.of("plan.properties:1: unknown key 'stage.journal.cpus' (a stage takes only .cpu, .wait and .nice)"),
            errors);
    }

    @Test
    void badCpuIsReportedWithLineNumber()
    {
        List<String> errors = errorsOf("mode = required\nstage.logic.cpu = two\nstage.outcome.cpu = -1\n");
        assertEquals(2, errors.size());
        assertTrue(errors.get(0).startsWith("plan.properties:2: bad CPU 'two' for stage logic"), errors.get(0));
        assertTrue(errors.get(1).startsWith("plan.properties:3: bad CPU '-1' for stage outcome"), errors.get(1));
    }

    @Test
    void badWaitStrategyIsReportedWithLineNumberAndTheAcceptedNames()
    {
        List<String> errors = errorsOf("stage.journal.wait = spin\n");
        assertEquals(List.of("plan.properties:1: unknown wait strategy 'spin' for stage journal"
            + " (expected busy-spin, yielding, sleeping, blocking)"), errors);
    }

    @Test
    void badModeIsReportedWithLineNumber()
    {
        List<String> errors = errorsOf("mode = strict\n");
        assertEquals(List.of("plan.properties:1: unknown mode 'strict' (expected off, best-effort, required)"), errors);
    }

    @Test
    void duplicateKeyIsReportedWithBothLineNumbers()
    {
        List<String> errors = errorsOf("stage.journal.cpu = 1\n# again\nstage.journal.cpu = 0\n");
        assertEquals(List.of("plan.properties:3: duplicate key 'stage.journal.cpu' (first set on line 1)"), errors);
    }

    @Test
    void lineWithoutEqualsIsReported()
    {
        assertEquals(List.of("plan.properties:1: expected 'key = value' but found 'mode best-effort'"),
            errorsOf("mode best-effort\n"));
    }

    @Test
    void everyErrorIsReportedInLineOrderInOneException()
    {
        List<String> errors = errorsOf("stage.logic.cpu = x\nmode = ?\nfoo = 1\nstage.logic.wait = fast\n");
        assertEquals(4, errors.size());
        for (int i = 0; i < errors.size(); i++)
        {
            assertTrue(errors.get(i).startsWith("plan.properties:" + (i + 1) + ": "), errors.get(i));
        }
    }

    @Test
    void parseFromPathNamesTheFileInErrors(@TempDir Path directory) throws IOException
    {
        Path file = directory.resolve("affinity.properties");
        Files.writeString(file, "mode = best-effort\nstage.logic.wait = nope\n");
        AffinityPlanException error = assertThrows(AffinityPlanException.class, () -> AffinityPlan.parse(file));
        assertTrue(error.reasons().get(0).startsWith(file + ":2: "), error.reasons().get(0));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
    }

    @Test
    void aBinaryFileIsRefusedAsNotAPlanNamingTheFile(@TempDir Path directory) throws IOException
    {
        Path file = directory.resolve("affinity.bin");
        Files.write(file, new byte[] {(byte)0xff, (byte)0xfe, 0, 1, (byte)0xc3, 0x28});
        AffinityPlanException error = assertThrows(AffinityPlanException.class, () -> AffinityPlan.parse(file));
        assertEquals(file + ": not a plan file: not UTF-8 text (a plan is lines of key = value)",
            error.reasons().get(0));
    }
}
