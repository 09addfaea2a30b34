package io.stockflow.perf.harness;

import io.stockflow.perf.report.Histograms;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw-journal baseline's reader thread: reads documents as they appear, spinning
 * briefly, then yielding, then parking when there is nothing to read (a blocking stage's
 * behaviour on a 2-core machine), checks every record's length and count against what
 * {@link RawJournalSender} wrote, and records planned time to read for records planned at
 * or after {@code measureFromNs}. Runs on its own thread; {@link #read()}, {@link #failure()}
 * and {@link #awaitCount} may be called from any thread, {@link #latency()} once it stopped.
 */
final class RawQueueTailer implements Runnable
{
    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long PARK_NANOS = 50_000;

    private final SingleChronicleQueue queue;
    private final RawJournalSender sender;
    private final long measureFromNs;
    private final Histogram latency = Histograms.nanos();
    private volatile int read;
    private volatile String failure;

    /**
     * @param queue         the queue the sender appends to.
     * @param sender        what was written: planned times and lengths by index.
     * @param measureFromNs records planned before this are read and checked but not recorded.
     */
    RawQueueTailer(final SingleChronicleQueue queue, final RawJournalSender sender, final long measureFromNs)
    {
        this.queue = queue;
        this.sender = sender;
        this.measureFromNs = measureFromNs;
    }

    /**
     * @param name the thread's name.
     * @return a started daemon thread running this tailer.
     */
    Thread start(final String name)
    {
        final Thread thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run()
    {
        final int capacity = sender.capacity();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            int idle = 0;
            int count = 0;
            while (count < capacity && !Thread.currentThread().isInterrupted())
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        idle = idle(idle);
                        continue;
                    }
                    idle = 0;
                    final Bytes<?> bytes = document.wire().bytes();
                    final long now = System.nanoTime();
                    final int length = (int)bytes.readRemaining();
                    if (length != sender.lengthAt(count))
                    {
                        failure = "record " + count + " has " + length + " bytes, " + sender.lengthAt(count)
                            + " written";
                        return;
                    }
                    bytes.readSkip(length);
                    final long planned = sender.plannedAt(count);
                    if (planned >= measureFromNs)
                    {
                        Histograms.record(latency, now - planned);
                    }
                    count++;
                    read = count;
                }
            }
        }
        catch (final RuntimeException e)
        {
            failure = e.toString();
        }
    }

    private static int idle(final int idle)
    {
        if (idle < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (idle < YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return idle + 1;
    }

    /**
     * Waits up to 60 s until {@code count} records were read or the tailer failed.
     *
     * @param count records expected.
     */
    void awaitCount(final int count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read < count && failure == null && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Stops the thread, waits for it, and checks that it read {@code expected} records intact.
     *
     * @param thread   the thread {@link #start} returned.
     * @param expected records written.
     * @throws BenchCheckException when a record was missed or misread.
     */
    void stopAndCheck(final Thread thread, final int expected)
    {
        awaitCount(expected);
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        BenchCheckException.check(failure == null, "raw queue tailer: " + failure);
        BenchCheckException.check(read == expected, "raw queue tailer read " + read + " of " + expected);
    }

    /** @return planned time to read, ns, of the measured records. */
    Histogram latency()
    {
        return latency;
    }
}
