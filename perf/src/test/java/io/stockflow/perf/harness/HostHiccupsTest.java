package io.stockflow.perf.harness;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostHiccupsTest
{
    @Test
    void countsOnlyTheGapsOfTenMicrosecondsOrMoreAndWhatTheyLost()
    {
        // Reads 1 µs apart, except one gap of 10 µs, one of 50 µs and one of 2 ms, over 3 ms in all.
        final long[] reads = {0, 1_000, 2_000, 12_000, 13_000, 63_000, 64_000, 2_064_000, 2_065_000, 3_000_000};
        final LongSupplier clock = new LongSupplier()
        {
            private int next;

            @Override
            public long getAsLong()
            {
                return reads[Math.min(next++, reads.length - 1)];
            }
        };
        final Map<String, Object> hiccups = HostHiccups.measure(3_000_000, clock);
        assertEquals(3.0, (Double)hiccups.get("spun_ms"), 1e-9);
        // 10 µs, 50 µs, 2 ms and the last step of 935 µs: four gaps in 3 ms.
        assertEquals(4 / 0.003, (Double)hiccups.get("gaps_per_s"), 1e-6);
        assertEquals(100.0 * (10_000 + 50_000 + 2_000_000 + 935_000) / 3_000_000,
            (Double)hiccups.get("lost_percent"), 1e-9);
        assertEquals(1L, hiccups.get("gaps_over_1ms"));
        assertEquals(2_000.0, (Double)hiccups.get("max_gap_us"), 1e-9);
    }

    @Test
    void aRealSpinLosesSomethingBetweenNothingAndAllOfIt()
    {
        final Map<String, Object> hiccups = HostHiccups.measure(TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue((Double)hiccups.get("spun_ms") >= 50.0, hiccups.toString());
        final double lost = (Double)hiccups.get("lost_percent");
        assertTrue(lost >= 0 && lost <= 100, hiccups.toString());
        assertTrue((Double)hiccups.get("max_gap_us") * 1e3 <= (Double)hiccups.get("spun_ms") * 1e6,
            hiccups.toString());
    }
}
