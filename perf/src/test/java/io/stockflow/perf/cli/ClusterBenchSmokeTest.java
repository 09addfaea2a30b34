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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench cluster} at tiny sizes with one failover: the JSON's fields, and every result received. */
@Slow
class ClusterBenchSmokeTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void tinyRunWritesEveryFieldAndReceivesEveryResult() throws IOException
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Path json = dir.resolve("cluster.json");

        final int status = BenchMain.execute(new String[] {"cluster", "--throughput-commands", "2000", "--rate", "500",
            "--seconds", "2", "--warmup-seconds", "1", "--failovers", "1", "--failover-rate", "200", "--base-port",
            "24950", "--json", json.toString(), "--scratch", dir.toString()}, new PrintWriter(out),
            new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String report = Files.readString(json);
        for (final String key : new String[] {"\"rate\":500", "\"throughput\":{", "\"cluster_commands_per_s\":",
            "\"engine_commands_per_s\":", "\"latency\":{\"cluster\":{\"p50_us\":", "\"engine\":{\"p50_us\":",
            "\"count\":1000", "\"failover\":{\"trials\":1", "\"median_ms\":", "\"ms\":[", "\"results\":{",
            "\"state_hash\":", "\"env\":{", "\"cluster_members\":3"})
        {
            assertTrue(report.contains(key), key + " in " + report);
        }
        final Matcher results = Pattern.compile("\"offered\":(\\d+),\"received\":(\\d+)").matcher(report);
        assertTrue(results.find(), report);
        assertEquals(results.group(1), results.group(2), "every offered command's result was received");
        assertTrue(Long.parseLong(results.group(1)) >= 2500 + 1500, report);
        assertTrue(out.toString().contains("failover 1: kill -9 of leader member"), out.toString());
    }
}
