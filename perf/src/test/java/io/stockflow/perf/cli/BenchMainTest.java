package io.stockflow.perf.cli;

import io.stockflow.perf.BenchMain;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMainTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return BenchMain.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

    /** @return what was printed, its help lines joined as one (picocli wraps long defaults). */
    private String helpText()
    {
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void helpListsEveryBenchmark()
    {
        assertEquals(ExitCodes.OK, run("--help"));
        for (final String name : new String[] {"latency", "throughput", "jmh", "affinity", "pretouch", "recovery",
            "longrun", "cluster", "jlbh"})
        {
            assertTrue(out.toString().contains(name), out.toString());
        }
    }

    @Test
    void usageErrorsExitWith64()
    {
        assertEquals(ExitCodes.USAGE, run());
        assertEquals(ExitCodes.USAGE, run("latency", "--rate", "fast"));
        assertEquals(ExitCodes.USAGE, run("latency", "--rate", "0"));
        assertEquals(ExitCodes.USAGE, run("throughput", "--events", "0"));
        assertEquals(ExitCodes.USAGE, run("throughput", "--jit-warmup-runs", "-1"));
        assertEquals(ExitCodes.USAGE, run("latency", "--raw-pretouch", "sometimes"));
        assertEquals(ExitCodes.USAGE, run("recovery", "--events", "100", "--tail", "50"));
        assertEquals(ExitCodes.USAGE, run("recovery", "--jit-warmup-runs", "-1"));
        assertEquals(ExitCodes.USAGE, run("nonsense"));
        assertTrue(err.toString().contains("--help"), err.toString());
    }

    @Test
    void outputDefaultsToTargetBenchResultsNotTheCurrentDirectory()
    {
        for (final String benchmark : new String[] {"latency", "affinity", "pretouch", "jmh"})
        {
            out.getBuffer().setLength(0);
            assertEquals(ExitCodes.OK, run(benchmark, "--help"));
            assertTrue(helpText().contains("Default: target/bench-results"), out.toString());
        }
    }

    @Test
    void outputDefaultsToTheDirectoryTheLauncherNames()
    {
        final String before = System.getProperty("stockflow.bench.out");
        System.setProperty("stockflow.bench.out", "/repo/target/bench-results");
        try
        {
            assertEquals(ExitCodes.OK, run("jmh", "--help"));
            assertTrue(helpText().contains("Default: /repo/target/bench-results/jmh-result.json"), out.toString());
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty("stockflow.bench.out");
            }
            else
            {
                System.setProperty("stockflow.bench.out", before);
            }
        }
    }
}
