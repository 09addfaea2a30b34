package io.stockflow.engine;

/**
 * The publisher's single-writer guard: the first thread that checks in owns the
 * publisher for good, and every later check from another thread throws before the
 * ring is touched, so a second thread can never corrupt the single-producer ring.
 *
 * <p><b>Threading.</b> Any thread may call {@link #check()}; once the owner is bound,
 * the owner's check is one volatile read and a compare (no lock, no allocation).
 */
final class SingleWriterGuard
{
    private volatile Thread owner;

    /**
     * Binds the calling thread as the owner if there is none yet, else checks that it
     * is the owner.
     *
     * @throws IllegalStateException when called from a thread other than the owner.
     */
    void check()
    {
        final Thread current = Thread.currentThread();
        final Thread bound = owner;
        if (bound == current)
        {
            return;
        }
        if (bound == null)
        {
            synchronized (this)
            {
                if (owner == null)
                {
                    owner = current;
                    return;
                }
            }
        }
        throw new IllegalStateException("publish from thread '" + current.getName()
            + "' refused: this engine has a single writer, thread '" + owner.getName()
            + "'; hand commands to that thread instead (see README, 'Several input threads')");
    }
}
