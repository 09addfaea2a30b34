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

    @Test
    void helpListsEveryBenchmark()
    {
        assertEquals(ExitCodes.OK, run("--help"));
        for (final String name : new String[] {"latency", "throughput", "jmh", "affinity", "pretouch", "recovery"})
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
        assertEquals(ExitCodes.USAGE, run("recovery", "--events", "100", "--tail", "50"));
        assertEquals(ExitCodes.USAGE, run("nonsense"));
        assertTrue(err.toString().contains("--help"), err.toString());
    }
}
