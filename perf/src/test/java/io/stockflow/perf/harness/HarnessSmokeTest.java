package io.stockflow.perf.harness;

import io.stockflow.affinity.ThreadTimerSlack;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.report.LatencySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HarnessSmokeTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoSecondLatencyRunPassesItsSelfChecksAndCrossesARollOverAndASnapshot(@TempDir final Path scratch)
    {
        final LatencyPhase phase = new LatencyPhase(2_000, 1, 2);

        final LatencyHarness.Result result = LatencyHarness.run(phase,
            new BenchEngine.Settings().rollCycle(JournalRollCycle.TEST_SECONDLY), scratch, RawPretouch.BOTH);

        assertEquals(4_000, LatencySummary.of(result.engine().engine()).count());
        assertEquals(4_000, result.ring().getTotalCount());
        assertEquals(4_000, result.queue().append().getTotalCount());
        assertEquals(4_000, result.queue().tailer().getTotalCount());
        assertTrue(result.jitter().getTotalCount() > 0);
        assertTrue(result.engine().rollOversMeasured() >= 1, "roll-overs: " + result.engine().rollOversMeasured());
        assertTrue(result.engine().snapshotsMeasured() >= 1, "snapshots: " + result.engine().snapshotsMeasured());
        assertEquals(4_000, result.engine().released().getTotalCount());
        assertEquals(2, result.queues().size(), "raw journal without and with pretouch");
        assertFalse(result.queues().get(0).pretouch());
        assertTrue(result.queues().get(1).pretouch());
        assertEquals(4_000, result.queues().get(1).append().getTotalCount());
        assertEquals(4_000, result.queues().get(1).tailer().getTotalCount());
        assertTrue(((Double)result.engine().pacer().get("spun_ms")) > 0, "at 2,000/s the pacer spins the last "
            + "stretch of every gap: " + result.engine().pacer());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void latencyRunWithPreloadedOrdersHoldsThemThroughTheMeasurement(@TempDir final Path scratch)
    {
        final LatencyPhase phase = new LatencyPhase(2_000, 1, 2);

        final EngineLatencyRun.Result result = EngineLatencyRun.run(phase,
            new BenchEngine.Settings().rollCycle(JournalRollCycle.TEST_SECONDLY).preloadOrders(20_000),
            scratch.resolve("engine"));

        assertEquals(4_000, LatencySummary.of(result.engine()).count(), "only the timed commands are recorded");
        assertTrue(result.snapshotsMeasured() >= 1, "snapshots: " + result.snapshotsMeasured());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void smallThroughputRunPassesItsSelfChecks(@TempDir final Path scratch)
    {
        final ThroughputRun run = ThroughputHarness.run(20_000, 5_000,
            new BenchEngine.Settings().rollCycle(JournalRollCycle.HOURLY), scratch, false, RawPretouch.BOTH, true);

        assertTrue(run.engineEps() > 0);
        assertTrue(run.engineNosnapEps() > 0, "the same run with snapshots off, timed before the engine's");
        assertTrue(run.snapshotHoldMaxUs() >= 0);
        assertTrue(run.rawJournalEps() > 0);
        assertTrue(run.rawJournalPretouch(), "with both, the main raw journal figure is the pretouched one");
        assertTrue(run.rawJournalOtherPretouchEps() > 0, "and the one without pretouch ran too");
        assertTrue(run.rawRingEps() > 0);
        assertTrue(run.replayEps() > 0);
        assertTrue(run.rawReadEps() > 0);
    }

    @Test
    void pacerPlansAtTheOfferedRate()
    {
        final Pacer pacer = new Pacer(1_000, 4);

        assertEquals(1_000, pacer.plannedNs(0));
        assertEquals(250_001_000, pacer.plannedNs(1));
        assertEquals(1_000_001_000, pacer.plannedNs(4));
    }

    @Test
    void pacerAccountsAFarWaitAsParkedAndAnOverdueCommandAsNoWait()
    {
        // Half a second ahead: even a thread descheduled for a long while on a loaded machine still finds
        // the planned time far off when it starts waiting, so it must park first.
        final long start = System.nanoTime() + 500_000_000;
        final Pacer pacer = new Pacer(start, 1_000);

        assertEquals(start, pacer.awaitPlanned(0));
        assertTrue(System.nanoTime() - start >= 0, "returned before the planned time");
        assertTrue(pacer.parkedNanos() > 0, "a wait of 0.5 s starts with a park");
        final long spun = pacer.spunNanos();
        final long parked = pacer.parkedNanos();
        pacer.awaitPlanned(0);
        assertEquals(spun, pacer.spunNanos(), "an overdue command is sent at once");
        assertEquals(parked, pacer.parkedNanos());
    }

    @Test
    void pacerTightensItsSendingThreadsTimerSlackSoItCanParkCloserToEachSend() throws InterruptedException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/timerslack_ns")), "needs Linux");
        final OptionalLong callerSlack = ThreadTimerSlack.currentThread();
        final AtomicReference<Pacer> pacer = new AtomicReference<>();
        final AtomicReference<OptionalLong> senderSlack = new AtomicReference<>();
        final Thread sender = new Thread(() ->
        {
            pacer.set(new Pacer(System.nanoTime(), 20_000));
            senderSlack.set(ThreadTimerSlack.currentThread());
        });
        sender.start();
        sender.join();

        assertEquals(1_000, pacer.get().timerSlackNanos());
        assertEquals(OptionalLong.of(1_000), senderSlack.get(), "the slack the sending thread has");
        assertEquals(40_000, pacer.get().spinBelowNanos());
        assertEquals(callerSlack, ThreadTimerSlack.currentThread(), "only the constructing thread changes");
    }
}
