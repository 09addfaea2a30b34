package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of an engine whose own archiver is on, at random moments while it archives (within 400 ms
 * of the archive directory or the history record changing), under a load paced to at most about
 * 10,000 commands a second so the chain's history stays small: a journal
 * rolling every second, a snapshot every 2,000 events (two retained), so every snapshot frees cycle
 * files and the archiver moves them while the load goes on. The trials run as one chain on one
 * directory and one archive, so later trials start after the archivals (and the kills) of earlier
 * ones. After each kill: the whole history (archive + directory, read in place) is gap-free from
 * sequence 1, every acknowledged outcome is in it with the same result, and a restart recovers
 * exactly the state a full replay of that whole history gives, so archival never removed what
 * recovery needs. {@code -Dstockflow.reliability.archivalTrials=N} runs more than the default 10.
 */
@Slow
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ArchivalKillTrialTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("archival-kill-trials");

    @TempDir
    Path directory;

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    @Test
    void aKillWhileTheEngineArchivesNeverLosesWhatRecoveryOrTheWholeHistoryNeeds() throws Exception
    {
        final int trials = Integer.getInteger("stockflow.reliability.archivalTrials", 10);
        final SplittableRandom random = new SplittableRandom(Long.getLong("stockflow.reliability.seed", 22_022L));
        final Path engineDirectory = directory.resolve("engine");
        final Path archive = directory.resolve("archive");
        final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
        int killedWithAPartialCopy = 0;
        int killedWhileArchiving = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            final long killAfterMs = random.nextInt(400);
            final String context =
                "archival trial " + trial + " (kill " + killAfterMs + " ms after the archive changed)";
            final Path ackFile = directory.resolve("acks-" + trial);
            try (ChildJvm child = ChildJvm.start(true, LoadChildMain.class, "load", engineDirectory.toString(),
                ackFile.toString(), Long.toString(random.nextLong()), Durability.PROCESS_CRASH.name(), "2000",
                JournalRollCycle.TEST_SECONDLY.name(), "false", "10", "false", archive.toString()))
            {
                child.awaitLine("READY ", 60);
                if (awaitArchiveChange(archive, journal))
                {
                    killedWhileArchiving++;
                }
                Thread.sleep(killAfterMs);
                assertTrue(child.process().isAlive(), context + ": child running before the kill: "
                    + child.stderrText());
                child.kill();
            }
            if (partialCopies(archive) > 0)
            {
                killedWithAPartialCopy++;
            }
            checkAfterKill(engineDirectory, journal, archive, ackFile, context);
            Files.deleteIfExists(ackFile);
            SUMMARY.add("engine kill -9 trials with the archiver on", 1);
        }
        final long archived = JournalHistory.read(journal).map(JournalHistory::archivedCycles).orElse(0L);
        SUMMARY.add("cycle files archived across the trials", archived);
        SUMMARY.add("kills that left a partial copy in the archive", killedWithAPartialCopy);
        SUMMARY.add("kills within 400 ms of the archiver changing the archive", killedWhileArchiving);
        assertTrue(archived > 0, "the archiver archived while the trials ran");
        assertTrue(killedWhileArchiving * 2 >= trials, "at least half the kills landed while the archiver worked: "
            + killedWhileArchiving + " of " + trials);
    }

    private static void checkAfterKill(final Path engineDirectory, final Path journal, final Path archive,
        final Path ackFile, final String context) throws IOException
    {
        try (Journal reopened = Journal.open(JournalConfig.builder(journal).rollCycle(JournalRollCycle.TEST_SECONDLY)
            .pretouch(false).build()))
        {
            SUMMARY.add("torn tail bytes zeroed", reopened.tailRecovery().discardedBytes());
        }
        // Before the first cycle moved (a kill in the first pass), the directory alone is the whole history.
        final boolean archivedYet =
            JournalHistory.read(journal).map(history -> history.archivedCycles() > 0).orElse(false);
        final EngineTestSupport.ReplayedJournal whole =
            EngineTestSupport.replayJournal(journal, archivedYet ? archive : null);
        final AfterCrashChecks.CheckResult result = new AfterCrashChecks.CheckResult();
        AfterCrashChecks.checkAcknowledgements(
            ByteBuffer.wrap(Files.readAllBytes(ackFile)).order(ByteOrder.LITTLE_ENDIAN), whole, false, context,
            result);
        SUMMARY.add("acknowledged outcomes checked", result.acknowledged);
        try (StockflowEngine engine = StockflowEngine.builder(
            quietConfig(engineDirectory).rollCycle(JournalRollCycle.TEST_SECONDLY).build()).build())
        {
            engine.start();
            assertEquals(whole.last + 1, engine.publisher().nextSequence(), context + ": recovered to the end");
            assertEquals(whole.hashes[(int)whole.last], liveHash(engine),
                context + ": the recovered state is a full replay of the whole history (archive + directory)");
        }
        System.out.printf("%s: whole history ends at %d, %d acknowledgements checked%n", context, whole.last,
            result.acknowledged);
    }

    /**
     * Waits (up to 20 s) until the archiver changes something: a file appears in or leaves the
     * archive (a partial copy, a renamed cycle file), or the history record is rewritten.
     *
     * @return true if it did, so the kill that follows lands in or right after an archival pass.
     */
    private static boolean awaitArchiveChange(final Path archive, final Path journal)
        throws IOException, InterruptedException
    {
        final String before = archiveState(archive, journal);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0)
        {
            if (!before.equals(archiveState(archive, journal)))
            {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    private static String archiveState(final Path archive, final Path journal) throws IOException
    {
        final Path history = journal.resolve(JournalHistory.FILE_NAME);
        final String recorded = Files.exists(history) ? Files.readString(history) : "";
        if (!Files.isDirectory(archive))
        {
            return recorded;
        }
        try (Stream<Path> files = Files.list(archive))
        {
            return recorded + files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static long partialCopies(final Path archive) throws IOException
    {
        if (!Files.isDirectory(archive))
        {
            return 0;
        }
        try (Stream<Path> files = Files.list(archive))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".partial")).count();
        }
    }
}
