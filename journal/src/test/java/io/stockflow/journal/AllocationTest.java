package io.stockflow.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm append allocates nothing. Measured with the HotSpot per-thread allocation counter around
 * 100,000 appends and commits after 200,000 warm-up ones. The tolerance of 2 KiB absorbs one-off
 * allocations that are not per append: the counter query itself, and the occasional Chronicle
 * index array, written once per 256 records as a template copy; anything proportional to the
 * number of appends (even 1 byte each) would exceed it by far.
 */
@Timeout(120)
class AllocationTest
{
    private static final long TOLERANCE_BYTES = 2_048;

    @TempDir
    Path dir;

    @Test
    void warmAppendAndCommitAllocateNothing()
    {
        for (Durability durability : Durability.values())
        {
            Path journalDir = dir.resolve(durability.name());
            JournalConfig config = JournalConfig.builder(journalDir).durability(durability)
                .timeProvider(new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L))).build();
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            byte[] payload = new byte[64];
            try (Journal journal = Journal.open(config))
            {
                JournalAppender appender = journal.appender();
                int batches = durability == Durability.OS_CRASH ? 64 : 1;
                appendMany(appender, payload, 200_000, batches);
                long before = threads.getCurrentThreadAllocatedBytes();
                appendMany(appender, payload, 100_000, batches);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated <= TOLERANCE_BYTES,
                    durability + ": 100,000 warm appends allocated " + allocated + " bytes");
            }
        }
    }

    private static void appendMany(JournalAppender appender, byte[] payload, int count, int recordsPerCommit)
    {
        for (int i = 0; i < count; i++)
        {
            payload[i & 63] = (byte)i;
            appender.append(i, 1, 1, payload, 0, payload.length);
            if (i % (recordsPerCommit * 64) == 0)
            {
                appender.commit();
            }
        }
    }
}
