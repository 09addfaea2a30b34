package io.stockflow.engine.pipeline;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;

/**
 * One stage's batch counters: batches, events, largest batch of the current
 * one-second interval, lag behind the cursor, and time spent working (batch start
 * to batch end) versus waiting (batch end to the next batch start). Mean batch
 * sizes per interval are the deltas of events over batches, which {@code stat}
 * derives; the largest batch is kept per interval here, since a maximum since
 * start stops saying anything after the first burst.
 *
 * <p>Owned by the stage's thread. Two {@link System#nanoTime()} reads per batch
 * and nothing per event; when counting is off it does nothing at all.
 */
final class StageBatchCounters
{
    /** The interval of the largest-batch counters. */
    static final long INTERVAL_NS = 1_000_000_000L;

    private final CountersFile counters;
    private final boolean counting;
    private final EngineCounter batches;
    private final EngineCounter events;
    private final EngineCounter batchMax;
    private final EngineCounter lag;
    private final EngineCounter workNs;
    private final EngineCounter waitNs;
    private long batchStartNs;
    private long batchEndNs;
    private long intervalStartNs;
    private long intervalMax;

    private StageBatchCounters(
        final CountersFile counters,
        final boolean counting,
        final EngineCounter batches,
        final EngineCounter events,
        final EngineCounter batchMax,
        final EngineCounter lag,
        final EngineCounter workNs,
        final EngineCounter waitNs)
    {
        this.counters = counters;
        this.counting = counting;
        this.batches = batches;
        this.events = events;
        this.batchMax = batchMax;
        this.lag = lag;
        this.workNs = workNs;
        this.waitNs = waitNs;
    }

    static StageBatchCounters journal(final CountersFile counters, final boolean counting)
    {
        return new StageBatchCounters(counters, counting, EngineCounter.JOURNAL_BATCHES, EngineCounter.JOURNAL_EVENTS,
            EngineCounter.JOURNAL_BATCH_MAX, EngineCounter.JOURNAL_LAG, EngineCounter.JOURNAL_WORK_NS,
            EngineCounter.JOURNAL_WAIT_NS);
    }

    static StageBatchCounters logic(final CountersFile counters, final boolean counting)
    {
        return new StageBatchCounters(counters, counting, EngineCounter.LOGIC_BATCHES, EngineCounter.LOGIC_EVENTS,
            EngineCounter.LOGIC_BATCH_MAX, EngineCounter.LOGIC_LAG, EngineCounter.LOGIC_WORK_NS,
            EngineCounter.LOGIC_WAIT_NS);
    }

    static StageBatchCounters outcome(final CountersFile counters, final boolean counting)
    {
        return new StageBatchCounters(counters, counting, EngineCounter.OUTCOME_BATCHES, EngineCounter.OUTCOME_EVENTS,
            EngineCounter.OUTCOME_BATCH_MAX, EngineCounter.OUTCOME_LAG, EngineCounter.OUTCOME_WORK_NS,
            EngineCounter.OUTCOME_WAIT_NS);
    }

    /** Stage thread, before the first batch: waiting is counted from here. */
    void onStart()
    {
        batchEndNs = System.nanoTime();
        intervalStartNs = batchEndNs;
    }

    /**
     * @param batchSize  events in the batch.
     * @param queueDepth events behind the cursor.
     */
    void onBatchStart(final long batchSize, final long queueDepth)
    {
        if (!counting)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        counters.add(waitNs, nowNs - batchEndNs);
        batchStartNs = nowNs;
        counters.add(batches, 1);
        counters.add(events, batchSize);
        if (nowNs - intervalStartNs >= INTERVAL_NS)
        {
            intervalStartNs = nowNs;
            intervalMax = 0;
        }
        if (batchSize > intervalMax)
        {
            intervalMax = batchSize;
            counters.set(batchMax, batchSize);
        }
        counters.set(lag, queueDepth);
    }

    /**
     * Stage thread, after the batch's last event.
     *
     * @return {@link System#nanoTime()} at the batch end (0 when counting is off).
     */
    long onBatchEnd()
    {
        if (!counting)
        {
            return 0;
        }
        final long nowNs = System.nanoTime();
        counters.add(workNs, nowNs - batchStartNs);
        batchEndNs = nowNs;
        return nowNs;
    }
}
