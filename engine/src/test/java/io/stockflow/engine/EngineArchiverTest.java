package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.JournalArchiveRefusedException;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.defaultConfig;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's own archiver, on a journal that rolls every second with a snapshot every 2,000
 * events: cycle files wholly before the oldest retained snapshot leave the directory while the
 * engine runs (moved into the archive, or deleted where the configuration says so), the whole
 * history (archive + directory) replays to the live state, and a restart recovers it; the default
 * archives nothing; a bad archive directory stops the start.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineArchiverTest
{
    private static final Duration ARCHIVAL_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void movesTheCyclesBeforeTheOldestSnapshotIntoTheArchiveWhileRunningAndTheWholeHistoryReplays()
        throws Exception
    {
        final Path archive = directory.resolve("archive");
        final Path engineDirectory = directory.resolve("engine");
        final RunOutcome run = runUntilArchived(rolling(engineDirectory).archiveInto(archive));

        final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
        final JournalHistory history = JournalHistory.read(journal).orElseThrow();
        assertEquals(archive.toRealPath(), history.archive());
        assertTrue(history.firstSequence() > 1, "the directory's history starts later: " + history);
        assertEquals(run.archivedCycles, history.archivedCycles(), "the counter is the history record's");
        assertTrue(run.archivedBytes > 0);
        assertTrue(cycleFiles(archive) >= 1, "the cycle files are in the archive");
        final EngineTestSupport.ReplayedJournal whole = EngineTestSupport.replayJournal(journal, archive);
        assertEquals(run.last, whole.last, "archive + directory hold every sequence from 1");
        assertEquals(run.hash, whole.hashes[(int)run.last], "a full replay of the whole history is the live state");
        assertRestartRecovers(engineDirectory, run);
    }

    @Test
    void deletesTheCyclesOnlyWhereTheConfigurationSaysSoAndRecoveryStillReachesTheLiveState() throws Exception
    {
        final Path engineDirectory = directory.resolve("engine");
        final RunOutcome run = runUntilArchived(rolling(engineDirectory).archiveByDeleting(true));

        final JournalHistory history =
            JournalHistory.read(EngineConfig.journalDirectoryOf(engineDirectory)).orElseThrow();
        assertEquals(null, history.archive(), "deleted, not archived anywhere");
        assertTrue(history.firstSequence() > 1);
        assertRestartRecovers(engineDirectory, run);
    }

    @Test
    void theDefaultKeepsEveryCycleFileAndTheDiskBudgetIsPublished() throws Exception
    {
        final Path engineDirectory = directory.resolve("engine");
        try (StockflowEngine engine = StockflowEngine.builder(rolling(engineDirectory).build()).build())
        {
            engine.start();
            final WorkloadGenerator generator = new WorkloadGenerator(3, 500);
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            long last = 0;
            while (System.nanoTime() < until)
            {
                last = EngineTestSupport.publishWorkload(engine, generator, 500);
                Thread.sleep(50);
            }
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            assertTrue(engine.counters().get(EngineCounter.SNAPSHOTS) >= 2, "snapshots were taken");
            assertEquals(0, engine.counters().get(EngineCounter.ARCHIVED_CYCLES));
            assertTrue(engine.counters().get(EngineCounter.JOURNAL_DISK_BYTES) > 0, "sampled at start");
            assertTrue(engine.counters().get(EngineCounter.DISK_FREE_BYTES) > 0);
            assertEquals(EngineConfig.DEFAULT_DISK_FREE_WARNING_BYTES,
                engine.counters().get(EngineCounter.DISK_FREE_WARNING_BYTES));
        }
        final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
        assertFalse(JournalHistory.read(journal).isPresent(), "nothing was archived");
        assertTrue(cycleFiles(journal) >= 3, "every cycle file stays");
    }

    @Test
    void anArchiveInsideTheEngineDirectoryStopsTheStartAndNothingMoves()
    {
        final Path engineDirectory = directory.resolve("engine");
        final StockflowEngine engine = StockflowEngine.builder(
            rolling(engineDirectory).archiveInto(engineDirectory.resolve("journal").resolve("old")).build()).build();
        assertThrows(JournalArchiveRefusedException.class, engine::start);
        engine.close();
        assertFalse(JournalHistory.read(EngineConfig.journalDirectoryOf(engineDirectory)).isPresent());
    }

    @Test
    void aPolicyThatBothMovesAndDeletesOrWarnsBelowTheHaltLevelIsRefusedNamingTheField()
    {
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
            () -> defaultConfig(directory).archiveInto(directory.resolve("a")).archiveByDeleting(true).build());
        assertTrue(both.getMessage().startsWith("archiveByDeleting=true"), both.getMessage());
        final IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
            () -> defaultConfig(directory).diskFreeWarningBytes(1 << 20).build());
        assertTrue(low.getMessage().startsWith("diskFreeWarningBytes=1048576"), low.getMessage());
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> defaultConfig(directory).archiveOlderThan(Duration.ofSeconds(-1)).build());
        assertTrue(negative.getMessage().startsWith("archiveOlderThan="), negative.getMessage());
    }

    private static EngineConfig.Builder rolling(final Path engineDirectory)
    {
        return quietConfig(engineDirectory).rollCycle(JournalRollCycle.TEST_SECONDLY).snapshotEveryEvents(2_000)
            .snapshotsRetained(2);
    }

    /** Publishes in small paced batches (so cycles roll under load) until the archiver has archived a cycle. */
    private static RunOutcome runUntilArchived(final EngineConfig.Builder config) throws InterruptedException
    {
        final RunOutcome run = new RunOutcome();
        final EngineConfig built = config.build();
        final Path journal = EngineConfig.journalDirectoryOf(built.directory());
        final StockflowEngine engine = StockflowEngine.builder(built).build();
        try (engine)
        {
            engine.start();
            final WorkloadGenerator generator = new WorkloadGenerator(11, 500);
            final long deadline = System.nanoTime() + ARCHIVAL_DEADLINE.toNanos();
            // Until a cycle holding commands has left the directory: the first cycle may hold only the
            // parameters record (sequence 0) when the clock's second turns right after it is written,
            // and archiving that one alone leaves the history starting at sequence 1.
            while (!commandsArchived(journal) && System.nanoTime() < deadline)
            {
                run.last = EngineTestSupport.publishWorkload(engine, generator, 500);
                Thread.sleep(50);
            }
            run.last = EngineTestSupport.publishWorkload(engine, generator, 500);
            assertTrue(engine.awaitReleased(run.last, Duration.ofSeconds(30)));
            run.hash = liveHash(engine);
        }
        // Read once the engine (and its archiver) stopped, so they describe the directory as left.
        run.archivedCycles = engine.counters().get(EngineCounter.ARCHIVED_CYCLES);
        run.archivedBytes = engine.counters().get(EngineCounter.ARCHIVED_BYTES);
        assertTrue(run.archivedCycles > 0, "the archiver archived within " + ARCHIVAL_DEADLINE);
        assertEquals(0, engine.counters().get(EngineCounter.ARCHIVE_FAILURES));
        assertEquals(engine.counters().get(EngineCounter.ARCHIVE_PASSES_STARTED),
            engine.counters().get(EngineCounter.ARCHIVE_PASSES), "a stopped archiver has no pass under way");
        assertTrue(engine.counters().get(EngineCounter.ARCHIVE_PASSES) >= engine.counters()
            .get(EngineCounter.ARCHIVE_RUNS), "every pass that archived is a pass");
        return run;
    }

    private static boolean commandsArchived(final Path journal)
    {
        return JournalHistory.read(journal).map(history -> history.firstSequence() > 1).orElse(false);
    }

    private static void assertRestartRecovers(final Path engineDirectory, final RunOutcome run)
    {
        try (StockflowEngine engine = StockflowEngine.builder(rolling(engineDirectory).build()).build())
        {
            engine.start();
            assertEquals(run.last + 1, engine.publisher().nextSequence());
            assertEquals(run.hash, liveHash(engine), "the restart recovers the state from the directory alone");
            assertEquals(run.archivedCycles, engine.counters().get(EngineCounter.ARCHIVED_CYCLES),
                "the archived cycles are counted from the history record at start");
        }
    }

    private static long cycleFiles(final Path journal) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    private static final class RunOutcome
    {
        long last;
        long hash;
        long archivedCycles;
        long archivedBytes;
    }
}
