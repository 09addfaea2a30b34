package io.stockflow.journal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadPageFaultsTest
{
    @Test
    void touchingFreshPagesRaisesTheCallingThreadsMinorFaultCount()
    {
        try (ThreadPageFaults faults = ThreadPageFaults.openForCurrentThread())
        {
            assertNotNull(faults, "/proc/thread-self/stat is readable on Linux");
            long before = faults.minorFaults();
            ByteBuffer fresh = ByteBuffer.allocateDirect(64 << 20);
            for (int i = 0; i < fresh.capacity(); i += 4096)
            {
                fresh.put(i, (byte)1);
            }
            long after = faults.minorFaults();
            assertTrue(before >= 0, "read the count");
            assertTrue(after - before >= 1000, "64 MiB of fresh pages fault at least 1000 times, saw "
                + (after - before));
        }
    }
}
