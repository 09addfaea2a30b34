package io.stockflow.engine.pipeline;

/**
 * Receives each event's stage timestamps (System.nanoTime) on the outcome
 * stage's thread: published, journaled, applied, released. Implementations must
 * not allocate (the benchmark harness records into HdrHistograms).
 */
@FunctionalInterface
public interface LatencyRecorder
{
    /** Records nothing. */
    LatencyRecorder NONE = (published, journaled, applied, released) ->
    {};

    /**
     * @param publishedNanos when the publisher published the event.
     * @param journaledNanos when the journal stage appended it.
     * @param appliedNanos   when the logic stage applied it.
     * @param releasedNanos  when the outcome stage released it.
     */
    void record(long publishedNanos, long journaledNanos, long appliedNanos, long releasedNanos);
}
