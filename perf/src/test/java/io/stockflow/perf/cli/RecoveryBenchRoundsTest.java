package io.stockflow.perf.cli;

import io.stockflow.perf.BenchMain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench recovery}'s rounds: the untimed warm-up rounds are run and said but not counted, and the
 * counted rounds alternate which recovery goes first.
 */
@Tag("slow")
class RecoveryBenchRoundsTest
{
    @Test
    void aWarmUpRoundIsNotCountedAndTheCountedRoundsAlternateTheirOrder(@TempDir final Path scratch)
        throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = scratch.resolve("recovery.json");
        final int exit = BenchMain.execute(new String[] {"recovery", "--events", "6000", "--tail", "2000",
            "--jit-warmup-runs", "1", "--runs", "2", "--scratch", scratch.toString(), "--json", json.toString()},
            new PrintWriter(out), new PrintWriter(err));
        assertEquals(ExitCodes.OK, exit, err.toString());
        final String printed = out.toString();
        assertTrue(printed.contains("warm-up round 1 (not counted)"), printed);
        assertFalse(printed.contains("warm-up round 2"), printed);
        assertTrue(printed.matches("(?s).*run 1: .*state hashes equal; snapshot first.*"), printed);
        assertTrue(printed.matches("(?s).*run 2: .*state hashes equal; full replay first.*"), printed);
        assertFalse(printed.contains("run 3:"), printed);
        assertTrue(printed.contains("over 2 run(s)"), printed);
        final String report = Files.readString(json);
        assertTrue(report.contains("\"runs\":2,\"jit_warmup_runs\":1"), report);
    }
}
