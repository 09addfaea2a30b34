package io.stockflow.journal.internal;

import io.stockflow.journal.JournalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal's one background thread: refreshes the {@link DiskSpaceGuard} every interval and,
 * when pretouch is on, runs the {@link Pretoucher}. Sleeps 1 ms when a pass did no work, so it
 * costs little CPU and never spins.
 *
 * <p>A failure of the pretoucher (for instance an I/O error raised while faulting a page) is
 * logged once and switches pretouch off; the disk checks go on, since the writer depends on them.
 */
public final class BackgroundWorker implements AutoCloseable
{
    /** Thread name when pretouch is on. */
    public static final String PRETOUCH_THREAD_NAME = "stockflow-journal-pretouch";
    /** Thread name when pretouch is off and only the disk guard runs. */
    public static final String DISK_GUARD_THREAD_NAME = "stockflow-journal-disk-guard";

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWorker.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long JOIN_TIMEOUT_MILLIS = 10_000;

    private final DiskSpaceGuard diskSpaceGuard;
    private final long diskCheckIntervalNs;
    private final Thread thread;
    private volatile Pretoucher pretoucher;
    private volatile boolean running = true;

    /**
     * Creates and starts the thread.
     *
     * @param diskSpaceGuard          refreshed every interval
     * @param diskCheckIntervalMillis the interval
     * @param pretoucher              run on every pass, or null when pretouch is off
     * @param threadFactory           creates the thread, or null for a daemon thread with the names above
     */
    public BackgroundWorker(DiskSpaceGuard diskSpaceGuard, long diskCheckIntervalMillis, Pretoucher pretoucher,
        ThreadFactory threadFactory)
    {
        this.diskSpaceGuard = diskSpaceGuard;
        this.diskCheckIntervalNs = TimeUnit.MILLISECONDS.toNanos(diskCheckIntervalMillis);
        this.pretoucher = pretoucher;
        String name = pretoucher == null ? DISK_GUARD_THREAD_NAME : PRETOUCH_THREAD_NAME;
        if (threadFactory == null)
        {
            this.thread = new Thread(this::run, name);
            this.thread.setDaemon(true);
        }
        else
        {
            this.thread = threadFactory.newThread(this::run);
        }
        this.thread.start();
    }

    private void run()
    {
        long nextDiskCheck = System.nanoTime() + diskCheckIntervalNs;
        while (running)
        {
            long now = System.nanoTime();
            if (now - nextDiskCheck >= 0)
            {
                diskSpaceGuard.refresh();
                nextDiskCheck = now + diskCheckIntervalNs;
            }
            int work = pretouch();
            if (work == 0)
            {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
    }

    private int pretouch()
    {
        Pretoucher current = pretoucher;
        if (current == null)
        {
            return 0;
        }
        try
        {
            return current.doWork();
        }
        catch (RuntimeException | Error e)
        {
            LOG.warn("journal pretouch failed and is switched off; appends go on without it", e);
            pretoucher = null;
            current.close();
            return 0;
        }
    }

    /** @return the background thread, for tests and diagnostics */
    public Thread thread()
    {
        return thread;
    }

    /** Stops the thread and waits for it, then releases the pretoucher's stores; idempotent. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(JOIN_TIMEOUT_MILLIS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            throw new JournalException("journal background thread " + thread.getName() + " did not stop within "
                + JOIN_TIMEOUT_MILLIS + " ms");
        }
        Pretoucher current = pretoucher;
        pretoucher = null;
        if (current != null)
        {
            current.close();
        }
    }
}
