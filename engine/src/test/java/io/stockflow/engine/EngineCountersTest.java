package io.stockflow.engine;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's counters on a fixed input, exactly: what each stage wrote, read
 * live and from the counters file after a clean close; the sampler thread's
 * counters and heartbeat; counters turned off; and no thread or file descriptor
 * left behind (the sampler thread, the journal thread's page-fault reader).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineCountersTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path directory;

    @Test
    void countersHoldExactValuesForAFixedInputLiveAndAfterACleanClose() throws Exception
    {
        final int ringSize = 1024;
        final CountersFile live;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).ringSize(ringSize)
            .snapshotEveryEvents(0).snapshotOnClose(false).build()).build())
        {
            engine.start();
            final long last = publishFixedInput(engine.publisher());
            assertEquals(5, last);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(10)));
            live = engine.counters();

            assertEquals(4, live.get(EngineCounter.ACCEPTED));
            assertEquals(1, live.get(EngineCounter.REJECTED_INSUFFICIENT_STOCK));
            for (final EngineCounter rejected : EnumSet.range(EngineCounter.REJECTED_INVALID,
                EngineCounter.REJECTED_INVALID_STATE))
            {
                if (rejected != EngineCounter.REJECTED_INSUFFICIENT_STOCK)
                {
                    assertEquals(0, live.get(rejected), rejected.name());
                }
            }
            assertEquals(1, live.get(EngineCounter.ORDERS_EXPIRED));
            assertEquals(0, live.get(EngineCounter.LOGIC_ERRORS));
            assertEquals(3, live.get(EngineCounter.SKUS));
            assertEquals(2, live.get(EngineCounter.ORDERS), "every order id placed is held, the rejected one too");
            for (final EngineCounter sequence : Set.of(EngineCounter.PUBLISHED, EngineCounter.JOURNAL_SEQUENCE,
                EngineCounter.JOURNAL_COMMITTED_SEQUENCE, EngineCounter.LOGIC_SEQUENCE, EngineCounter.OUTCOME_SEQUENCE))
            {
                assertEquals(5, live.get(sequence), sequence.name());
            }
            assertEquals(5, live.get(EngineCounter.JOURNAL_RECORDS));
            assertEquals(journaledPayloadBytes(), live.get(EngineCounter.JOURNAL_BYTES));
            assertStage(live, EngineCounter.JOURNAL_EVENTS, EngineCounter.JOURNAL_BATCHES,
                EngineCounter.JOURNAL_BATCH_MAX, EngineCounter.JOURNAL_WORK_NS);
            assertStage(live, EngineCounter.LOGIC_EVENTS, EngineCounter.LOGIC_BATCHES,
                EngineCounter.LOGIC_BATCH_MAX, EngineCounter.LOGIC_WORK_NS);
            assertStage(live, EngineCounter.OUTCOME_EVENTS, EngineCounter.OUTCOME_BATCHES,
                EngineCounter.OUTCOME_BATCH_MAX, EngineCounter.OUTCOME_WORK_NS);
            assertTrue(live.get(EngineCounter.JOURNAL_WAIT_NS) > 0, "the journal waited for the first command");
            assertTrue(live.get(EngineCounter.RING_FREE_MIN) >= ringSize - 5
                && live.get(EngineCounter.RING_FREE_MIN) <= ringSize, "lowest free at publish");
            assertTrue(live.get(EngineCounter.LATENCY_MAX_NS) > 0, "worst latency measured");
            assertTrue(live.get(EngineCounter.JOURNAL_ROLL_OVERS) <= 1, "at most one hourly roll-over");
            for (final EngineCounter refused : EnumSet.range(EngineCounter.REFUSED_BACKPRESSURE_NORMAL,
                EngineCounter.REFUSED_HALTED))
            {
                assertEquals(0, live.get(refused), refused.name());
            }
            assertEquals(0, live.get(EngineCounter.BACKPRESSURE_EPISODES));
            assertEquals(ringSize, live.get(EngineCounter.RING_CAPACITY));

            final long heartbeatAtStart = new CountersReader(counterFile()).read().heartbeatMs();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (live.get(EngineCounter.LATENCY_INTERVAL_NS) == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            final CountersReader.Sample running = new CountersReader(counterFile()).read();
            assertTrue(running.writerAlive() && !running.closedCleanly(), "a live engine");
            assertTrue(running.heartbeatMs() > heartbeatAtStart, "the sampler refreshed the heartbeat");
            assertTrue(running.get(EngineCounter.LATENCY_INTERVAL_NS) >= TimeUnit.MILLISECONDS.toNanos(900),
                "a latency interval of about a second was published");
            assertEquals(ringSize, running.get(EngineCounter.RING_FREE), "an idle ring is all free");
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("stockflow-sampler")), "the sampler runs");
        }

        final CountersReader.Sample closed = new CountersReader(counterFile()).read();
        assertTrue(closed.closedCleanly(), "marked closed cleanly");
        assertFalse(closed.writerAlive(), "a closed engine is not a live writer");
        assertEquals(ProcessHandle.current().pid(), closed.pid());
        for (final EngineCounter counter : EngineCounter.values())
        {
            assertEquals(live.get(counter), closed.get(counter), "file and final values agree: " + counter);
        }
        assertEquals(5, closed.get(EngineCounter.OUTCOME_SEQUENCE));
        assertTrue(closed.get(EngineCounter.LATENCY_INTERVAL_COUNT) <= 5);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> thread.getName().startsWith("stockflow-sampler")), "the sampler stopped with close");
    }

    @Test
    void countersOffKeepNoFileNoSamplerAndOnlyTheReleasedSequence() throws Exception
    {
        Files.createDirectories(directory);
        Files.write(counterFile(), new byte[] {1, 2, 3});
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).counters(false)
            .snapshotEveryEvents(0).snapshotOnClose(false).build()).build())
        {
            engine.start();
            assertFalse(Files.exists(counterFile()), "no counters file, and no stale one");
            final long last = publishFixedInput(engine.publisher());
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(10)));
            final CountersFile counters = engine.counters();
            assertEquals(5, counters.get(EngineCounter.OUTCOME_SEQUENCE));
            assertEquals(1, counters.get(EngineCounter.ORDERS_EXPIRED), "rare events still counted");
            for (final EngineCounter skipped : Set.of(EngineCounter.ACCEPTED, EngineCounter.JOURNAL_RECORDS,
                EngineCounter.JOURNAL_BATCHES, EngineCounter.LOGIC_BATCHES, EngineCounter.OUTCOME_BATCHES,
                EngineCounter.JOURNAL_WORK_NS, EngineCounter.LATENCY_MAX_NS, EngineCounter.JOURNAL_MINOR_FAULTS))
            {
                assertEquals(0, counters.get(skipped), skipped + " is skipped when counters are off");
            }
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("stockflow-sampler")), "no sampler thread");
        }
        assertFalse(Files.exists(counterFile()));
    }

    /**
     * RESTOCK sku 1, 2; PLACE order 10 (accepted, ttl 1 s); PLACE order 11 (insufficient stock);
     * RESTOCK sku 3 a second later, which expires order 10 first.
     */
    private static long publishFixedInput(final CommandPublisher publisher)
    {
        publisher.restock(T0, 1, 10);
        publisher.restock(T0, 2, 10);
        publisher.place(T0, 10, 7, 1_000).line(1, 4, 1_999).publish();
        publisher.place(T0, 11, 7, 0).line(2, 100, 1_999).publish();
        return publisher.restock(T0 + 1_000, 3, 5);
    }

    private static void assertStage(final CountersFile counters, final EngineCounter events,
        final EngineCounter batches, final EngineCounter batchMax, final EngineCounter workNs)
    {
        assertEquals(5, counters.get(events), events.name());
        assertTrue(counters.get(batches) >= 1 && counters.get(batches) <= 5, batches + "=" + counters.get(batches));
        assertTrue(counters.get(batchMax) >= 1 && counters.get(batchMax) <= 5, batchMax.name());
        assertTrue(counters.get(workNs) > 0, workNs.name());
    }

    private long journaledPayloadBytes()
    {
        long bytes = 0;
        final JournalRecord record = new JournalRecord();
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            while (reader.readNext(record))
            {
                bytes += ParametersRecord.is(record) ? 0 : record.payloadLength();
            }
        }
        return bytes;
    }

    private Path counterFile()
    {
        return directory.resolve(CountersLayout.FILE_NAME);
    }
}
