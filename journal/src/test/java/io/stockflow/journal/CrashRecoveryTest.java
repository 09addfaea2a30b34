package io.stockflow.journal;

import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.CrashingAppenderMain;
import io.stockflow.journal.testing.Slow;
import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM with SIGKILL at random moments while it appends as fast as it can, then checks
 * that the reopened journal is a gap-free, CRC-valid prefix of what was written, byte for byte, and
 * that appending continues at the next sequence. Trials: {@code -Dstockflow.crashTrials=N}
 * (default 8). The roll cycle is one second, so kills also land around roll-overs and on the
 * pretoucher's early creation of the next file.
 */
@Slow
@Timeout(600)
class CrashRecoveryTest
{
    @TempDir
    Path dir;

    @Test
    void killMinus9DuringAppendsLeavesAGapFreeCrcValidPrefixAndAppendingContinues() throws Exception
    {
        int trials = Integer.getInteger("stockflow.crashTrials", 8);
        long seed = Long.getLong("stockflow.crashSeed", System.nanoTime());
        Random random = new Random(seed);
        long verifiedUpTo = 0;
        int tornTails = 0;
        for (int trial = 1; trial <= trials; trial++)
        {
            long lastAtChildStart;
            long trialStart = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(true, CrashingAppenderMain.class, dir.toString(),
                JournalRollCycle.TEST_SECONDLY.name()))
            {
                lastAtChildStart = Long.parseLong(child.awaitLine("READY", 60).substring("READY ".length()));
                System.out.printf("trial %d: child ready after %d ms%n", trial,
                    (System.nanoTime() - trialStart) / 1_000_000);
                assertEquals(verifiedUpTo, lastAtChildStart,
                    "child continues where the parent left (seed " + seed + ")");
                Thread.sleep(50 + random.nextInt(700));
                child.kill();
            }
            try (Journal journal = Journal.open(JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY)
                .pretouch(false).build()))
            {
                TailRecoveryReport report = journal.tailRecovery();
                if (report.tailWasTorn())
                {
                    tornTails++;
                }
                long last = journal.lastSequence();
                assertTrue(last > lastAtChildStart, "trial " + trial + " wrote nothing (seed " + seed + ")");
                try (JournalReader reader = journal.newReader())
                {
                    assertTrue(reader.seekToSequence(verifiedUpTo + 1));
                    JournalRecord record = new JournalRecord();
                    for (long s = verifiedUpTo + 1; s <= last; s++)
                    {
                        assertTrue(reader.readNext(record), "missing " + s + " (seed " + seed + ")");
                        TestRecords.assertRecord(s, record);
                    }
                    assertFalse(reader.readNext(record));
                }
                assertEquals(last + 1, TestRecords.appendFor(journal.appender(), last + 1));
                journal.appender().commit();
                verifiedUpTo = last + 1;
            }
            System.out.printf("trial %d: %d ms, up to %d%n", trial, (System.nanoTime() - trialStart) / 1_000_000,
                verifiedUpTo);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= verifiedUpTo; s++)
            {
                assertTrue(reader.readNext(record), "missing " + s + " (seed " + seed + ")");
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
        System.out.printf("crash trials=%d seed=%d records=%d tornTails=%d%n", trials, seed, verifiedUpTo, tornTails);
    }
}
