package io.stockflow.engine;

import io.stockflow.engine.command.CommandFields;

import java.time.Duration;

/**
 * Publishes a command and, while the engine answers {@link PublishRefusal#BACKPRESSURE},
 * backs off and tries again, up to a deadline: for a feed that must not lose commands
 * to load shedding (a batch run, a replay, a benchmark, a test), unlike a live service,
 * which should shed. Every such feed uses this one class; only the back-off and the
 * deadline differ between them.
 *
 * <p>An accepted or otherwise refused first try costs one publish and a compare (no
 * clock read); the deadline is taken from {@link System#nanoTime()} at the first
 * BACKPRESSURE. Allocates nothing.
 *
 * <p><b>Threading.</b> The publisher's owner thread only (it publishes, and it counts
 * its retries in a plain field): one instance per feed.
 */
public final class BackpressureRetry
{
    private final CommandPublisher publisher;
    private final RetryBackoff backoff;
    private final long timeoutNs;
    private long retries;

    /**
     * @param publisher the single writer's publisher.
     * @param backoff   what to do between tries.
     * @param timeout   how long one command may keep being refused before its BACKPRESSURE is returned.
     */
    public BackpressureRetry(final CommandPublisher publisher, final RetryBackoff backoff, final Duration timeout)
    {
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("timeout=" + timeout + " must be > 0");
        }
        this.publisher = publisher;
        this.backoff = backoff;
        this.timeoutNs = timeout.toNanos();
    }

    /**
     * Publishes {@code command}, retrying while it is refused with BACKPRESSURE.
     *
     * @param command the command's fields.
     * @param ts      its time in epoch ms, or {@link CommandPublisher#NOW}.
     * @return the sequence; a refusal other than BACKPRESSURE at once; BACKPRESSURE once the
     *         timeout passed since the first refusal.
     */
    public long publish(final CommandFields command, final long ts)
    {
        long result = publisher.publish(command, ts);
        if (result != PublishRefusal.BACKPRESSURE)
        {
            return result;
        }
        final long deadline = System.nanoTime() + timeoutNs;
        do
        {
            retries++;
            backoff.backOff();
            result = publisher.publish(command, ts);
        }
        while (result == PublishRefusal.BACKPRESSURE && System.nanoTime() - deadline < 0);
        return result;
    }

    /** @return BACKPRESSURE answers retried so far by this instance. */
    public long retries()
    {
        return retries;
    }
}
