package io.stockflow.perf.cli;

import io.stockflow.journal.testing.Slow;
import io.stockflow.perf.BenchMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench jlbh}: our raw-journal baseline under our harness and under JLBH, and Chronicle's
 * QueueSingleThreadedJLBHBenchmark under JLBH, each recording every measured iteration, side by
 * side in the table and the JSON, with JLBH's own reports in the log and no queue left behind.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JlbhBenchTest
{
    @TempDir
    Path dir;

    @Test
    void threePhasesSideBySideInTheTableAndTheJson() throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = dir.resolve("jlbh.json");
        final Path scratch = Files.createDirectories(dir.resolve("scratch"));

        final int status = BenchMain.execute(new String[] {"jlbh", "--rate", "1000", "--seconds", "1",
            "--warmup-seconds", "1", "--json", json.toString(), "--out", dir.resolve("out").toString(), "--scratch",
            scratch.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String text = out.toString();
        for (final String row : new String[] {"raw_journal, our harness", "raw_journal under JLBH",
            "Chronicle's benchmark under JLBH"})
        {
            assertTrue(text.matches("(?s).*" + row + " +[0-9.,]+ .* 1000\n.*"), row + " in " + text);
        }
        final String report = Files.readString(json);
        assertTrue(report.startsWith("{\"rate\":1000,\"seconds\":1,\"raw_journal\":{\"p50_us\":"), report);
        for (final String key : new String[] {"\"raw_journal_jlbh\":{", "\"chronicle_jlbh\":{", "\"count\":1000",
            "\"p90_us\":", "\"p9999_us\":", "\"max_us\":", "\"env\":{", "\"cpu_model\":", "\"jvm_flags\":",
            "\"raw_journal_pretouch\":\"off\"", "\"coordinated_omission_correction\":true", "\"steal_percent\":",
            "\"nonvoluntary_ctxt_switches\":"})
        {
            assertTrue(report.contains(key), key + " in " + report);
        }
        final String log = Files.readString(dir.resolve("out").resolve("jlbh.log"));
        assertEquals(2, log.split("BENCHMARK RESULTS", -1).length - 1, "JLBH's report of both JLBH phases: " + log);
        try (Stream<Path> left = Files.list(scratch))
        {
            assertEquals(0, left.count(), "every scratch queue is deleted");
        }
    }

    @Test
    void aRateJlbhCannotTakeIsAUsageError()
    {
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"jlbh", "--rate", "3000000000"}, new PrintWriter(
            new StringWriter()), new PrintWriter(err));

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err.toString().contains("--rate in 1.."), err.toString());
    }
}
