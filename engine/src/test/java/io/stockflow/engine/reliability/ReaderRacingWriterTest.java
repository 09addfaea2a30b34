package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse not covered by {@code SingleWriterAndLifecycleTest}: read-only readers
 * (what {@code stockflow state}, {@code verify}, {@code dump} open) racing a live
 * engine that appends and rolls its journal every second, and a read-only reader
 * after restarts.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReaderRacingWriterTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("misuse");

    @TempDir
    Path directory;

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    /**
     * Several read-only readers opened while the engine appends and rolls over
     * (one second cycles, pretouch on) each see a gap-free prefix from sequence 1
     * whose every record passes its checks and decodes as a command, and the state
     * a reader rebuilds from its prefix equals the writer's state at that
     * sequence: never garbage, never a skipped record.
     */
    @Test
    void readOnlyReadersRacingAnAppendingAndRollingEngineSeeAGapFreeValidPrefix() throws Exception
    {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final Path journalDirectory = EngineConfig.journalDirectoryOf(directory);
        final List<CompletableFuture<long[]>> readers = new ArrayList<>();
        final ExecutorService readerThreads = Executors.newFixedThreadPool(3);
        final long last;
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(directory).pretouch(true)
            .rollCycle(JournalRollCycle.TEST_SECONDLY).build()).build())
        {
            engine.start();
            final WorkloadGenerator generator = new WorkloadGenerator(99, 500);
            last = EngineTestSupport.publishWorkload(engine, generator, 2_000);
            // Own threads, not the common pool: on 2 CPUs its parallelism is 1, which would run the
            // readers one after another, the later ones only once writing has stopped.
            for (int i = 0; i < 3; i++)
            {
                readers.add(CompletableFuture.supplyAsync(() -> readWhileWriting(journalDirectory, writing),
                    readerThreads));
            }
            long published = last;
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_500);
            while (System.nanoTime() < end)
            {
                published = EngineTestSupport.publishWorkload(engine, generator, 2_000);
                Thread.sleep(20);
            }
            assertTrue(engine.awaitReleased(published, Duration.ofSeconds(30)));
            writing.set(false);
            final EngineTestSupport.ReplayedJournal reference = EngineTestSupport.replayJournal(journalDirectory);
            assertEquals(published, reference.last, "a reader opened after the writes sees all of them");
            assertEquals(reference.hashes[(int)published], liveHash(engine));
            for (final CompletableFuture<long[]> reader : readers)
            {
                final long[] seen = reader.get(60, TimeUnit.SECONDS);
                assertTrue(seen[0] > 0 && seen[0] <= published, "read " + seen[0] + " of " + published);
                assertEquals(reference.hashes[(int)seen[0]], seen[1],
                    "the state rebuilt from the prefix read while racing equals the writer's at " + seen[0]);
                SUMMARY.add("misuse: read-only reader racing a rolling writer, records checked", seen[0]);
            }
        }
        finally
        {
            readerThreads.shutdownNow();
        }
    }

    /**
     * A read-only reader opened after a restart in a later roll cycle must see
     * every record. With pretouch on, the journal's pretoucher creates the next
     * cycle's file ahead of the roll; when the engine stops before rolling into it
     * and the next run appends in a later cycle, that empty, never-finished file
     * sits between the two runs' records, and a read-only reader stops at it as if
     * the journal ended there: {@code stockflow state/verify/replay/dump} would
     * silently show a truncated journal.
     */
    @Test
    void readOnlyReaderSeesEveryRecordAfterARestartInALaterCycleWithPretouchOn() throws Exception
    {
        final WorkloadGenerator generator = new WorkloadGenerator(3, 100);
        final Path journalDirectory = EngineConfig.journalDirectoryOf(directory);
        long last = 0;
        for (int run = 0; run < 2; run++)
        {
            try (StockflowEngine engine = StockflowEngine.builder(quietConfig(directory).pretouch(true)
                .rollCycle(JournalRollCycle.TEST_SECONDLY).build()).build())
            {
                engine.start();
                assertEquals(last + 1, engine.publisher().nextSequence(), "run " + run + " recovered every record");
                last = EngineTestSupport.publishWorkload(engine, generator, 500);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(10)));
                Thread.sleep(1_500);
            }
            try (JournalReader reader = Journal.openReader(journalDirectory))
            {
                assertEquals(last, reader.lastSequence(), "run " + run + ": the last record is found");
            }
            assertEquals(last, EngineTestSupport.replayJournal(journalDirectory).last,
                "run " + run + ": a read-only reader reads every record, not only those before the restart");
        }
    }

    private static long[] readWhileWriting(final Path journalDirectory, final AtomicBoolean writing)
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        long expected = 1;
        try (JournalReader reader = Journal.openReader(journalDirectory))
        {
            while (writing.get())
            {
                if (!reader.readNext(record))
                {
                    Thread.onSpinWait();
                    continue;
                }
                if (ParametersRecord.is(record))
                {
                    ParametersRecord.decode(record, view);
                    rules.initializeParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
                    continue;
                }
                if (record.sequence() != expected)
                {
                    throw new AssertionError("gap: expected " + expected + " read " + record.sequence());
                }
                view.wrap(record.payload(), 0, record.payloadLength());
                rules.checkNext(record.sequence(), record.eventTime());
                rules.apply(record.eventTime(), view);
                expected++;
            }
        }
        return new long[] {expected - 1, rules.view().stateHash()};
    }
}
