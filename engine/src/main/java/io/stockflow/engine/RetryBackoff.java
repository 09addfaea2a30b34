package io.stockflow.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * What a {@link BackpressureRetry} does between two tries: spin when the publishing
 * thread has a core to itself and should stay hot, park when it shares few CPUs with
 * the stages it waits for (then spinning would steal their time).
 *
 * <p><b>Threading.</b> Called on the publishing thread; the strategies here are
 * stateless and allocate nothing, so one instance serves every thread.
 */
@FunctionalInterface
public interface RetryBackoff
{
    /** Busy-spins ({@link Thread#onSpinWait()}): the lowest latency, one core kept busy. */
    RetryBackoff SPIN = Thread::onSpinWait;

    /** Backs off once, between a refused try and the next. */
    void backOff();

    /**
     * @param parkNanos how long to park between tries.
     * @return a back-off that parks the thread ({@link LockSupport#parkNanos(long)}).
     */
    static RetryBackoff parkNanos(final long parkNanos)
    {
        if (parkNanos <= 0)
        {
            throw new IllegalArgumentException("parkNanos=" + parkNanos + " must be > 0");
        }
        return () -> LockSupport.parkNanos(parkNanos);
    }
}
