package io.stockflow.perf.harness;

import io.stockflow.perf.report.Histograms;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The OS-jitter baseline, in the manner of jHiccup: a thread that asks to sleep for a
 * fixed short interval, over and over, and records how much later than asked it woke.
 * Whatever delays it (the scheduler, another VM on the host, GC safepoints, page-cache
 * write-back) delays the pipeline's threads too, so its percentiles are the floor under
 * every latency figure of the same run.
 */
public final class JitterProbe implements AutoCloseable
{
    /** The interval the probe sleeps for. */
    public static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Histogram gaps = Histograms.nanos();
    private final Thread thread;
    private volatile boolean running = true;

    private JitterProbe()
    {
        thread = new Thread(this::probe, "jitter-probe");
        thread.setDaemon(true);
    }

    /** @return a started probe. */
    public static JitterProbe start()
    {
        final JitterProbe probe = new JitterProbe();
        probe.thread.start();
        return probe;
    }

    private void probe()
    {
        while (running)
        {
            final long before = System.nanoTime();
            LockSupport.parkNanos(INTERVAL_NANOS);
            Histograms.record(gaps, System.nanoTime() - before - INTERVAL_NANOS);
        }
    }

    /**
     * Stops the probe and waits for it.
     *
     * @return the wake-up delays beyond the interval asked for, ns.
     */
    public Histogram stop()
    {
        close();
        return gaps;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
