package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small fixed input (the docs/DOMAIN.md examples, every rejection reason, an expiry,
 * the 10^12 limit on RESTOCK, ADJUST and RETURN, a {@code ts} that goes back) gives
 * exactly the golden results, state and dump. The golden files were checked line by
 * line against docs/DOMAIN.md; the state hash in them was computed by another JVM, so an
 * equal hash here shows it depends on the state alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoldenOutputTest
{
    @TempDir
    Path dir;

    @Test
    void runResultsStateAndDumpEqualTheGoldenFiles()
    {
        final Path results = dir.resolve("results.jsonl");
        final Path engine = dir.resolve("engine");

        final Cli.Result run = Cli.run(engine, "run", "--input", Journals.goldenInput(dir).toString(),
            "--results", results.toString());

        run.ok();
        assertEquals(Cli.resource("golden/results.jsonl"), Cli.read(results));
        assertEquals(Cli.resource("golden/state.json"), Cli.run(engine, "state", "--format", "json").ok().out);
        assertEquals(Cli.resource("golden/dump.jsonl"), Cli.run(engine, "dump").ok().out);
    }

    @Test
    void stateFromTheCloseSnapshotAndFromAFullReplayBothEqualTheGoldenState()
    {
        final Path engine = Journals.goldenEngine(dir);

        assertTrue(Cli.run(engine, "info").ok().out.contains("snapshots    1"), "the clean close writes a snapshot");
        assertEquals(Cli.resource("golden/state.json"), Cli.run(engine, "state").ok().out);
        assertEquals(Cli.resource("golden/state.json"), Cli.run(engine, "state", "--full").ok().out);
    }

    @Test
    void runSummaryCountsEveryRejectionReasonTheExpiryAndTheGoldenStateHash()
    {
        final Cli.Result run = Cli.run(dir.resolve("engine"), "run", "--input",
            Journals.goldenInput(dir).toString()).ok();
        final String goldenHash = new Cli.Result(0, Cli.resource("golden/state.json"), "", "golden").stateHash();

        assertTrue(run.out.contains("commands     1,037 (sequence 1..1037)"), run::describe);
        assertTrue(run.out.contains("accepted     1,014"), run::describe);
        assertTrue(run.out.contains("rejected     23: INVALID 7, LIMIT_EXCEEDED 3, UNKNOWN_SKU 2, "
            + "INSUFFICIENT_STOCK 2, DUPLICATE_ORDER 1, UNKNOWN_ORDER 5, INVALID_STATE 3"), run::describe);
        assertTrue(run.out.contains("expiries     1"), run::describe);
        assertTrue(run.out.contains("last seq     1037"), run::describe);
        assertTrue(run.out.contains("state hash   " + goldenHash), run::describe);
    }

    @Test
    void twoEnginesFedTheSameInputAgreeOnTheStateHash()
    {
        final Path input = Journals.goldenInput(dir);
        Cli.run(dir.resolve("a"), "run", "--input", input.toString(), "--quiet").ok();
        Cli.run(dir.resolve("b"), "run", "--input", input.toString(), "--quiet").ok();

        assertEquals(Cli.run(dir.resolve("a"), "state").ok().stateHash(),
            Cli.run(dir.resolve("b"), "state").ok().stateHash());
    }
}
