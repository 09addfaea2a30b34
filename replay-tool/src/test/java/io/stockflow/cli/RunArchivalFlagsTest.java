package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow run}'s archival flags: a run with the engine's archiver on takes its commands and
 * leaves the directory readable; bad flags (both modes, an age without a mode, a bad duration, a
 * warning level at or below the halt level, an archive inside the engine directory) are refused with
 * one clear line before anything is created; {@code info} and {@code stat} show the disk budget.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunArchivalFlagsTest
{
    @TempDir
    Path dir;

    @Test
    void badArchivalFlagsAreRefusedBeforeAnythingIsCreated()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restock(1) + "\n");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--archive-into",
            dir.resolve("a").toString(), "--archive-delete"), ExitCodes.USAGE, "at most one of");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--archive-older-than", "1h"),
            ExitCodes.USAGE, "needs --archive-into");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--archive-delete",
            "--archive-older-than", "soon"), ExitCodes.USAGE, "not a duration");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--disk-free-warning",
            "1000"), ExitCodes.USAGE, "halt level");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--archive-into",
            engine.resolve("journal").resolve("old").toString()), ExitCodes.USAGE, "inside");
        assertFalse(Files.exists(engine), "nothing was created");
    }

    @Test
    void aRunWithTheArchiverOnTakesItsCommandsAndInfoAndStatShowTheDiskBudget()
    {
        final Path engine = dir.resolve("engine");
        final StringBuilder commands = new StringBuilder();
        for (int i = 1; i <= 50; i++)
        {
            commands.append(Journals.restock(i)).append('\n');
        }
        final Path input = Cli.write(dir.resolve("in.jsonl"), commands.toString());
        Cli.run(engine, "run", "--input", input.toString(), "--archive-into", dir.resolve("archive").toString(),
            "--archive-older-than", "1h", "--quiet").ok();
        final Cli.Result info = Cli.run(engine, "info").ok();
        assertTrue(info.out.contains("disk budget"), info::describe);
        assertTrue(info.out.contains("free on its file system"), info::describe);
        final Cli.Result stat = Cli.run(engine, "stat").ok();
        assertTrue(stat.out.contains("journal_disk_bytes"), stat::describe);
        assertTrue(stat.out.contains("disk       "), stat::describe);
        assertTrue(stat.out.contains("days left"), stat::describe);
    }
}
