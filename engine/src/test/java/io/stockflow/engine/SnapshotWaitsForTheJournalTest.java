package io.stockflow.engine;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.snapshot.SnapshotScheduler;
import io.stockflow.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logic stage runs beside the journal stage, so its state can hold events the
 * journal has not committed yet. A snapshot must never hold such an event: it is
 * written only once the journal has committed its sequence, and a snapshot found past
 * the journal's end at start (a power cut keeps the forced snapshot, not the journal's
 * unwritten pages) is removed before it can ever be taken for a valid one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotWaitsForTheJournalTest
{
    @TempDir
    Path directory;

    @Test
    void aDueSnapshotIsWrittenOnlyOnceTheJournalHasCommittedItsSequence() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(directory.resolve("snapshots"));
        final AtomicLong journalCommitted = new AtomicLong(40);
        try (SnapshotScheduler scheduler = new SnapshotScheduler(store, CountersFile.inMemory(), 1, 0, 3,
            System::currentTimeMillis, journalCommitted::get, Thread::new))
        {
            scheduler.start(0);
            scheduler.onBatchEnd(stateAt(100));
            Thread.sleep(500);
            assertEquals(List.of(), store.listNewestFirst(), "no snapshot while the journal is at 40 of 100");

            journalCommitted.set(100);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.listNewestFirst().isEmpty() && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertEquals(List.of(100L), store.listNewestFirst().stream().map(SnapshotStore::sequenceOf).toList());
        }
    }

    @Test
    void aSnapshotWaitingForAJournalThatStoppedIsAbandonedAtClose() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(directory.resolve("snapshots"));
        final CountersFile counters = CountersFile.inMemory();
        final SnapshotScheduler scheduler = new SnapshotScheduler(store, counters, 1, 0, 3,
            System::currentTimeMillis, () -> 40, Thread::new);
        scheduler.start(0);
        scheduler.onBatchEnd(stateAt(100));
        Thread.sleep(300);
        scheduler.close();

        assertEquals(List.of(), store.listNewestFirst());
        assertEquals(0, counters.get(EngineCounter.SNAPSHOTS));
        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> scheduler.snapshotNow(stateAt(100)));
        assertTrue(refused.getMessage().contains("committed only up to 40"), refused.getMessage());
        assertEquals(List.of(), store.listNewestFirst(), "nor on close");
    }

    @Test
    void aSnapshotPastTheJournalsEndIsRemovedAtStart() throws IOException
    {
        final long hash;
        final long last;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotEveryEvents(0).build())
            .build())
        {
            engine.start();
            last = publishMixed(engine, 5, 500, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            hash = liveHash(engine);
        }
        final SnapshotStore store = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
        final Path real = store.listNewestFirst().get(0);
        assertEquals(last, SnapshotStore.sequenceOf(real));
        final Path beyond = real.resolveSibling(String.format("snapshot-%020d", last + 1_000));
        Files.createDirectories(beyond);
        try (var files = Files.list(real))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, beyond.resolve(file.getFileName()));
            }
        }

        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotOnClose(false).build())
            .build())
        {
            engine.start();
            assertFalse(Files.exists(beyond), "the snapshot past the journal's end is gone");
            assertEquals(real, engine.recovery().snapshot());
            assertEquals(hash, liveHash(engine));
        }
        assertNull(store.listNewestFirst().stream().filter(p -> SnapshotStore.sequenceOf(p) > last).findAny()
            .orElse(null));
    }

    private static FulfillmentRules stateAt(final long sequence)
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        for (long sku = 1; sku <= 100; sku++)
        {
            rules.restoreSku(sku, sku * 10, 0);
        }
        rules.restoreCounters(sequence, sequence, 1_700_000_000_000L + sequence);
        rules.completeRestore();
        return rules;
    }
}
