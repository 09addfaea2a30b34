package io.stockflow.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way the demo's wait for the shadow state before its steady phase can end, and what it prints. */
class ShadowSettleTest
{
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long LONG_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long SHORT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    @Test
    void settlesOnceTheShadowReachedTheLastCommandAndTheDueSnapshotIsWritten()
    {
        final AtomicLong shadow = new AtomicLong();
        final AtomicLong snapshot = new AtomicLong();
        // Each read of the shadow's sequence moves it on; the snapshot comes once it passed 2M.
        final ShadowSettle.Result result = ShadowSettle.await(
            () -> shadow.addAndGet(100_000),
            () -> shadow.get() >= 2_000_000 ? snapshot.updateAndGet(s -> 2_000_000) : snapshot.get(),
            () -> 0,
            2_500_000, 2_000_000, LONG_TIMEOUT_NS, POLL_NS);

        assertEquals(ShadowSettle.Outcome.SETTLED, result.outcome());
        assertTrue(result.shadowSequence() >= 2_500_000, "shadow at " + result.shadowSequence());
        assertTrue(DemoCommand.settleLine(result, 2_500_000, 2_000_000)
            .contains("caught up and wrote its snapshot at 2,000,000"));
    }

    @Test
    void withoutADueSnapshotTheShadowsSequenceIsEnough()
    {
        final ShadowSettle.Result result = ShadowSettle.await(
            () -> 500, () -> 0, () -> 0, 500, 0, LONG_TIMEOUT_NS, POLL_NS);

        assertEquals(ShadowSettle.Outcome.SETTLED, result.outcome());
    }

    @Test
    void aShadowThatCaughtUpStillWaitsForTheDueSnapshot()
    {
        final ShadowSettle.Result result = ShadowSettle.await(
            () -> 2_500_000, () -> 1_000_000, () -> 0, 2_500_000, 2_000_000, SHORT_TIMEOUT_NS, POLL_NS);

        assertEquals(ShadowSettle.Outcome.TIMED_OUT, result.outcome());
        assertTrue(result.elapsedNs() >= SHORT_TIMEOUT_NS);
    }

    @Test
    void aShadowThatNeverCatchesUpTimesOutAndSaysWhereItWas()
    {
        final ShadowSettle.Result result = ShadowSettle.await(
            () -> 1_234_567, () -> 0, () -> 0, 2_500_000, 2_000_000, SHORT_TIMEOUT_NS, POLL_NS);

        assertEquals(ShadowSettle.Outcome.TIMED_OUT, result.outcome());
        assertEquals(1_234_567, result.shadowSequence());
        assertTrue(DemoCommand.settleLine(result, 2_500_000, 2_000_000)
            .contains("did not catch up within 120 s (at sequence 1,234,567 of 2,500,000)"));
    }

    @Test
    void aSnapshotFailureEndsTheWaitBeforeTheTimeout()
    {
        final AtomicLong failures = new AtomicLong(3);
        final AtomicLong reads = new AtomicLong();
        // A snapshot fails at the tenth poll; the failures before the wait began do not count.
        final ShadowSettle.Result result = ShadowSettle.await(
            () -> 2_500_000, () -> 1_000_000, () -> reads.incrementAndGet() > 10 ? failures.incrementAndGet()
                : failures.get(),
            2_500_000, 2_000_000, LONG_TIMEOUT_NS, POLL_NS);

        assertEquals(ShadowSettle.Outcome.SNAPSHOT_FAILED, result.outcome());
        assertTrue(DemoCommand.settleLine(result, 2_500_000, 2_000_000).contains("a snapshot failed"));
    }
}
