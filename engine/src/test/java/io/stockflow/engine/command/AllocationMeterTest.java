package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationMeterTest
{
    private Object sink;

    @Test
    void shouldSeeAnAllocationSoThatZeroMeansNone()
    {
        final Runnable allocating = () -> sink = new long[1000];
        assertTrue(AllocationMeter.minBytesAllocated(allocating, 10, 3) >= 8000);
        assertTrue(sink != null);
    }
}
