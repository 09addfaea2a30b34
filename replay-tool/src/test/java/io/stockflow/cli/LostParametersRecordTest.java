package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalArchiver;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose first cycle file held only the parameters record (the directory was created,
 * then the clock's second turned before the first command) and lost that file: it starts at
 * sequence 1 like a journal written before parameters existed, and every command that replays it
 * from the start refuses it (exit 66, one line naming what is missing and what to restore) instead
 * of replaying under 0, 0, 0; salvage copies it under the parameters the directory recorded. A
 * snapshot still rebuilds the state, and a directory created before
 * {@code engine-directory.properties} recorded the parameters record keeps the old reading.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostParametersRecordTest
{
    private static final int COMMANDS = 40;
    private static final String MISSING = "parameters record is missing";

    @TempDir
    Path dir;

    private Path engine;
    private String finalHash;
    private String commandCycleFile;
    private Path parametersCycle;

    @BeforeEach
    void aDirectoryWhoseParametersRecordIsAloneInTheFirstCycleFile() throws InterruptedException
    {
        engine = dir.resolve("engine");
        // Created with no command (run reads a first command before it creates anything).
        try (StockflowEngine created = StockflowEngine.builder(EngineConfig.builder(engine).pretouch(false)
            .rollCycle(JournalRollCycle.TEST_SECONDLY).ruleParameters(3_600_000, 1_000, 100).snapshotEveryEvents(0)
            .snapshotOnClose(false).build()).build())
        {
            created.start();
        }
        // The commands go into the next second's cycle file.
        Thread.sleep(1_050 - System.currentTimeMillis() % 1_000);
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("restocks.jsonl"), Journals.restocks(COMMANDS))
            .toString(), "--quiet").ok();
        finalHash = Cli.run(engine, "state", "--full").ok().stateHash();
        parametersCycle = cycleFileHolding(true);
        final Path commandCycle = cycleFileHolding(false);
        assertNotEquals(parametersCycle, commandCycle,
            () -> "the parameters record is alone in its cycle file: " + Journals.cycleFiles(engine));
        commandCycleFile = commandCycle.getFileName().toString();
    }

    @Test
    void everyReplayFromTheStartStopsWithExit66AndSaysWhatToRestore()
    {
        delete(parametersCycle);
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engine));
        for (final String[] command : new String[][] {{"replay"}, {"verify"}, {"dump"}, {"state"},
            {"state", "--full"}})
        {
            final String[] more = Arrays.copyOfRange(command, 1, command.length);
            Cli.assertOneClearErrorLine(Cli.run(engine, command[0], more), ExitCodes.NO_INPUT, MISSING,
                "retentionMs 3600000, orderCapacity 1000, skuCapacity 100", commandCycleFile, "restore it into",
                "'stockflow salvage'");
        }
        final Cli.Result info = Cli.run(engine, "info");
        Cli.assertOneClearErrorLine(info, ExitCodes.NO_INPUT, MISSING);
        assertTrue(info.out.contains("parameters   MISSING") && info.out.contains("records      " + COMMANDS),
            () -> "info still describes the rest of the directory: " + info.describe());
    }

    /*
     * Every command is still there: only the record of the parameters they ran under is gone, and the
     * directory recorded the same values when it created the journal. Salvage begins its copy with
     * them, says so, and the copy reaches the state the journal had.
     */
    @Test
    void salvageCopiesEveryCommandUnderTheParametersTheDirectoryRecorded()
    {
        delete(parametersCycle);
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engine));
        final Path salvaged = dir.resolve("salvaged");
        final Cli.Result salvage = Cli.run(engine, "salvage", "--into", salvaged.toString(), "--quiet").ok();
        assertTrue(salvage.out.contains("salvaged     " + COMMANDS + " records")
            && salvage.out.contains("parameters   the journal's parameters record is missing")
            && salvage.out.contains("retentionMs 3600000, orderCapacity 1000, skuCapacity 100")
            && salvage.out.contains("no fault found"), salvage::describe);
        assertEquals(finalHash, Cli.run(salvaged, "state", "--full").ok().stateHash());
        assertTrue(Cli.run(salvaged, "verify").ok().out.contains("verify       OK"));
        assertTrue(Cli.run(salvaged, "dump").ok().out
            .startsWith("{\"type\":\"RULES\",\"retentionMs\":3600000,\"orderCapacity\":1000,\"skuCapacity\":100}\n"));
    }

    @Test
    void aSnapshotStillRebuildsTheStateWhileAFullReplayIsRefused()
    {
        delete(parametersCycle);
        final Cli.Result state = Cli.run(engine, "state").ok();
        assertEquals(finalHash, state.stateHash());
        assertTrue(state.out.contains("\"retentionMs\":3600000,\"orderCapacity\":1000,\"skuCapacity\":100"),
            state::describe);
        Cli.assertOneClearErrorLine(Cli.run(engine, "state", "--full"), ExitCodes.NO_INPUT, MISSING);
        Cli.assertOneClearErrorLine(Cli.run(engine, "replay"), ExitCodes.NO_INPUT, MISSING);
        Cli.assertOneClearErrorLine(Cli.run(engine, "dump", "--from-seq", "1"), ExitCodes.NO_INPUT, MISSING);
    }

    @Test
    void aDirectoryCreatedBeforeTheRecordSaidSoStillReplaysUnderZeroParameters() throws IOException
    {
        delete(parametersCycle);
        // As written before the key existed: the failure policy alone.
        Files.writeString(engine.resolve(EngineDirectoryRecord.FILE_NAME), "logicFailurePolicy=HALT\n");
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engine));
        final Cli.Result state = Cli.run(engine, "state", "--full").ok();
        assertTrue(state.out.contains("\"retentionMs\":0,\"orderCapacity\":0,\"skuCapacity\":0"), state::describe);
        assertNotEquals(finalHash, state.stateHash(), "the parameters are part of the state");
        assertTrue(Cli.run(engine, "info").ok().out.contains("parameters   none recorded"));
        final Cli.Result replay = Cli.run(engine, "replay", "--json").ok();
        assertEquals(state.stateHash(), replay.stateHash());
        assertTrue(Cli.run(engine, "verify").ok().out.contains("verify       OK"));
        final Cli.Result dump = Cli.run(engine, "dump").ok();
        assertTrue(
            dump.out.startsWith("{\"type\":\"RULES\",\"retentionMs\":0,\"orderCapacity\":0,\"skuCapacity\":0}\n"),
            dump::describe);
    }

    @Test
    void theCycleFileOfTheFirstCommandsRemovedAfterAKeptParametersRecordIsMissingHistory() throws InterruptedException
    {
        Thread.sleep(1_050 - System.currentTimeMillis() % 1_000);
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("more.jsonl"), Journals.restock(COMMANDS + 1) + "\n")
            .toString(), "--quiet").ok();
        delete(dir.resolve("engine").resolve("journal").resolve(commandCycleFile));
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engine));
        for (final String command : new String[] {"state", "replay", "verify", "dump"})
        {
            Cli.assertOneClearErrorLine(Cli.run(engine, command, command.equals("state") ? "--full" : "--quiet"),
                ExitCodes.NO_INPUT, "sequences 1..", "are not in journal", "removed by hand");
        }
    }

    @Test
    void archivalDeletingTheParametersRecordAloneLeavesTheSnapshotToStandInForIt()
    {
        archiveTheParametersCycle(null);
        assertEquals(finalHash, Cli.run(engine, "state").ok().stateHash());
        assertEquals(finalHash, Cli.run(engine, "replay", "--json").ok().stateHash());
        final Cli.Result verify = Cli.run(engine, "verify").ok();
        assertTrue(verify.out.contains("the parameters record was archived") && verify.out.contains("verify       OK"),
            verify::describe);
        assertTrue(Cli.run(engine, "info").ok().out.contains("parameters   archived with the early cycles"));
        assertTrue(Cli.run(engine, "dump").ok().out.startsWith(Journals.restock(1) + "\n"));
        Cli.assertOneClearErrorLine(Cli.run(engine, "state", "--full"), ExitCodes.NO_INPUT, MISSING,
            "archived with --delete");
    }

    @Test
    void archivalMovingTheParametersRecordAloneIsReadThroughTheArchive()
    {
        final Path archive = dir.resolve("archive");
        archiveTheParametersCycle(archive);
        Cli.assertOneClearErrorLine(Cli.run(engine, "state", "--full"), ExitCodes.NO_INPUT, MISSING,
            "--archive " + archive.toAbsolutePath());
        final Cli.Result whole = Cli.run(engine, "replay", "--full", "--json", "--archive", archive.toString()).ok();
        assertEquals(finalHash, whole.stateHash());
        assertTrue(Cli.run(engine, "verify", "--archive", archive.toString()).ok().out.contains("verify       OK"));
        assertTrue(Cli.run(engine, "dump", "--archive", archive.toString()).ok().out
            .startsWith("{\"type\":\"RULES\",\"retentionMs\":3600000,\"orderCapacity\":1000,\"skuCapacity\":100}\n"));
    }

    /** Archives (or deletes, into null) the cycle file holding the parameters record alone, as archival may. */
    private void archiveTheParametersCycle(final Path archive)
    {
        try (JournalArchiver archiver = JournalArchiver.open(EngineConfig.journalDirectoryOf(engine)))
        {
            final JournalArchiver.ArchivePlan plan = archiver.plan(1, 0, System.currentTimeMillis());
            // The cycles before sequence 1's: the parameters record's, and any empty one a start left after it.
            assertEquals(1, plan.firstSequenceKept(), () -> "the history still starts at 1: " + plan);
            assertTrue(
                plan.cycles().stream().anyMatch(c -> c.file().getFileName().equals(parametersCycle.getFileName())),
                plan::toString);
            archiver.execute(plan, archive);
        }
        assertTrue(Files.notExists(parametersCycle));
    }

    /** @return the cycle file holding the parameters record, or the one holding sequence 1. */
    private Path cycleFileHolding(final boolean parametersRecord)
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engine)))
        {
            final JournalRecord record = new JournalRecord();
            if (parametersRecord)
            {
                assertTrue(reader.readNext(record) && ParametersRecord.is(record), "the journal's first record");
            }
            else
            {
                assertTrue(reader.seekToSequence(1) && reader.readNext(record) && record.sequence() == 1);
            }
            return record.file().toPath();
        }
    }

    private static void delete(final Path file)
    {
        try
        {
            Files.delete(file);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
