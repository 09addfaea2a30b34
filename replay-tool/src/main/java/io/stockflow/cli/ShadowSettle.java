package io.stockflow.cli;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The demo's wait, before its steady phase, for the shadow state to apply the run phase's last command
 * and write the snapshot due at or before it. Reads the engine's counters through suppliers, so a test
 * can drive each way the wait ends. Runs on the demo's main thread.
 */
final class ShadowSettle
{
    /** How the wait ended. */
    enum Outcome
    {
        /** The shadow state reached the last command and the due snapshot was written. */
        SETTLED,
        /** The timeout passed first. */
        TIMED_OUT,
        /** A snapshot failed while waiting: the due snapshot may never come. */
        SNAPSHOT_FAILED
    }

    /**
     * @param outcome        how the wait ended.
     * @param elapsedNs      how long it waited.
     * @param shadowSequence the shadow state's sequence when it ended.
     */
    record Result(Outcome outcome, long elapsedNs, long shadowSequence)
    {}

    private ShadowSettle()
    {
    }

    /**
     * @param shadowSequence   the shadow state's applied sequence ({@code SHADOW_SEQUENCE}).
     * @param snapshotSequence the last snapshot's sequence ({@code SNAPSHOT_LAST_SEQUENCE}).
     * @param snapshotFailures failed snapshots so far ({@code SNAPSHOT_FAILURES}).
     * @param last             the run phase's last command's sequence.
     * @param dueSnapshot      the snapshot sequence to wait for; 0 for none.
     * @param timeoutNs        how long to wait at most.
     * @param pollNs           how long to park between reads.
     * @return how the wait ended.
     */
    static Result await(
        final LongSupplier shadowSequence,
        final LongSupplier snapshotSequence,
        final LongSupplier snapshotFailures,
        final long last,
        final long dueSnapshot,
        final long timeoutNs,
        final long pollNs)
    {
        final long start = System.nanoTime();
        final long failuresBefore = snapshotFailures.getAsLong();
        while (true)
        {
            final long shadow = shadowSequence.getAsLong();
            if (shadow >= last && snapshotSequence.getAsLong() >= dueSnapshot)
            {
                return new Result(Outcome.SETTLED, System.nanoTime() - start, shadow);
            }
            if (snapshotFailures.getAsLong() != failuresBefore)
            {
                return new Result(Outcome.SNAPSHOT_FAILED, System.nanoTime() - start, shadow);
            }
            if (System.nanoTime() - start >= timeoutNs)
            {
                return new Result(Outcome.TIMED_OUT, System.nanoTime() - start, shadow);
            }
            LockSupport.parkNanos(pollNs);
        }
    }
}
