package io.stockflow.affinity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.stockflow.affinity.WaitStrategyKind.BLOCKING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PinnedThreadFactoryTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final CpuBinder SILENT_DUMMY = new CpuBinder()
    {
        @Override
        public void bindCurrentThread(CpuSet cpus)
        {
        }

        @Override
        public CpuSet currentThreadCpus()
        {
            return CpuBinder.OPENHFT.currentThreadCpus();
        }

        @Override
        public String describe()
        {
            return "silent dummy";
        }
    };

    private final List<EffectivePlan> plans = new ArrayList<>();
    private final List<PinnedThreadFactory> factories = new ArrayList<>();

    @AfterEach
    void noThreadLeaks() throws InterruptedException
    {
        for (EffectivePlan plan : plans)
        {
            assertTrue(plan.joinAll(WAIT), "leaked " + plan.liveThreads());
        }
        for (PinnedThreadFactory factory : factories)
        {
            assertTrue(factory.joinAll(WAIT), "leaked " + factory.liveThreads());
        }
    }

    private EffectivePlan resolve(AffinityMode mode, CpuInventory cpus, StagePlan... stages)
    {
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.of(mode, Topology.PARALLEL, List.of(stages)), cpus);
        plans.add(plan);
        return plan;
    }

    private static CpuInventory machineWithCpuOne()
    {
        CpuInventory cpus = CpuInventory.detect();
        assumeTrue(cpus.usable().containsAll(CpuSet.of(0, 1)), "needs CPUs 0 and 1: " + cpus.describe());
        return cpus;
    }

    @Test
    void threadReallyRunsOnlyOnItsCpuAsProcTaskStatusShowsFromInside() throws Exception
    {
        CpuInventory cpus = machineWithCpuOne();
        EffectivePlan plan = resolve(AffinityMode.REQUIRED, cpus, StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING));
        AtomicReference<String> seenInside = new AtomicReference<>();
        Thread thread = plan.threadFactoryFor(Stages.JOURNAL).newThread(
            () -> seenInside.set(ThreadMasks.currentThreadCpusAllowedList()));
        assertEquals("stockflow-journal-cpu1", thread.getName());
        thread.start();
        List<ThreadBinding> bindings = plan.awaitBindings(WAIT);
        thread.join(WAIT.toMillis());
        assertEquals("1", seenInside.get());
        assertEquals(1, bindings.size());
        assertTrue(bindings.get(0).bound(), bindings.toString());
        assertEquals(CpuSet.of(1), plan.stage(Stages.JOURNAL).cpusObtained().orElseThrow());
        assertTrue(bindings.get(0).threadId() > 0, bindings.toString());
    }

    @Test
    void linuxThreadsInheritTheCreatorsPinButHelperAndUnpinnedStageThreadsDoNot() throws Exception
    {
        CpuInventory cpus = machineWithCpuOne();
        EffectivePlan plan = resolve(AffinityMode.REQUIRED, cpus, StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING));
        PinnedThreadFactory helpers = plan.helperThreadFactory("journal-roller");
        PinnedThreadFactory standalone = PinnedThreadFactory.unpinnedThreadFactory("standalone");
        factories.add(standalone);
        AtomicReference<String> plain = new AtomicReference<>();
        AtomicReference<String> helper = new AtomicReference<>();
        AtomicReference<String> unpinnedStage = new AtomicReference<>();
        AtomicReference<String> standaloneHelper = new AtomicReference<>();
        Thread pinned = plan.threadFactoryFor(Stages.JOURNAL).newThread(() ->
        {
            List<Thread> children = List.of(
                new Thread(() -> plain.set(ThreadMasks.currentThreadCpusAllowedList())),
                helpers.newThread(() -> helper.set(ThreadMasks.currentThreadCpusAllowedList())),
                plan.threadFactoryFor(Stages.LOGIC).newThread(
                    () -> unpinnedStage.set(ThreadMasks.currentThreadCpusAllowedList())),
                standalone.newThread(() -> standaloneHelper.set(ThreadMasks.currentThreadCpusAllowedList())));
            children.forEach(Thread::start);
            for (Thread child : children)
            {
                try
                {
                    child.join(WAIT.toMillis());
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        });
        pinned.start();
        pinned.join(WAIT.toMillis());
        String shared = cpus.shared().toString();
        assertEquals("1", plain.get(), "a plain Linux thread inherits its creator's mask");
        assertEquals(shared, helper.get());
        assertEquals(shared, unpinnedStage.get());
        assertEquals(shared, standaloneHelper.get());
        assertEquals("stockflow-journal-roller-unpinned", helpers.threads().get(0).getName());
        assertEquals(CpuSet.parse(shared), plan.stage(Stages.LOGIC).cpusObtained().orElseThrow());
    }

    @Test
    void requiredModePinThatIsRefusedNeverRunsTheWorkAndFailsAwaitBindings() throws Exception
    {
        CpuInventory claimsSixtyFourCpus = CpuInventory.ofCpus(CpuSet.range(0, 63));
        assumeTrue(!CpuInventory.detect().usable().contains(63), "needs a machine without CPU 63");
        EffectivePlan plan = resolve(AffinityMode.REQUIRED, claimsSixtyFourCpus,
            StagePlan.pinned(Stages.JOURNAL, 63, BLOCKING));
        AtomicBoolean ran = new AtomicBoolean();
        plan.threadFactoryFor(Stages.JOURNAL).newThread(() -> ran.set(true)).start();
        AffinityPlanException failure = assertThrows(AffinityPlanException.class, () -> plan.awaitBindings(WAIT));
        assertEquals(1, failure.reasons().size(), failure.reasons().toString());
        assertTrue(
            failure.reasons().get(0)
                .startsWith("stage journal: thread stockflow-journal-cpu63: setting CPUs 63 failed"),
            failure.reasons().get(0));
        assertTrue(plan.joinAll(WAIT));
        assertFalse(ran.get(), "work must not run on a thread whose binding failed");
    }

    @Test
    void requiredModeSilentDummyBindingIsAnErrorAndTheWorkDoesNotRun() throws Exception
    {
        CpuInventory cpus = machineWithCpuOne();
        PinnedThreadFactory factory = PinnedThreadFactory.forStage(Stages.LOGIC, OptionalInt.of(1),
            AffinityMode.REQUIRED, cpus.shared(), BLOCKING.newWaitStrategy(), SILENT_DUMMY);
        factories.add(factory);
        AtomicBoolean ran = new AtomicBoolean();
        factory.newThread(() -> ran.set(true)).start();
        AffinityPlanException failure = assertThrows(AffinityPlanException.class, () -> factory.awaitBindings(WAIT));
        assertTrue(failure.reasons().get(0).contains("binding to CPUs 1 did not take: thread runs on " + cpus.shared()
            + " (silent dummy)"), failure.reasons().get(0));
        assertTrue(factory.joinAll(WAIT));
        assertFalse(ran.get());
    }

    @Test
    void bestEffortPinThatIsRefusedRunsUnpinnedWithTheFallbackRecorded() throws Exception
    {
        assumeTrue(!CpuInventory.detect().usable().contains(63), "needs a machine without CPU 63");
        EffectivePlan plan = resolve(AffinityMode.BEST_EFFORT, CpuInventory.ofCpus(CpuSet.range(0, 63)),
            StagePlan.pinned(Stages.OUTCOME, 63, BLOCKING));
        AtomicBoolean ran = new AtomicBoolean();
        plan.threadFactoryFor(Stages.OUTCOME).newThread(() -> ran.set(true)).start();
        List<ThreadBinding> bindings = plan.awaitBindings(WAIT);
        assertTrue(plan.joinAll(WAIT));
        assertTrue(ran.get());
        assertFalse(bindings.get(0).bound());
        assertEquals(CpuBinder.OPENHFT.currentThreadCpus(), bindings.get(0).cpusObtained());
        List<String> reasons = plan.stage(Stages.OUTCOME).fallbackReasons();
        assertEquals(1, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).endsWith("; runs unpinned"), reasons.get(0));
    }

    @Test
    void offModeLeavesTheInheritedMaskAlone() throws Exception
    {
        CpuInventory cpus = machineWithCpuOne();
        EffectivePlan pinning = resolve(AffinityMode.REQUIRED, cpus, StagePlan.pinned(Stages.JOURNAL, 1, BLOCKING));
        EffectivePlan off = resolve(AffinityMode.OFF, cpus, StagePlan.pinned(Stages.LOGIC, 0, BLOCKING));
        AtomicReference<String> seen = new AtomicReference<>();
        Thread creator = pinning.threadFactoryFor(Stages.JOURNAL).newThread(() ->
        {
            Thread child = off.threadFactoryFor(Stages.LOGIC).newThread(
                () -> seen.set(ThreadMasks.currentThreadCpusAllowedList()));
            child.start();
            try
            {
                child.join(WAIT.toMillis());
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
        creator.start();
        creator.join(WAIT.toMillis());
        assertEquals("1", seen.get());
        assertEquals("stockflow-logic-unpinned", off.threadFactoryFor(Stages.LOGIC).threads().get(0).getName());
    }

    @Test
    void factoryNamesEveryThreadAndRecordsThemSoLeaksAreVisible() throws Exception
    {
        EffectivePlan plan = resolve(AffinityMode.BEST_EFFORT, CpuInventory.detect(),
            StagePlan.unpinned(Stages.SNAPSHOT, BLOCKING));
        PinnedThreadFactory factory = plan.threadFactoryFor(Stages.SNAPSHOT);
        CountDownLatch release = new CountDownLatch(1);
        Runnable parked = () ->
        {
            try
            {
                release.await();
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        };
        factory.newThread(parked).start();
        factory.newThread(parked).start();
        plan.awaitBindings(WAIT);
        assertEquals(List.of("stockflow-snapshot-unpinned", "stockflow-snapshot-unpinned-2"),
            factory.threads().stream().map(Thread::getName).collect(Collectors.toList()));
        assertEquals(2, plan.liveThreads().size());
        assertFalse(plan.joinAll(Duration.ofMillis(50)), "threads still parked must be reported alive");
        release.countDown();
        assertTrue(plan.joinAll(WAIT));
        assertEquals(List.of(), plan.liveThreads());
    }
}
