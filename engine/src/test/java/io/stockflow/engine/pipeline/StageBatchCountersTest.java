package io.stockflow.engine.pipeline;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The largest-batch counter covers the current one-second interval, not all time. */
class StageBatchCountersTest
{
    @Test
    void largestBatchIsPerIntervalSoALaterQuietSecondShowsItsOwnMaximum() throws InterruptedException
    {
        final CountersFile counters = CountersFile.inMemory();
        final StageBatchCounters stage = StageBatchCounters.logic(counters, true);
        stage.onStart();

        batch(stage, 50);
        batch(stage, 3);
        assertEquals(50, counters.get(EngineCounter.LOGIC_BATCH_MAX), "the burst, within its second");
        assertEquals(53, counters.get(EngineCounter.LOGIC_EVENTS));
        assertEquals(2, counters.get(EngineCounter.LOGIC_BATCHES));

        TimeUnit.NANOSECONDS.sleep(StageBatchCounters.INTERVAL_NS + TimeUnit.MILLISECONDS.toNanos(50));
        batch(stage, 4);
        batch(stage, 2);
        assertEquals(4, counters.get(EngineCounter.LOGIC_BATCH_MAX), "a new second starts from its own batches");
    }

    private static void batch(final StageBatchCounters stage, final long size)
    {
        stage.onBatchStart(size, 0);
        stage.onBatchEnd();
    }
}
