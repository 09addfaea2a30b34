package io.stockflow.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * The last step of stopping one of the engine's background threads (snapshot, shadow state,
 * counters sampler, journal archiver): each parks between duties and checks a flag its owner has
 * just cleared, so the owner wakes it and waits, bounded, for it to end. What a thread that did not
 * end means is the owner's to say (a warning at close, an error where the caller needs it gone).
 *
 * <p><b>Threading.</b> Called by the thread that closes the owner, never by the stopped thread.
 */
public final class BackgroundThreadStop
{
    private BackgroundThreadStop()
    {
    }

    /**
     * Wakes {@code thread} and waits up to {@code timeoutMs} for it to end. An interrupt of the
     * caller ends the wait early and stays set.
     *
     * @param thread    the thread, told to stop before this is called
     * @param timeoutMs how long to wait
     * @return whether the thread has ended
     */
    public static boolean wakeAndJoin(final Thread thread, final long timeoutMs)
    {
        LockSupport.unpark(thread);
        try
        {
            thread.join(timeoutMs);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
