package io.stockflow.cli;

import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.testing.ExpectedUncaughtExceptions;
import io.stockflow.journal.testing.Slow;
import io.stockflow.journal.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow run} when the journal's file system fills: the engine halts, run
 * exits 74 (I/O) with one line naming the journal, after printing the summary of what
 * was journaled, and every result it wrote is in the journal. After space is freed,
 * run goes on at the next sequence.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunOnAFullDiskTest
{
    private static final Pattern LAST_SEQ = Pattern.compile("last seq     (\\d+)");
    private static final Pattern RESUME =
        Pattern.compile("the journal ends at sequence (\\d+), so resume from input line (\\d+)");

    @TempDir
    Path dir;

    @Test
    @ExpectedUncaughtExceptions("StageHaltedException")
    void runExitsWithAnIoStatusAndItsSummaryWhenTheDiskFillsAndGoesOnAfterSpaceIsFreed() throws Exception
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(300_000));
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 96))
        {
            final Path engine = tmpfs.path().resolve("engine");
            Cli.run(engine, "run", "--input", Cli.write(dir.resolve("first.jsonl"), Journals.restocks(10)).toString(),
                "--quiet").ok();
            final Path filler = tmpfs.fillLeaving(8L << 20);
            final Path results = dir.resolve("results.jsonl");

            final Cli.Result full = Cli.run(engine, "run", "--input", input.toString(), "--results",
                results.toString(), "--quiet");

            Cli.assertOneClearErrorLine(full, ExitCodes.IO_ERROR, "journal", "resume from input line");
            final Matcher lastSeq = LAST_SEQ.matcher(full.out);
            assertTrue(lastSeq.find(), full::describe);
            final long released = Long.parseLong(lastSeq.group(1));
            assertTrue(released >= 10 && released < 300_010, full::describe);
            final List<String> resultLines = Files.readAllLines(results);
            assertEquals(released - 10, resultLines.size(), "one result per released command: " + full.describe());

            Files.delete(filler);
            final List<String> journaled = Journals.commandLines(Cli.run(engine, "dump", "--quiet").ok().out.lines()
                .collect(Collectors.toList()));
            assertTrue(journaled.size() >= released, "every released command is journaled");
            // The way forward names the first input line the journal does not hold (commands published after the
            // journal's end took sequences but have no record, so the line the engine refused is further on).
            final Matcher resume = RESUME.matcher(full.err);
            assertTrue(resume.find(), full::describe);
            assertEquals(journaled.size() - 10 + 1, Long.parseLong(resume.group(2)), full::describe);
            assertEquals(journaled.size(), Long.parseLong(resume.group(1)), full::describe);
            for (int i = 0; i < released - 10; i++)
            {
                // Compared without the ts: this run's first event times were clamped to the first run's last.
                final String expected = Journals.restock(i + 1);
                final String line = journaled.get(10 + i);
                assertEquals(expected.substring(expected.indexOf(",\"type\"")),
                    line.substring(line.indexOf(",\"type\"")));
            }
            final Cli.Result after = Cli.run(engine, "run", "--input",
                Cli.write(dir.resolve("after.jsonl"), Journals.restock(400_000) + "\n").toString(), "--quiet").ok();
            assertTrue(after.out.contains("(sequence " + (journaled.size() + 1) + ".." + (journaled.size() + 1) + ")"),
                after::describe);
            assertFalse(after.out.contains("unknown"), after::describe);
        }
    }

    @Test
    void aNewDirectoryOnAFileSystemBelowTheJournalsFloorIsRefusedWithNothingCreated() throws Exception
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(10));
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 96))
        {
            final Path filler = tmpfs.fillLeaving(1L << 20);
            final Path engine = tmpfs.path().resolve("shop").resolve("engine");

            Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--quiet"),
                ExitCodes.IO_ERROR, "cannot create engine directory", "below the 67108864 bytes the journal keeps free",
                "nothing was created");
            assertFalse(Files.exists(tmpfs.path().resolve("shop")), "nothing was created");

            Files.delete(filler);
            Cli.run(engine, "run", "--input", input.toString(), "--quiet").ok();
        }
    }

    @Test
    @ExpectedUncaughtExceptions("StageHaltedException")
    void aSalvageThatCannotFinishLeavesNoPartialCopyBehind() throws Exception
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(300_000)).toString(),
            "--quiet").ok();
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 96))
        {
            // Room to create the new directory, not to copy the whole journal: the copy halts part way.
            final Path filler = tmpfs.fillLeaving(JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES + (2L << 20));
            final Path into = tmpfs.path().resolve("salvaged");

            Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", into.toString(), "--quiet"),
                ExitCodes.IO_ERROR, "refuses the record", into + " removed, nothing salvaged");
            assertFalse(Files.exists(into), "no partial copy is left");

            Files.delete(filler);
            assertTrue(Cli.run(engine, "salvage", "--into", into.toString(), "--quiet").ok().out
                .contains("salvaged     300,000 records"));
        }
    }
}
