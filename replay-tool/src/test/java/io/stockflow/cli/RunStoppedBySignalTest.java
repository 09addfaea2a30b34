package io.stockflow.cli;

import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow run} stopped by SIGTERM (as by Ctrl-C's SIGINT) part way through a large input:
 * it drains and closes the engine, prints its summary, a whole results file and the input line to
 * resume from, and the directory verifies. It used to die at once, with no summary, a results file
 * cut mid-line and no way to tell where to resume. The same while it waits for input that does not
 * come: it used to see the signal only at the next line, so the JVM exited after the grace without
 * the report.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RunStoppedBySignalTest
{
    private static final int LINES = 1_500_000;
    private static final Pattern STOPPED = Pattern.compile(
        "stockflow run: stopped by a signal before input line (\\d+); the journal ends at sequence (\\d+), so resume"
            + " from input line (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aSignalStopsTheRunWithItsSummaryWholeResultsAndTheLineToResumeFrom() throws Exception
    {
        final Path input = dir.resolve("in.jsonl");
        try (BufferedWriter writer = Files.newBufferedWriter(input))
        {
            for (int i = 1; i <= LINES; i++)
            {
                writer.write(Journals.restock(i));
                writer.newLine();
            }
        }
        final Path engine = dir.resolve("engine");
        final Path results = dir.resolve("results.jsonl");
        final Report report;
        try (ChildJvm run = ChildJvm.start(true, StockflowCommand.class, "run", "--journal", engine.toString(),
            "--input", input.toString(), "--results", results.toString(), "--quiet"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(results) && Files.size(results) > (1 << 20)) && run.process().isAlive()
                && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            report = Report.afterSigterm(run, 120);
        }
        final String describe = report.describe;
        final Matcher stopped = report.stopped();
        final long journalEnd = Long.parseLong(stopped.group(2));
        assertTrue(journalEnd > 0 && journalEnd < LINES, describe);
        // A new directory, one command per line: the first line the journal does not hold is the next one.
        assertEquals(journalEnd + 1, Long.parseLong(stopped.group(3)), describe);
        final List<String> resultLines = Files.readAllLines(results);
        assertEquals(journalEnd, resultLines.size(), describe);
        assertTrue(resultLines.get(resultLines.size() - 1).startsWith("{\"seq\":" + journalEnd + ","), describe);
        assertTrue(Cli.run(engine, "verify").ok().out.contains("records      " + String.format("%,d", journalEnd)
            + " checked"), describe);
    }

    @Test
    void aSignalStopsARunWaitingOnStandardInputThatStaysOpen() throws Exception
    {
        final int lines = 50;
        final Path engine = dir.resolve("engine");
        final Path results = dir.resolve("results.jsonl");
        final Report report;
        try (ChildJvm run = ChildJvm.start(true, StockflowCommand.class, "run", "--journal", engine.toString(),
            "--input", "-", "--results", results.toString(), "--quiet"))
        {
            final OutputStream stdin = run.process().getOutputStream();
            for (int i = 1; i <= lines; i++)
            {
                stdin.write((Journals.restock(i) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // Flushed and left open: the run has every line and then waits for more.
            stdin.flush();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!journalHolds(engine, lines) && run.process().isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertTrue(journalHolds(engine, lines), () -> "the run did not journal the lines: " + run.stderrText());
            // Well inside the 60 s the JVM would otherwise wait before exiting without the report.
            report = Report.afterSigterm(run, 30);
        }
        final String describe = report.describe;
        final Matcher stopped = report.stopped();
        assertEquals(lines + 1, Long.parseLong(stopped.group(1)), describe);
        assertEquals(lines, Long.parseLong(stopped.group(2)), describe);
        assertEquals(lines + 1, Long.parseLong(stopped.group(3)), describe);
        assertEquals(lines, Files.readAllLines(results).size(), describe);
    }

    /**
     * Whether the run has committed this many records, from its counters file. Read with plain file reads, not
     * through a Chronicle Queue reader: a read-only queue opened and closed in this JVM while the child's engine
     * had its journal but no cycle file yet left the queue's metadata file mapped here, even after a GC (failed
     * CI twice; 4 of 8 tries under load; never with the writer in the same JVM).
     */
    private static boolean journalHolds(final Path engine, final long records)
    {
        try
        {
            return new CountersReader(engine.resolve(CountersLayout.FILE_NAME)).read()
                .get(EngineCounter.JOURNAL_COMMITTED_SEQUENCE) >= records;
        }
        catch (final NoSuchFileException | IllegalArgumentException notYet)
        {
            return false;
        }
    }

    /** What a run printed once SIGTERM stopped it. */
    private static final class Report
    {
        final String describe;
        private final int status;
        private final String stdout;
        private final String stderr;

        private Report(final int status, final String stdout, final String stderr)
        {
            this.status = status;
            this.stdout = stdout;
            this.stderr = stderr;
            this.describe = "exit " + status + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }

        static Report afterSigterm(final ChildJvm run, final int exitWithinSeconds) throws Exception
        {
            assertTrue(run.process().isAlive(), () -> "the run ended before the signal: " + run.stderrText());
            // Through the handle: Process.destroy() would also close the pipes this test reads the report from.
            run.process().toHandle().destroy();
            final int status = run.waitForExit(exitWithinSeconds);
            return new Report(status, run.remainingStdout(), run.stderrText());
        }

        /** @return the stop line, once the exit status and the summary were checked. */
        Matcher stopped()
        {
            assertEquals(128 + 15, status, describe);
            assertTrue(stdout.contains("last seq"), describe);
            final Matcher stopped = STOPPED.matcher(stderr);
            assertTrue(stopped.find(), describe);
            return stopped;
        }
    }
}
