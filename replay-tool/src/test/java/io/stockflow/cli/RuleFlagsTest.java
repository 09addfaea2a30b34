package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow run}'s rule parameter flags and {@code --max-clock-ahead}: out of range or
 * disagreeing with the journal is a usage error (64) before anything is written, and a
 * {@code ts} too far ahead of the clock stops the input at its line (65).
 */
class RuleFlagsTest
{
    private static final String RESTOCK = "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1}\n";

    @TempDir
    Path dir;

    @Test
    void outOfRangeOrUnparsableFlagsExit64WithTheAllowedValuesAndCreateNothing()
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), RESTOCK);
        final Path engine = dir.resolve("engine");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--order-retention", "5s"),
            ExitCodes.USAGE, "--order-retention", "60000..31536000000");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--sku-capacity", "x"),
            ExitCodes.USAGE, "--sku-capacity", "16777216");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--max-clock-ahead", "1y"),
            ExitCodes.USAGE, "--max-clock-ahead", "7d");
        assertFalse(Files.exists(engine), "nothing created");
    }

    @Test
    void aFirstRulesLineIsTheNewDirectorysParametersAndAnExistingOneRefusesADifferingFlag()
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"),
            "{\"type\":\"RULES\",\"retentionMs\":3600000,\"orderCapacity\":10}\n" + RESTOCK);
        final Path engine = dir.resolve("engine");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--order-capacity", "11"),
            ExitCodes.USAGE, "--order-capacity 11", "orderCapacity 10");
        assertFalse(Files.exists(engine), "nothing created");
        Cli.run(engine, "run", "--input", input.toString(), "--sku-capacity", "5", "--quiet").ok();
        final String state = Cli.run(engine, "state").ok().out;
        assertTrue(state.contains("\"events\":1,\"lastSeq\":1,"), state);
        assertTrue(state.contains("\"retentionMs\":3600000,\"orderCapacity\":10,\"skuCapacity\":5,"), state);
        assertEquals("{\"type\":\"RULES\",\"retentionMs\":3600000,\"orderCapacity\":10,\"skuCapacity\":5}",
            Cli.run(engine, "dump").ok().out.lines().findFirst().orElseThrow());
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--order-retention", "2h"),
            ExitCodes.USAGE, "7200000", "3600000", "a RULES command changes it");
        assertTrue(Cli.run(engine, "state").ok().out.contains("\"events\":1,"), "nothing written");
    }

    @Test
    void aTsTooFarAheadOfTheClockStopsRunAtItsLineWith65()
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"),
            RESTOCK + "{\"ts\":253402300799999,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1}\n" + RESTOCK);
        final Path engine = dir.resolve("engine");
        final Cli.Result run = Cli.run(engine, "run", "--input", input.toString(), "--quiet");
        assertEquals(ExitCodes.DATA_ERROR, run.status, run::describe);
        assertTrue(run.err.contains("line 2") && run.err.contains("ahead of the engine clock"), run::describe);
        assertTrue(Cli.run(engine, "state").ok().out.contains("\"events\":1,"), "nothing from line 2 on journaled");
    }
}
