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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench latency --runs 2}: both runs pass their self-checks, the table is the
 * median of the runs with the spread of the key figures, and the JSON keeps the shape
 * the issue fixed, with the number of runs in its environment.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LatencyBenchRunsTest
{
    @TempDir
    Path dir;

    @Test
    void twoRunsGiveMediansWithTheirSpreadAndTheFixedJsonShape() throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = dir.resolve("latency.json");

        final int status = BenchMain.execute(new String[] {"latency", "--rate", "2000", "--seconds", "2",
            "--warmup-seconds", "1", "--runs", "2", "--json", json.toString(), "--out", dir.resolve("out").toString(),
            "--scratch", dir.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String text = out.toString();
        assertTrue(text.contains("run 1: engine p50") && text.contains("run 2: engine p50"), text);
        assertTrue(text.contains("median of 2 runs"), text);
        assertTrue(text.matches("(?s).*ratio [0-9.]+ \\([0-9.]+\\.\\.[0-9.]+, 2 runs\\).*"), text);
        final String report = Files.readString(json);
        assertTrue(report.startsWith("{\"rate\":2000,\"seconds\":2,\"engine\":{\"p50_us\":"), report);
        for (final String key : new String[] {"\"raw_ring\":{", "\"raw_journal\":{", "\"jitter\":{", "\"env\":{",
            "\"runs\":2", "\"count\":8000", "\"raw_journal_pretouch\":\"off\"", "\"pacer\":{", "\"spun_ms\":",
            "\"steal_percent\":",
            "\"voluntary_ctxt_switches\":", "\"nonvoluntary_ctxt_switches\":", "\"tail\":\"", "\"engine_thread_cpu\":{",
            "\"cpu_ms\":", "\"cores\":", "\"cadence\":\"forced\"", "\"roll_cycle\":\"TEST_SECONDLY\"",
            "\"spin_below_us\":", "\"timer_slack_ns\":"})
        {
            assertTrue(report.contains(key), key + " in " + report);
        }
        // HotSpot keeps the compilers' time, so both readings are real (not -1) here.
        assertTrue(report.matches("(?s).*\"jit_compile_ms\":\\{\"warmup\":[0-9]+,\"measured\":[0-9]+}.*"), report);
        assertTrue(text.matches("(?s).*JIT: the compilers worked [0-9]+ ms during the engine phase's warm-up.*"), text);
        assertTrue(text.matches("(?s).*JIT warm-up run 1 \\(engine only, not counted\\): p50 .* JIT [0-9]+ ms in its"
            + " measured window.*") && !text.contains("JIT warm-up run 2"), text);
        assertTrue(report.contains("\"jit_warmup_runs\":1"), report);
        assertTrue(Files.exists(dir.resolve("out").resolve("latency.svg")));
    }

    /**
     * {@code --as-configured}: the engine snapshots at the interval given and rolls hourly, so a short run
     * crosses neither, and that is no longer a failed self-check.
     */
    @Test
    void asConfiguredRunsWithTheGivenSnapshotIntervalAndTheHourlyRollCycle() throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = dir.resolve("latency.json");

        final int status = BenchMain.execute(new String[] {"latency", "--rate", "2000", "--seconds", "2",
            "--warmup-seconds", "1", "--jit-warmup-runs", "0", "--as-configured", "--snapshot-every", "1000000",
            "--json", json.toString(),
            "--out", dir.resolve("out").toString(), "--scratch", dir.toString()}, new PrintWriter(out),
            new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        assertTrue(out.toString().contains("roll cycle HOURLY") && out.toString().contains("snapshots every 1,000,000"
            + " events"), out.toString());
        final String report = Files.readString(json);
        for (final String key : new String[] {"\"cadence\":\"as configured\"", "\"roll_cycle\":\"HOURLY\"",
            "\"snapshots_measured\":0"})
        {
            assertTrue(report.contains(key), key + " in " + report);
        }
    }

    /**
     * {@code --steps} from a rate that misses the bound searches down: with a bound no engine can keep (1 ns),
     * it measures 1,000/s and 500/s with the raw journal baseline beside each, stops before 250/s (under
     * {@code --min-rate}), and says no rate held.
     */
    @Test
    void stepsSearchDownFromARateThatMissesAndReportEveryStepInTheJson() throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = dir.resolve("latency.json");

        final int status = BenchMain.execute(new String[] {"latency", "--rate", "1000", "--seconds", "2",
            "--warmup-seconds", "1", "--jit-warmup-runs", "0", "--steps", "--p99-bound-us", "0.001", "--step-factor",
            "2", "--min-rate", "400",
            "--json", json.toString(), "--out", dir.resolve("out").toString(), "--scratch", dir.toString()},
            new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        assertTrue(out.toString().contains("none of the rates tried, down to 500/s: 0 commands/s"), out.toString());
        final String report = Files.readString(json);
        assertTrue(report.contains("\"steps\":{\"p99_bound_us\":0.001,\"direction\":\"down\",\"sustainable_rate\":0,"
            + "\"tried\":[{\"rate\":1000,\"p50_us\":"), report);
        assertTrue(report.contains("{\"rate\":500,\"p50_us\":") && !report.contains("{\"rate\":250,"), report);
        assertTrue(Pattern.compile("\"raw_journal_p99_us\":[0-9.]+").matcher(report).results().count() == 2,
            "each step's raw journal baseline: " + report);
        assertTrue(out.toString().contains("500/s raw journal"), out.toString());
    }

    /** {@code --min-rate} above {@code --rate}: a usage error naming the allowed values, nothing run. */
    @Test
    void aMinimumRateAboveTheStartingRateIsAUsageError()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int status =
            BenchMain.execute(new String[] {"latency", "--rate", "1000", "--steps", "--min-rate", "2000"},
                new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.USAGE, status, out + "\n" + err);
        assertTrue(err.toString().contains("1 <= --min-rate <= --rate <= --max-rate"), err.toString());
    }
}
