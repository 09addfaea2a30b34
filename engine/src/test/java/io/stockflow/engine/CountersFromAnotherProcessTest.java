package io.stockflow.engine;

import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code stockflow stat} relies on: a {@link CountersReader} in this JVM
 * reads the counters file of an engine running in a child JVM, live (values move
 * between two reads, the writer is alive, the heartbeat is fresh) and after the
 * child is killed with SIGKILL (the last values stay, the writer is no longer
 * alive and did not close cleanly).
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CountersFromAnotherProcessTest
{
    private static final EngineCounter[] MOVING = {EngineCounter.PUBLISHED, EngineCounter.JOURNAL_SEQUENCE,
        EngineCounter.JOURNAL_RECORDS, EngineCounter.JOURNAL_BYTES, EngineCounter.LOGIC_SEQUENCE,
        EngineCounter.OUTCOME_SEQUENCE, EngineCounter.OUTCOME_EVENTS, EngineCounter.JOURNAL_WORK_NS,
        EngineCounter.LOGIC_WORK_NS, EngineCounter.OUTCOME_WORK_NS};

    @TempDir
    Path directory;

    @Test
    void readsALiveEngineInAnotherJvmAndItsLastValuesAfterKillNine() throws Exception
    {
        final Path engineDirectory = directory.resolve("engine");
        final CountersReader reader = new CountersReader(engineDirectory.resolve(CountersLayout.FILE_NAME));
        final CountersReader.Sample beforeKill;
        final long childPid;
        try (ChildJvm child = ChildJvm.start(true, CountersChildMain.class, engineDirectory.toString(),
            EngineTestSupport.testedPipelineArgument()))
        {
            child.awaitLine("READY ", 60);
            childPid = child.pid();
            final CountersReader.Sample first = awaitReleasedAtLeast(reader, 1_000);
            final long firstNs = System.nanoTime();
            final CountersReader.Sample second = awaitAllMoved(reader, first);
            final double seconds = (System.nanoTime() - firstNs) / 1e9;
            assertTrue(child.process().isAlive(), "child still running: " + child.stderrText());

            assertEquals(childPid, first.pid());
            assertTrue(first.writerAlive() && second.writerAlive(), "the child is a live writer");
            assertFalse(second.closedCleanly());
            for (final EngineCounter moving : MOVING)
            {
                assertTrue(second.get(moving) > first.get(moving),
                    moving + " moves: " + first.get(moving) + " then " + second.get(moving));
            }
            assertTrue(second.heartbeatMs() > first.startTimeMs(), "the heartbeat was refreshed");
            assertTrue(second.get(EngineCounter.LATENCY_INTERVAL_COUNT) > 0, "a latency interval was published");
            assertTrue(second.get(EngineCounter.LATENCY_P50_NS) > 0
                && second.get(EngineCounter.LATENCY_P50_NS) <= second.get(EngineCounter.LATENCY_P99_NS)
                && second.get(EngineCounter.LATENCY_P99_NS) <= second.get(EngineCounter.LATENCY_P999_NS)
                && second.get(EngineCounter.LATENCY_P999_NS) <= second.get(EngineCounter.LATENCY_INTERVAL_MAX_NS),
                "ordered percentiles");
            System.out.printf("child %d: %,d released in %.1f s; last interval p50 %,d ns p99 %,d ns max %,d ns%n",
                childPid, second.get(EngineCounter.OUTCOME_SEQUENCE) - first.get(EngineCounter.OUTCOME_SEQUENCE),
                seconds,
                second.get(EngineCounter.LATENCY_P50_NS), second.get(EngineCounter.LATENCY_P99_NS),
                second.get(EngineCounter.LATENCY_INTERVAL_MAX_NS));
            beforeKill = second;
            child.kill();
        }

        final CountersReader.Sample afterKill = reader.read();
        assertEquals(childPid, afterKill.pid());
        assertFalse(afterKill.writerAlive(), "the killed child is no longer alive");
        assertFalse(afterKill.closedCleanly(), "a killed engine did not close cleanly");
        assertTrue(afterKill.get(EngineCounter.OUTCOME_SEQUENCE) >= beforeKill.get(EngineCounter.OUTCOME_SEQUENCE),
            "the last values stay readable after kill -9");
        assertTrue(afterKill.get(EngineCounter.JOURNAL_RECORDS) >= beforeKill.get(EngineCounter.JOURNAL_RECORDS));
    }

    /**
     * Reads until every counter in {@link #MOVING} has moved past {@code first}, at least 1.5 s
     * after it (so the heartbeat and a latency interval are published). Work-time counters are
     * added when a batch ends and event counters when it starts, so on a loaded machine one batch
     * can span a fixed sleep and leave a work counter where it was: poll, within 30 s.
     */
    private static CountersReader.Sample awaitAllMoved(final CountersReader reader,
        final CountersReader.Sample first) throws Exception
    {
        Thread.sleep(1_500);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final CountersReader.Sample sample = reader.read();
            boolean allMoved = true;
            for (final EngineCounter moving : MOVING)
            {
                allMoved &= sample.get(moving) > first.get(moving);
            }
            if (allMoved || System.nanoTime() - deadline > 0)
            {
                return sample;
            }
            Thread.sleep(50);
        }
    }

    private static CountersReader.Sample awaitReleasedAtLeast(final CountersReader reader, final long sequence)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final CountersReader.Sample sample = reader.read();
            if (sample.get(EngineCounter.OUTCOME_SEQUENCE) >= sequence)
            {
                return sample;
            }
            assertTrue(System.nanoTime() < deadline, "the child released " + sequence + " events within 30 s");
            Thread.sleep(20);
        }
    }
}
