package io.stockflow.engine.recovery;

/** Told about replay progress every 65,536 events and at the end. */
@FunctionalInterface
public interface ReplayProgress
{
    /** Ignores progress. */
    ReplayProgress NONE = (sequence, events) ->
    {};

    /**
     * @param sequence last sequence applied.
     * @param events   events applied so far.
     */
    void onProgress(long sequence, long events);
}
