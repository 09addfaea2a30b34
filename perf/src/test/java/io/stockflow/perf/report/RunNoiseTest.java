package io.stockflow.perf.report;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
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
    void pageFaultsAreTheMinorAndMajorFieldsAfterTheCommandName()
    {
        // pid, a command name with a space and a parenthesis, then state ppid pgrp session tty_nr tpgid flags
        // minflt cminflt majflt cmajflt ...
        final String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1234 7 56 0 300 20 0 0 20 0 31 0";
        assertArrayEquals(new long[] {1234, 56}, RunNoise.parseFaults(stat));
    }

    @Test
    void aRunCountsThePageFaultsItTook()
    {
        final boolean readable = RunNoise.pageFaults()[0] >= 0;
        final RunNoise noise = RunNoise.start();
        // Direct memory is not pre-faulted: writing one byte in each 4 KiB page faults each page in.
        final ByteBuffer fresh = ByteBuffer.allocateDirect(64 << 20);
        for (int at = 0; at < fresh.capacity(); at += 4096)
        {
            fresh.put(at, (byte)1);
        }
        final Map<String, Object> faults = noise.stop();
        if (readable)
        {
            // At least one fault per 2 MiB, should transparent huge pages back the buffer.
            assertTrue((Long)faults.get("minor_page_faults") >= 32, faults.toString());
            assertTrue((Long)faults.get("major_page_faults") >= 0, faults.toString());
        }
        else
        {
            assertEquals(-1L, faults.get("minor_page_faults"));
        }
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
