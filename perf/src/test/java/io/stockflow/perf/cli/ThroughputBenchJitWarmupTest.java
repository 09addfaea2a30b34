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

/** {@code bench throughput --jit-warmup-runs}: the warm-up runs are run, said, and kept out of the figures. */
@Tag("slow")
class ThroughputBenchJitWarmupTest
{
    @Test
    void aWarmUpRunIsRunAndSaidButNotCounted(@TempDir final Path scratch) throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = scratch.resolve("throughput.json");
        final int exit = BenchMain.execute(new String[] {"throughput", "--events", "20000", "--warmup-events", "5000",
            "--jit-warmup-runs", "1", "--runs", "1", "--scratch", scratch.toString(), "--json", json.toString()},
            new PrintWriter(out), new PrintWriter(err));
        assertEquals(ExitCodes.OK, exit, err.toString());
        final String printed = out.toString();
        assertTrue(printed.contains("JIT warm-up run 1 (not counted)"), printed);
        assertFalse(printed.contains("JIT warm-up run 2"), printed);
        assertTrue(printed.contains("run 1: engine"), printed);
        assertFalse(printed.contains("run 2: engine"), printed);
        final String report = Files.readString(json);
        assertTrue(report.startsWith("{\"events\":20000,\"engine_eps\":"), report);
        assertTrue(report.contains("\"runs\":1,\"jit_warmup_runs\":1"), report);
        // The JIT's time in each counted run's timed engine phases: real readings on HotSpot, not -1.
        assertTrue(report.matches("(?s).*\"jit_compile_ms_engine\":\\[[0-9]+].*"), report);
        assertTrue(report.matches("(?s).*\"jit_compile_ms_engine_nosnap\":\\[[0-9]+].*"), report);
        assertTrue(printed.matches("(?s).*JIT [0-9]+ ms in the timed engine run, [0-9]+ ms with snapshots off.*"),
            printed);
    }
}
