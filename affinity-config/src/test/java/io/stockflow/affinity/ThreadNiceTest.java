package io.stockflow.affinity;

import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.stockflow.affinity.WaitStrategyKind.BLOCKING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadNiceTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int UNREAD = Integer.MIN_VALUE;

    private final List<EffectivePlan> plans = new ArrayList<>();

    @AfterEach
    void noThreadLeaks() throws InterruptedException
    {
        for (EffectivePlan plan : plans)
        {
            assertTrue(plan.joinAll(WAIT), "leaked " + plan.liveThreads());
        }
    }

    /** Field 19 of {@code /proc/self/task/<tid>/stat}: read independently of the getpriority read-back. */
    private static int procNice(int threadId) throws IOException
    {
        String stat = Files.readString(Path.of("/proc/self/task/" + threadId + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(afterName[19 - 3]);
    }

    private static int processNice() throws IOException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        int processNice = procNice((int)ProcessHandle.current().pid());
        assumeTrue(processNice < ThreadNice.MAX_NICE, "the process already runs at the lowest priority");
        return processNice;
    }

    private EffectivePlan resolve(AffinityMode mode, StagePlan... stages)
    {
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.of(mode, Topology.PARALLEL, List.of(stages)),
            CpuInventory.detect());
        plans.add(plan);
        return plan;
    }

    private static int niceSeenFromInside(PinnedThreadFactory factory) throws Exception
    {
        AtomicInteger seen = new AtomicInteger(UNREAD);
        Thread thread = factory.newThread(() ->
        {
            try
            {
                seen.set(procNice(Affinity.getThreadId()));
            }
            catch (IOException e)
            {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        thread.join(WAIT.toMillis());
        return seen.get();
    }

    @Test
    void stageThreadRunsAtTheProcessNicePlusItsPlannedNiceAsTheKernelReports() throws Exception
    {
        int processNice = processNice();
        EffectivePlan plan = resolve(AffinityMode.REQUIRED,
            StagePlan.unpinned(Stages.SNAPSHOT, BLOCKING).withNice(3));
        int expected = ThreadNice.target(processNice, 3);
        assertEquals(expected, niceSeenFromInside(plan.threadFactoryFor(Stages.SNAPSHOT)));
        ThreadBinding binding = plan.awaitBindings(WAIT).get(0);
        assertEquals(OptionalInt.of(expected), binding.niceObtained(), binding.toString());
        assertEquals(3, binding.niceAsked());
        assertTrue(binding.bound(), binding.toString());
        assertEquals(OptionalInt.of(expected), plan.stage(Stages.SNAPSHOT).niceObtained());
    }

    @Test
    void niceIsCappedAtNineteenAndStillCountsAsApplied() throws Exception
    {
        processNice();
        EffectivePlan plan = resolve(AffinityMode.REQUIRED,
            StagePlan.unpinned(Stages.SNAPSHOT, BLOCKING).withNice(ThreadNice.MAX_NICE));
        assertEquals(ThreadNice.MAX_NICE, niceSeenFromInside(plan.threadFactoryFor(Stages.SNAPSHOT)));
        assertTrue(plan.awaitBindings(WAIT).get(0).bound());
    }

    @Test
    void helperThreadsRunAtTheSnapshotStagesNice() throws Exception
    {
        int processNice = processNice();
        EffectivePlan plan = resolve(AffinityMode.BEST_EFFORT,
            StagePlan.unpinned(Stages.SNAPSHOT, BLOCKING).withNice(2),
            StagePlan.unpinned(Stages.PRETOUCH, BLOCKING));
        assertEquals(ThreadNice.target(processNice, 2), niceSeenFromInside(plan.helperThreadFactory("sampler")));
        assertEquals(processNice, niceSeenFromInside(plan.threadFactoryFor(Stages.PRETOUCH)));
    }

    @Test
    void modeOffLeavesTheInheritedNice() throws Exception
    {
        int processNice = processNice();
        EffectivePlan plan = resolve(AffinityMode.OFF, StagePlan.unpinned(Stages.SNAPSHOT, BLOCKING).withNice(5));
        assertEquals(processNice, niceSeenFromInside(plan.threadFactoryFor(Stages.SNAPSHOT)));
        assertEquals(OptionalInt.of(processNice), plan.awaitBindings(WAIT).get(0).niceObtained());
    }

    @Test
    void aNiceThatCannotBeReadIsAProblemUnlessNoneWasAsked()
    {
        ThreadNice.Result asked = ThreadNice.applyToCurrentThread(AffinityMode.REQUIRED, 5, -1);
        assertEquals(OptionalInt.empty(), asked.obtained());
        assertEquals("nice 5 not applied: cannot read the thread's priority (not Linux?)",
            asked.problem().orElseThrow());
        assertEquals(Optional.empty(),
            ThreadNice.applyToCurrentThread(AffinityMode.REQUIRED, 0, -1).problem());
    }
}
