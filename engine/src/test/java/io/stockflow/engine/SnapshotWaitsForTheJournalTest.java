package io.stockflow.engine;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.shadow.DivergencePolicy;
import io.stockflow.engine.shadow.ShadowSnapshots;
import io.stockflow.engine.shadow.StateCheckpoints;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalRecord;
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
import java.util.function.LongSupplier;

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
 * written from the shadow state, which applies only the journal's committed records
 * (and a close refuses to snapshot a live state the journal has not committed), and a
 * snapshot found past
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
        try (Journal journal = journalOf(100);
            ShadowSnapshots shadow = shadowOver(journal, store, CountersFile.inMemory(), journalCommitted::get))
        {
            shadow.start();
            awaitSnapshots(store, List.of(40L, 20L));
            Thread.sleep(300);
            assertEquals(List.of(40L, 20L), sequences(store),
                "the shadow state holds only what the journal committed: 40 of 100");

            journalCommitted.set(100);
            awaitSnapshots(store, List.of(100L, 80L, 60L));
            assertEquals(List.of(100L, 80L, 60L), sequences(store));
        }
    }

    @Test
    void aSnapshotWaitingForAJournalThatStoppedIsAbandonedAtClose() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(directory.resolve("snapshots"));
        final CountersFile counters = CountersFile.inMemory();
        try (Journal journal = journalOf(100))
        {
            final ShadowSnapshots shadow = shadowOver(journal, store, counters, () -> 40);
            shadow.start();
            awaitSnapshots(store, List.of(40L, 20L));
            Thread.sleep(300);
            shadow.close();

            assertEquals(List.of(40L, 20L), sequences(store), "nothing past the committed 40");
            assertEquals(40, counters.get(EngineCounter.SHADOW_SEQUENCE));
            final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> shadow.snapshotNow(stateAt(100)));
            assertTrue(refused.getMessage().contains("committed only up to 40"), refused.getMessage());
            assertEquals(List.of(40L, 20L), sequences(store), "nor on close");
        }
    }

    @Test
    void aJournalWithNoRecordBesideSnapshotsIsRefusedAndTheSnapshotsStay() throws IOException
    {
        final long[] run = runWithASnapshotOnClose(40);
        final long last = run[0];
        final SnapshotStore store = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
        final List<Path> snapshots = store.listNewestFirst();
        assertEquals(last, SnapshotStore.sequenceOf(snapshots.get(0)), "the clean close wrote one");
        for (final Path file : CycleFiles.in(EngineConfig.journalDirectoryOf(directory)))
        {
            Files.delete(file);
        }

        final JournalHistoryMissingException refused = assertThrows(JournalHistoryMissingException.class, () ->
        {
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build()).build())
            {
                engine.start();
            }
        });
        assertEquals(1, refused.firstMissing());
        assertEquals(last, refused.lastMissing(), refused.getMessage());
        assertEquals(snapshots, store.listNewestFirst(), "no snapshot was removed");
        assertFalse(journalHoldsARecord(directory), "and no new journal was begun");
    }

    /** @return the last sequence and the state hash of a run of {@code commands} whose only snapshot is the close's. */
    private long[] runWithASnapshotOnClose(final int commands)
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotEveryEvents(0).build())
            .build())
        {
            engine.start();
            final long last = publishMixed(engine, 5, commands, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            return new long[] {last, liveHash(engine)};
        }
    }

    private static boolean journalHoldsARecord(final Path engineDirectory)
    {
        try (var reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            return reader.readNext(new JournalRecord());
        }
    }

    @Test
    void aSnapshotPastTheJournalsEndIsRemovedAtStart() throws IOException
    {
        final long[] run = runWithASnapshotOnClose(500);
        final long last = run[0];
        final long hash = run[1];
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

    /** A journal of {@code records} RESTOCKs of SKU 1, one unit each. */
    private Journal journalOf(final int records)
    {
        final Journal journal = Journal.open(JournalConfig.builder(directory.resolve("journal")).build());
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length = CommandCodec.encodeRestock(payload, 0, 1, 1);
        for (int i = 0; i < records; i++)
        {
            journal.appender().append(1_700_000_000_000L + i, CommandType.RESTOCK.code(), CommandCodec.SCHEMA_VERSION,
                payload, 0, length);
        }
        journal.appender().commit();
        return journal;
    }

    /** A shadow state from an empty state over {@code journal}, a snapshot every 20 events. */
    private static ShadowSnapshots shadowOver(
        final Journal journal, final SnapshotStore store, final CountersFile counters, final LongSupplier committed)
    {
        return new ShadowSnapshots(store, counters,
            new ShadowSnapshots.ShadowSettings(20, 0, 3, DivergencePolicy.ALARM), System::currentTimeMillis,
            committed, Thread::new, new StateCheckpoints(1_024), null,
            () -> new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT),
            journal.newReader());
    }

    private static void awaitSnapshots(final SnapshotStore store, final List<Long> expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sequences(store).equals(expected) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static List<Long> sequences(final SnapshotStore store)
    {
        return store.listNewestFirst().stream().map(SnapshotStore::sequenceOf).toList();
    }

    private static StateView stateAt(final long sequence)
    {
        final StateRestorer rules = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        for (long sku = 1; sku <= 100; sku++)
        {
            rules.restoreSku(sku, sku * 10, 0);
        }
        rules.restoreCounters(sequence, sequence, 1_700_000_000_000L + sequence);
        return rules.complete().view();
    }
}
