package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalArchiver;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow archive} on real engine directories whose journal rolls every second: five runs a
 * second apart leave several cycle files and three retained snapshots, the oldest at the end of the
 * third run, so the cycles of the first two runs lie wholly before it.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ArchiveCommandTest
{
    private static final int RUNS = 5;
    private static final int PER_RUN = 40;

    @TempDir
    Path dir;

    private Path engine;
    private String fullDump;
    private String finalHash;

    @BeforeEach
    void fiveRunsASecondApart() throws InterruptedException
    {
        engine = dir.resolve("engine");
        for (int run = 0; run < RUNS; run++)
        {
            final StringBuilder input = new StringBuilder();
            for (int i = 1; i <= PER_RUN; i++)
            {
                input.append(Journals.restock(run * PER_RUN + i)).append('\n');
            }
            final Path file = Cli.write(dir.resolve("run" + run + ".jsonl"), input.toString());
            if (run == 0)
            {
                Cli.run(engine, "run", "--input", file.toString(), "--roll-cycle", "TEST_SECONDLY", "--quiet").ok();
            }
            else
            {
                Cli.run(engine, "run", "--input", file.toString(), "--quiet").ok();
            }
            Thread.sleep(1_100);
        }
        fullDump = Cli.run(engine, "dump").ok().out;
        finalHash = Cli.run(engine, "state", "--full").ok().stateHash();
        assertEquals(3, snapshots().size(), "snapshots: " + snapshots());
    }

    @Test
    void archivedDirectoryReadsFromTheSnapshotOnAndTheWholeHistoryWithTheArchive()
    {
        final Path archive = dir.resolve("archive");
        final int cyclesBefore = Journals.cycleFiles(engine).size();
        final Cli.Result archived = Cli.run(engine, "archive", "--into", archive.toString()).ok();
        final long firstKept = JournalHistory.read(engine.resolve("journal")).orElseThrow().firstSequence();
        // At most the oldest snapshot's next sequence: on a loaded machine a run can straddle two cycles.
        assertTrue(firstKept > 1 && firstKept <= 3 * PER_RUN + 1, archived::describe);
        assertTrue(Journals.cycleFiles(engine).size() < cyclesBefore, archived::describe);
        assertTrue(Files.isRegularFile(archive.resolve(JournalArchiver.MARKER_FILE)));

        assertEquals(finalHash, Cli.run(engine, "state").ok().stateHash());
        final Cli.Result info = Cli.run(engine, "info").ok();
        assertTrue(info.out.contains("starts at sequence " + firstKept + "; cycles before are archived in "
            + archive.toAbsolutePath()), info::describe);
        final Cli.Result verify = Cli.run(engine, "verify").ok();
        assertTrue(verify.out.contains("from sequence " + firstKept), verify::describe);

        final String fromSnapshotDump = Cli.run(engine, "dump").ok().out;
        assertTrue(fullDump.endsWith(fromSnapshotDump), fromSnapshotDump);
        assertTrue(fromSnapshotDump.startsWith(Journals.restock(firstKept)), fromSnapshotDump);
        assertEquals(fullDump, Cli.run(engine, "dump", "--archive", archive.toString()).ok().out);

        final Cli.Result replayAll = Cli.run(engine, "replay", "--archive", archive.toString(), "--json").ok();
        assertEquals(finalHash, replayAll.stateHash());
        assertTrue(replayAll.out.contains("\"events\":" + RUNS * PER_RUN), replayAll::describe);
        final Cli.Result replayTail = Cli.run(engine, "replay", "--json").ok();
        assertEquals(finalHash, replayTail.stateHash());
        final Cli.Result verifyAll = Cli.run(engine, "verify", "--archive", archive.toString()).ok();
        assertTrue(verifyAll.out.contains("(sequence 1.." + RUNS * PER_RUN + ")"), verifyAll::describe);
        assertTrue(verifyAll.out.contains("at sequence " + RUNS * PER_RUN), verifyAll::describe);

        // state --full reads the whole history, so it needs the archive; the refusal names the flag that gives it.
        Cli.assertOneClearErrorLine(Cli.run(engine, "state", "--full"), ExitCodes.NO_INPUT,
            "--archive " + archive.toAbsolutePath());
        assertEquals(finalHash, Cli.run(engine, "state", "--full", "--archive", archive.toString()).ok().stateHash());
    }

    @Test
    void anEngineRestartsOnTheArchivedDirectoryToTheSameStateAndContinues()
    {
        Cli.run(engine, "archive", "--into", dir.resolve("archive").toString()).ok();
        final Path more = Cli.write(dir.resolve("more.jsonl"), Journals.restock(RUNS * PER_RUN + 1) + "\n");
        final Cli.Result run = Cli.run(engine, "run", "--input", more.toString(), "--quiet").ok();
        assertTrue(run.out.contains(String.valueOf(RUNS * PER_RUN + 1)), run::describe);
        final String dumped = Cli.run(engine, "dump", "--archive", dir.resolve("archive").toString()).ok().out;
        assertEquals(fullDump + Journals.restock(RUNS * PER_RUN + 1) + "\n", dumped);
        assertEquals(Cli.run(engine, "state").ok().stateHash(),
            Cli.run(engine, "replay", "--archive", dir.resolve("archive").toString(), "--json").ok().stateHash());
        Cli.run(engine, "archive", "--into", dir.resolve("archive").toString()).ok();
        assertEquals(Cli.run(engine, "state").ok().stateHash(),
            Cli.run(engine, "replay", "--archive", dir.resolve("archive").toString(), "--json").ok().stateHash());
    }

    @Test
    void deleteRemovesTheCyclesAndTheRestStillRecovers()
    {
        Cli.run(engine, "archive", "--delete").ok();
        assertEquals(finalHash, Cli.run(engine, "state").ok().stateHash());
        final Cli.Result info = Cli.run(engine, "info").ok();
        assertTrue(info.out.contains("cycles before were deleted"), info::describe);
        final Cli.Result full = Cli.run(engine, "state", "--full");
        Cli.assertOneClearErrorLine(full, ExitCodes.NO_INPUT, "sequences 1..", "--delete");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing()
    {
        final Path archive = dir.resolve("archive");
        final Map<String, String> before = DirectoryFingerprint.of(engine);
        final Cli.Result dry = Cli.run(engine, "archive", "--into", archive.toString(), "--dry-run").ok();
        assertTrue(dry.out.contains("would move"), dry::describe);
        assertTrue(dry.out.contains("would start at sequence"), dry::describe);
        assertEquals(before, DirectoryFingerprint.of(engine),
            () -> DirectoryFingerprint.differences(before, DirectoryFingerprint.of(engine)));
        assertFalse(Files.exists(archive));
    }

    @Test
    void aCycleFileRemovedByHandStopsReadersWithTheMissingRangeAndExit66() throws IOException
    {
        // The cycle file holding sequence 1, not simply the first file: that one may hold only the parameters
        // record when the clock's second turned right after the directory was created.
        Files.delete(cycleFileHoldingTheFirstCommand());
        // Without its snapshots, state must replay from sequence 1 (with them, whether it needs the first cycle
        // depends on where the one-second roll-overs fell).
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engine));
        final Cli.Result full = Cli.run(engine, "state", "--full");
        Cli.assertOneClearErrorLine(full, ExitCodes.NO_INPUT, "sequences 1..", "removed by hand");
        final Cli.Result dump = Cli.run(engine, "dump");
        Cli.assertOneClearErrorLine(dump, ExitCodes.NO_INPUT, "sequences 1..", "removed by hand");
        final Cli.Result verify = Cli.run(engine, "verify");
        Cli.assertOneClearErrorLine(verify, ExitCodes.NO_INPUT, "sequences 1..", "removed by hand");
    }

    private Path cycleFileHoldingTheFirstCommand()
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engine)))
        {
            final JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(1) && reader.readNext(record), "the journal holds sequence 1");
            assertEquals(1, record.sequence());
            return record.file().toPath();
        }
    }

    @Test
    void badArchiveDirectoriesAreRefusedAndNothingMoves() throws IOException
    {
        final Map<String, String> before = DirectoryFingerprint.of(engine);
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", engine.resolve("journal").toString()),
            ExitCodes.USAGE, "inside");
        Cli.assertOneClearErrorLine(
            Cli.run(engine, "archive", "--into", engine.resolve("journal").resolve("old").toString()),
            ExitCodes.USAGE, "inside");
        // The engine directory itself, or its snapshots: parts of the engine that are not an archive's to share.
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", engine.toString()), ExitCodes.USAGE,
            "is the engine directory", "directory of its own");
        Cli.assertOneClearErrorLine(
            Cli.run(engine, "archive", "--into", engine.resolve("snapshots").resolve("old").toString()),
            ExitCodes.USAGE, "inside its snapshots");
        final Path notADirectory = Cli.write(dir.resolve("file"), "x");
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", notADirectory.toString()),
            ExitCodes.IO_ERROR, "not a writable directory");
        final Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.copy(Journals.cycleFiles(engine).get(0),
            foreign.resolve(Journals.cycleFiles(engine).get(0).getFileName()));
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", foreign.toString()), ExitCodes.DATA_ERROR,
            "another journal");
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive"), ExitCodes.USAGE, "--into");
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", foreign.toString(), "--older-than", "soon"),
            ExitCodes.USAGE, "not a duration");
        assertEquals(before, DirectoryFingerprint.of(engine),
            () -> DirectoryFingerprint.differences(before, DirectoryFingerprint.of(engine)));

        final Path otherArchive = Cli.write(dir.resolve("other-archive").resolve(JournalArchiver.MARKER_FILE),
            "journalId=another\njournal=/elsewhere/journal\n").getParent();
        Cli.assertOneClearErrorLine(Cli.run(engine, "archive", "--into", otherArchive.toString()),
            ExitCodes.DATA_ERROR, "another journal", "/elsewhere/journal");
        assertEquals(before, DirectoryFingerprint.of(engine));
    }

    @Test
    void olderThanKeepsCyclesThatEndedRecently()
    {
        final Cli.Result kept = Cli.run(engine, "archive", "--into", dir.resolve("archive").toString(),
            "--older-than", "1d").ok();
        assertTrue(kept.out.contains("move 0 cycle file(s)"), kept::describe);
        assertTrue(JournalHistory.read(engine.resolve("journal")).isEmpty());
    }

    private List<Path> snapshots()
    {
        try (Stream<Path> entries = Files.list(engine.resolve("snapshots")))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
                .collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
