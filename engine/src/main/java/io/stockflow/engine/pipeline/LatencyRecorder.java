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
     * @param publishedNs when the publisher published the event.
     * @param journaledNs when the journal stage appended it.
     * @param appliedNs   when the logic stage applied it.
     * @param releasedNs  when the outcome stage released it.
     */
    void record(long publishedNs, long journaledNs, long appliedNs, long releasedNs);
}
