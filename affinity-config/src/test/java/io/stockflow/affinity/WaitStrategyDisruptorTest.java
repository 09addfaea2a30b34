package io.stockflow.affinity;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WaitStrategyDisruptorTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int EVENTS = 20;
    private static final EventTranslatorOneArg<long[], Long> SET_VALUE = (event, sequence, value) -> event[0] = value;

    private final List<EffectivePlan> plans = new ArrayList<>();

    @AfterEach
    void noThreadLeaks() throws InterruptedException
    {
        for (EffectivePlan plan : plans)
        {
            assertTrue(plan.joinAll(WAIT), "leaked " + plan.liveThreads());
        }
    }

    private EffectivePlan resolve(StagePlan... stages)
    {
        EffectivePlan plan =
            AffinityPlanner.resolve(AffinityPlan.of(AffinityMode.BEST_EFFORT, Topology.PARALLEL, List.of(stages)),
                CpuInventory.detect());
        plans.add(plan);
        return plan;
    }

    private static void publish(RingBuffer<long[]> ring)
    {
        for (long value = 1; value <= EVENTS; value++)
        {
            ring.publishEvent(SET_VALUE, value);
        }
    }

    @Test
    void everyKindMapsToTheDisruptorStrategyOfTheSameName()
    {
        assertInstanceOf(BusySpinWaitStrategy.class, WaitStrategyKind.BUSY_SPIN.newWaitStrategy());
        assertInstanceOf(YieldingWaitStrategy.class, WaitStrategyKind.YIELDING.newWaitStrategy());
        assertInstanceOf(SleepingWaitStrategy.class, WaitStrategyKind.SLEEPING.newWaitStrategy());
        assertInstanceOf(BlockingWaitStrategy.class, WaitStrategyKind.BLOCKING.newWaitStrategy());
        assertTrue(WaitStrategyKind.BUSY_SPIN.spins() && WaitStrategyKind.YIELDING.spins());
        assertTrue(!WaitStrategyKind.SLEEPING.spins() && !WaitStrategyKind.BLOCKING.spins());
    }

    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void disruptorWithEachWaitStrategyDeliversEveryEventAndShutsDown(WaitStrategyKind kind) throws Exception
    {
        EffectivePlan plan = resolve(StagePlan.unpinned(Stages.LOGIC, kind));
        assertEquals(kind, plan.stage(Stages.LOGIC).waitEffective(), plan.toTable());
        List<Long> received = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(EVENTS);
        Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 8, plan.threadFactoryFor(Stages.LOGIC),
            ProducerType.SINGLE, plan.waitStrategyFor(Stages.LOGIC));
        disruptor.handleEventsWith((EventHandler<long[]>)(event, sequence, endOfBatch) ->
        {
            received.add(event[0]);
            all.countDown();
        });
        publish(disruptor.start());
        plan.awaitBindings(WAIT);
        assertTrue(all.await(WAIT.toSeconds(), TimeUnit.SECONDS), kind + " received " + received);
        disruptor.shutdown(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(EVENTS, received.size());
        assertEquals(1L, received.get(0));
        assertEquals((long)EVENTS, received.get(EVENTS - 1));
    }

    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void haltWakesAnIdleStageWaitingWithEachStrategy(WaitStrategyKind kind) throws Exception
    {
        EffectivePlan plan = resolve(StagePlan.unpinned(Stages.OUTCOME, kind));
        Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 8, plan.threadFactoryFor(Stages.OUTCOME),
            ProducerType.SINGLE, plan.ringWaitStrategy());
        disruptor.handleEventsWith((EventHandler<long[]>)(event, sequence, endOfBatch) ->
        {});
        disruptor.start();
        plan.awaitBindings(WAIT);
        Thread.sleep(50);
        disruptor.halt();
        assertTrue(plan.joinAll(WAIT), kind + " stage did not stop on halt: " + plan.liveThreads());
    }

    @Test
    void oneRingRunsEachStageWithItsOwnWaitStrategyOnItsOwnThread() throws Exception
    {
        EffectivePlan plan = resolve(
            StagePlan.unpinned(Stages.JOURNAL, WaitStrategyKind.SLEEPING),
            StagePlan.unpinned(Stages.LOGIC, WaitStrategyKind.BLOCKING),
            StagePlan.unpinned(Stages.OUTCOME, WaitStrategyKind.BLOCKING));
        Iterator<String> startOrder = List.of(Stages.JOURNAL, Stages.LOGIC, Stages.OUTCOME).iterator();
        ThreadFactory stageInRegistrationOrder = work -> plan.threadFactoryFor(startOrder.next()).newThread(work);
        List<String> journalThreads = new CopyOnWriteArrayList<>();
        List<String> logicThreads = new CopyOnWriteArrayList<>();
        List<Long> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(EVENTS);
        Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 8, stageInRegistrationOrder,
            ProducerType.SINGLE, plan.ringWaitStrategy());
        disruptor.handleEventsWith(
            (EventHandler<long[]>)(event, sequence, endOfBatch) -> journalThreads.add(Thread.currentThread().getName()),
            (EventHandler<long[]>)(event, sequence, endOfBatch) -> logicThreads.add(Thread.currentThread().getName()))
            .then((EventHandler<long[]>)(event, sequence, endOfBatch) ->
            {
                outcomes.add(event[0]);
                done.countDown();
            });
        publish(disruptor.start());
        plan.awaitBindings(WAIT);
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "outcomes " + outcomes);
        disruptor.shutdown(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(EVENTS, outcomes.size());
        assertTrue(journalThreads.stream().allMatch("stockflow-journal-unpinned"::equals), journalThreads.toString());
        assertTrue(logicThreads.stream().allMatch("stockflow-logic-unpinned"::equals), logicThreads.toString());
        assertEquals("stockflow-outcome-unpinned", plan.threadFactoryFor(Stages.OUTCOME).threads().get(0).getName());
    }

    @Test
    void busySpinningStagePinnedToItsOwnCpuDeliversAndStops() throws Exception
    {
        CpuInventory cpus = CpuInventory.detect();
        assumeTrue(cpus.usable().contains(1), cpus.describe());
        EffectivePlan plan = AffinityPlanner.resolve(AffinityPlan.of(AffinityMode.REQUIRED, Topology.PARALLEL,
            List.of(StagePlan.pinned(Stages.JOURNAL, 1, WaitStrategyKind.BUSY_SPIN))), cpus);
        plans.add(plan);
        CountDownLatch all = new CountDownLatch(EVENTS);
        List<String> masks = new CopyOnWriteArrayList<>();
        Disruptor<long[]> disruptor = new Disruptor<>(() -> new long[1], 8, plan.threadFactoryFor(Stages.JOURNAL),
            ProducerType.SINGLE, plan.ringWaitStrategy());
        disruptor.handleEventsWith((EventHandler<long[]>)(event, sequence, endOfBatch) ->
        {
            if (masks.isEmpty())
            {
                masks.add(ThreadMasks.currentThreadCpusAllowedList());
            }
            all.countDown();
        });
        publish(disruptor.start());
        plan.awaitBindings(WAIT);
        assertTrue(all.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        disruptor.shutdown(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("1"), masks);
    }
}
