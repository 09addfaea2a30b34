package io.stockflow.perf.report;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunNoiseTest
{
    @Test
    void stealIsItsShareOfTheTicksOfTheFirstEightFields()
    {
        final long[] before = RunNoise.parseCpuLine("cpu  100 0 50 800 10 0 0 40 7 0");
        assertArrayEquals(new long[] {1000, 40}, before);
        final long[] after = RunNoise.parseCpuLine("cpu  200 0 100 1500 20 0 0 180 9 0");
        assertEquals(100.0 * 140 / 1000, RunNoise.stealPercent(before, after), 1e-9);
        assertEquals(-1, RunNoise.stealPercent(new long[0], after), 1e-9);
    }

    @Test
    void aRunReportsStealAndContextSwitchesAndWhetherItsTailIsJudged()
    {
        final Map<String, Object> noise = RunNoise.start().stop();
        final double steal = (Double)noise.get("steal_percent");
        assertEquals(steal > RunNoise.STEAL_LIMIT_PERCENT ? "reported, not judged" : "judged", noise.get("tail"));
        assertTrue((Long)noise.get("voluntary_ctxt_switches") >= -1, noise.toString());
        assertTrue((Long)noise.get("nonvoluntary_ctxt_switches") >= -1, noise.toString());
    }

    @Test
    void contextSwitchesCountEveryThreadNotOnlyTheFirst()
    {
        final boolean readable = RunNoise.contextSwitches()[0] >= 0;
        final RunNoise noise = RunNoise.start();
        // Each park is a voluntary switch of this thread, which is not the JVM's first.
        for (int i = 0; i < 20; i++)
        {
            LockSupport.parkNanos(100_000);
        }
        final Map<String, Object> switches = noise.stop();
        if (readable)
        {
            assertTrue((Long)switches.get("voluntary_ctxt_switches") >= 20, switches.toString());
        }
    }
}
