package io.stockflow.affinity;

import java.util.OptionalLong;

/**
 * Sets the calling thread's Linux timer slack ({@code prctl(PR_SET_TIMERSLACK)}) and reads it
 * back: how much later than asked the kernel may end the thread's timed sleeps, so that it can
 * batch wake-ups. The default is 50 µs, which makes even {@code LockSupport.parkNanos(1_000)}
 * sleep some 70 to 85 µs; with 1 µs the same park takes about 21 µs on the 2-vCPU development VM
 * (the wake-up itself). A thread that must wake on time between sends spaced tens of
 * microseconds apart can then park for most of each gap instead of spinning through it.
 *
 * <p>Per thread, and set only by the thread itself, which needs no privilege. Reported, never
 * assumed: the slack read back is returned, and a machine without {@code prctl} (not Linux)
 * returns empty and keeps its default.
 */
public final class ThreadTimerSlack
{
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    private ThreadTimerSlack()
    {
    }

    /**
     * Sets the calling thread's timer slack.
     *
     * @param slackNanos the slack, at least 1 ns (0 would mean "the default" to the kernel).
     * @return the slack the thread now has, read back, or empty when it cannot be set or read.
     * @throws IllegalArgumentException if {@code slackNanos < 1}.
     */
    public static OptionalLong setForCurrentThread(final long slackNanos)
    {
        if (slackNanos < 1)
        {
            throw new IllegalArgumentException("slackNanos=" + slackNanos + " must be >= 1");
        }
        try
        {
            ThreadNice.Libc.C.prctl(PR_SET_TIMERSLACK, slackNanos, 0, 0, 0);
        }
        catch (RuntimeException | LinkageError e)
        {
            return OptionalLong.empty();
        }
        return currentThread();
    }

    /**
     * @return the calling thread's timer slack in nanoseconds, or empty when it cannot be read.
     */
    public static OptionalLong currentThread()
    {
        try
        {
            return OptionalLong.of(ThreadNice.Libc.C.prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        }
        catch (RuntimeException | LinkageError e)
        {
            return OptionalLong.empty();
        }
    }
}
