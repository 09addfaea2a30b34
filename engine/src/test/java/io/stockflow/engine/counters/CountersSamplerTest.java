package io.stockflow.engine.counters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler's duties, driven through {@link CountersSampler#doWork(long)} with
 * a controlled clock (no thread): ring free capacity every 100 ms, latency
 * percentiles and the heartbeat once a second, an empty interval published as
 * zeros.
 */
class CountersSamplerTest
{
    private static final long START_NS = 1_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final CountersFile counters = CountersFile.inMemory();
    private final IntervalLatency latency = new IntervalLatency();
    private final AtomicLong freeSlots = new AtomicLong(1024);
    private final AtomicLong wallClockMs = new AtomicLong(50_000);
    private final CountersSampler sampler =
        new CountersSampler(counters, latency, freeSlots::get, wallClockMs::get, START_NS);

    @Test
    void samplesTheRingFreeCapacityEveryHundredMilliseconds()
    {
        assertEquals(1, sampler.doWork(START_NS));
        assertEquals(1024, counters.get(EngineCounter.RING_FREE));
        freeSlots.set(100);
        assertEquals(0, sampler.doWork(START_NS + 99 * MS), "not due yet");
        assertEquals(1024, counters.get(EngineCounter.RING_FREE));
        assertEquals(1, sampler.doWork(START_NS + 100 * MS));
        assertEquals(100, counters.get(EngineCounter.RING_FREE));
    }

    @Test
    void publishesTheIntervalPercentilesAndHeartbeatOnceASecond()
    {
        sampler.doWork(START_NS);
        for (long micros = 1; micros <= 1_000; micros++)
        {
            latency.record(TimeUnit.MICROSECONDS.toNanos(micros));
        }
        sampler.doWork(START_NS + 999 * MS);
        assertEquals(0, counters.get(EngineCounter.LATENCY_INTERVAL_COUNT), "interval not over yet");

        wallClockMs.set(51_000);
        assertEquals(1, sampler.doWork(START_NS + 1_000 * MS), "the interval ends; the ring is sampled at 1,099 ms");
        assertEquals(1_000, counters.get(EngineCounter.LATENCY_INTERVAL_COUNT));
        assertEquals(TimeUnit.SECONDS.toNanos(1), counters.get(EngineCounter.LATENCY_INTERVAL_NS));
        assertWithinOnePerMille(500_000, counters.get(EngineCounter.LATENCY_P50_NS));
        assertWithinOnePerMille(990_000, counters.get(EngineCounter.LATENCY_P99_NS));
        assertWithinOnePerMille(999_000, counters.get(EngineCounter.LATENCY_P999_NS));
        assertWithinOnePerMille(1_000_000, counters.get(EngineCounter.LATENCY_INTERVAL_MAX_NS));

        latency.record(5_000);
        assertEquals(2, sampler.doWork(START_NS + 2_100 * MS));
        assertEquals(1, counters.get(EngineCounter.LATENCY_INTERVAL_COUNT), "only the new interval's event");
        assertWithinOnePerMille(5_000, counters.get(EngineCounter.LATENCY_INTERVAL_MAX_NS));

        assertEquals(2, sampler.doWork(START_NS + 3_200 * MS));
        assertEquals(0, counters.get(EngineCounter.LATENCY_INTERVAL_COUNT), "an interval without events");
        assertEquals(0, counters.get(EngineCounter.LATENCY_P99_NS));
        assertEquals(0, counters.get(EngineCounter.LATENCY_INTERVAL_MAX_NS));
    }

    @Test
    void refreshesTheHeartbeatInTheCountersFileOnceASecond(@TempDir final Path directory) throws Exception
    {
        final Path file = directory.resolve(CountersLayout.FILE_NAME);
        try (CountersFile fileCounters = CountersFile.createFile(file, 10_000L))
        {
            final CountersSampler fileSampler =
                new CountersSampler(fileCounters, latency, freeSlots::get, wallClockMs::get, START_NS);
            fileSampler.doWork(START_NS + 500 * MS);
            assertEquals(10_000L, new CountersReader(file).read().heartbeatMs(), "not a second yet");
            fileSampler.doWork(START_NS + 1_000 * MS);
            assertEquals(50_000L, new CountersReader(file).read().heartbeatMs());
        }
    }

    @Test
    void clampsLatenciesBeyondTheTrackableRange()
    {
        sampler.doWork(START_NS);
        latency.record(Long.MAX_VALUE);
        latency.record(-5);
        sampler.doWork(START_NS + 1_000 * MS);
        assertEquals(2, counters.get(EngineCounter.LATENCY_INTERVAL_COUNT));
        assertTrue(counters.get(EngineCounter.LATENCY_INTERVAL_MAX_NS) >= IntervalLatency.HIGHEST_TRACKABLE_NS);
    }

    @Test
    void closeWithoutStartIsANoOp()
    {
        sampler.close();
        assertTrue(!sampler.isAlive());
    }

    private static void assertWithinOnePerMille(final long expected, final long actual)
    {
        assertTrue(Math.abs(actual - expected) <= expected / 1_000 + 1,
            "expected about " + expected + ", was " + actual);
    }
}
