package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code dump | run} into a new directory rebuilds the identical state, and the new journal dumps the same. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DumpRunRoundTripTest
{
    @TempDir
    Path dir;

    @Test
    void dumpOfAGeneratedWorkloadRunIntoANewDirectoryGivesTheSameStateHashAndTheSameDump()
    {
        final Path first = dir.resolve("first");
        Cli.run("demo", "--events", "5000", "--latency-seconds", "0", "--seed", "7", "--skus", "300", "--dir",
            first.toString(), "--quiet").ok();
        final String firstDump = Cli.run(first, "dump").ok().out;
        final Path second = dir.resolve("second");

        Cli.run(second, "run", "--input", Cli.write(dir.resolve("dump.jsonl"), firstDump).toString()).ok();

        assertEquals(5001, firstDump.lines().count(), "the parameters line and 5000 commands");
        assertEquals(Cli.run(first, "state").ok().out, Cli.run(second, "state").ok().out);
        assertEquals(Cli.run(first, "state", "--full").ok().stateHash(),
            Cli.run(second, "state", "--full").ok().stateHash());
        assertEquals(firstDump, Cli.run(second, "dump").ok().out);
    }

    @Test
    void dumpOfTheGoldenJournalRunIntoANewDirectoryGivesTheSameState()
    {
        final Path first = Journals.goldenEngine(dir);
        final Path second = dir.resolve("second");

        Cli.run(second, "run", "--input", Cli.write(dir.resolve("dump.jsonl"), Cli.run(first, "dump").ok().out)
            .toString()).ok();

        assertEquals(Cli.resource("golden/state.json"), Cli.run(second, "state").ok().out);
        assertEquals(Cli.resource("golden/dump.jsonl"), Cli.run(second, "dump").ok().out);
    }

    @Test
    void dumpFromASequenceAfterTheLastRunIntoTheSameDirectoryIsZeroCommandsAndSucceeds()
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(4)).toString()).ok();
        final String stateHash = Cli.run(engine, "state").ok().stateHash();
        final String nothingAfterTheEnd = Cli.run(engine, "dump", "--from-seq", "5").ok().out;

        final Cli.Result run = Cli.run(engine, "run", "--input", Cli.write(dir.resolve("tail.jsonl"),
            nothingAfterTheEnd).toString()).ok();

        assertEquals("", nothingAfterTheEnd);
        assertEquals(true, run.out.contains("commands     0 ("), run::describe);
        assertEquals(true, run.out.contains("last seq     4"), run::describe);
        assertEquals(stateHash, Cli.run(engine, "state").ok().stateHash());
    }
}
