package io.stockflow.engine.counters;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * Publish-to-release latency per interval: the outcome thread records every
 * released event into an HdrHistogram {@link SingleWriterRecorder}; the
 * {@link CountersSampler} thread takes the interval's histogram (the recorder
 * swaps two preallocated histograms) and publishes its percentiles into the
 * {@code LATENCY_*} counters.
 *
 * <p>Why a recorder: the percentiles cost a scan of the histogram, which belongs
 * on the sampler thread, not on the outcome stage; recording stays a bucket
 * increment inside a wait-free writer critical section, without allocation.
 */
public final class IntervalLatency
{
    /** Latencies above this are recorded as this (the since-start maximum counter keeps the exact worst). */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private Histogram interval;

    /**
     * Records one event's latency. Outcome thread only; no allocation.
     *
     * @param latencyNs publish-to-release latency.
     */
    public void record(final long latencyNs)
    {
        recorder.recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
    }

    /**
     * Ends the current interval and publishes its count, median, 99th and 99.9th
     * percentiles and maximum (zeros for an interval without events). Sampler
     * thread only (or any one thread once the sampler has stopped).
     *
     * @param counters   where to publish.
     * @param intervalNs how long the interval lasted.
     */
    public void publishInterval(final CountersFile counters, final long intervalNs)
    {
        interval = recorder.getIntervalHistogram(interval);
        counters.set(EngineCounter.LATENCY_INTERVAL_NS, intervalNs);
        counters.set(EngineCounter.LATENCY_INTERVAL_COUNT, interval.getTotalCount());
        counters.set(EngineCounter.LATENCY_P50_NS, interval.getValueAtPercentile(50.0));
        counters.set(EngineCounter.LATENCY_P99_NS, interval.getValueAtPercentile(99.0));
        counters.set(EngineCounter.LATENCY_P999_NS, interval.getValueAtPercentile(99.9));
        counters.set(EngineCounter.LATENCY_INTERVAL_MAX_NS, interval.getTotalCount() == 0 ? 0 : interval.getMaxValue());
    }
}
