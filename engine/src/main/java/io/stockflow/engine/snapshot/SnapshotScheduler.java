package io.stockflow.engine.snapshot;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.SnapshotEvent;
import io.stockflow.engine.rules.FulfillmentRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Takes snapshots every N events or T milliseconds without stalling the logic
 * stage for the Chronicle Map write.
 *
 * <p>The logic thread calls {@link #onBatchEnd} at the end of each batch (a
 * sequence boundary). When a snapshot is due and the writer is idle, the logic
 * thread copies the state into the one reusable {@link StateImage} (the only
 * hold-up it suffers, counted in {@code SNAPSHOT_LAST_HOLD_NS}) and hands it to
 * the snapshot thread, which writes, publishes and prunes. If the writer is still
 * busy, the snapshot waits for a later batch: snapshots never queue up.
 *
 * <p>The logic stage runs beside the journal stage, not after it, so the state it
 * hands over can be ahead of the journal. A snapshot is written only once the
 * journal has committed (made durable at the configured level) every event the
 * state holds: a snapshot must never contain an event the journal could lose, or a
 * later recovery would start from a state that never existed. If the journal stops
 * short (a halt), the snapshot is abandoned.
 *
 * <p>Every snapshot written, or failed, is also a JFR {@link SnapshotEvent},
 * committed by the thread that wrote it.
 */
public final class SnapshotScheduler implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    private static final long JOURNAL_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The journal commits every batch; this long without progress means it has stopped. */
    private static final long JOURNAL_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SnapshotStore store;
    private final CountersFile counters;
    private final long everyEvents;
    private final long everyMs;
    private final int retained;
    private final LongSupplier clockMs;
    private final LongSupplier journalCommittedSequence;
    private final StateImage image = new StateImage();
    private final Thread writerThread;

    // Logic thread only.
    private long lastSnapshotEvents;
    private long lastSnapshotMs;
    // Written with the image, before imageReady publishes it.
    private long holdNs;

    private volatile boolean imageReady;
    private volatile boolean running = true;

    /**
     * @param store         where snapshots go.
     * @param counters      snapshot counters (written by the snapshot thread and the logic thread).
     * @param everyEvents   snapshot after this many events (0: never by count).
     * @param everyMs       snapshot after this many ms (0: never by time).
     * @param retained      snapshots to keep.
     * @param clockMs       wall clock for the time trigger (never reaches the state).
     * @param journalCommittedSequence the journal's committed sequence, readable from any thread.
     * @param threadFactory makes the snapshot thread.
     */
    public SnapshotScheduler(
        final SnapshotStore store,
        final CountersFile counters,
        final long everyEvents,
        final long everyMs,
        final int retained,
        final LongSupplier clockMs,
        final LongSupplier journalCommittedSequence,
        final ThreadFactory threadFactory)
    {
        this.store = store;
        this.counters = counters;
        this.everyEvents = everyEvents;
        this.everyMs = everyMs;
        this.retained = retained;
        this.clockMs = clockMs;
        this.journalCommittedSequence = journalCommittedSequence;
        this.writerThread = threadFactory.newThread(this::writeLoop);
        this.writerThread.setDaemon(true);
    }

    /** Starts the snapshot thread. */
    public void start(final long eventsAtStart)
    {
        lastSnapshotEvents = eventsAtStart;
        lastSnapshotMs = clockMs.getAsLong();
        writerThread.start();
    }

    /**
     * Logic thread, at the end of a batch: hands over a snapshot when one is due.
     *
     * @param rules the state, owned by the calling thread.
     */
    public void onBatchEnd(final FulfillmentRules rules)
    {
        final long events = rules.events();
        final boolean dueByCount = everyEvents > 0 && events - lastSnapshotEvents >= everyEvents;
        final boolean dueByTime = everyMs > 0 && events != lastSnapshotEvents
            && clockMs.getAsLong() - lastSnapshotMs >= everyMs;
        if ((dueByCount || dueByTime) && !imageReady)
        {
            final long start = System.nanoTime();
            image.capture(rules);
            holdNs = System.nanoTime() - start;
            counters.set(EngineCounter.SNAPSHOT_LAST_HOLD_NS, holdNs);
            lastSnapshotEvents = events;
            lastSnapshotMs = clockMs.getAsLong();
            imageReady = true;
            LockSupport.unpark(writerThread);
        }
    }

    /**
     * Takes a snapshot synchronously on the calling thread, for a clean close. The
     * stages must be stopped (the caller then owns the state).
     *
     * @param rules the state.
     * @return the snapshot written, or null when the state is already the newest snapshot.
     * @throws IllegalStateException if the journal has not committed every event of the state.
     */
    public Path snapshotNow(final FulfillmentRules rules)
    {
        stopWriter();
        final List<Path> existing = store.listNewestFirst();
        if (!existing.isEmpty() && SnapshotStore.sequenceOf(existing.get(0)) == rules.lastSequence())
        {
            return null;
        }
        if (rules.events() == 0)
        {
            return null;
        }
        if (journalCommittedSequence.getAsLong() < rules.lastSequence())
        {
            throw new IllegalStateException("the state is at sequence " + rules.lastSequence()
                + " but the journal committed only up to " + journalCommittedSequence.getAsLong());
        }
        final long start = System.nanoTime();
        image.capture(rules);
        holdNs = System.nanoTime() - start;
        counters.set(EngineCounter.SNAPSHOT_LAST_HOLD_NS, holdNs);
        return writeImage();
    }

    private void writeLoop()
    {
        while (running)
        {
            if (!imageReady)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            try
            {
                if (awaitJournal(image.lastSequence()))
                {
                    writeImage();
                }
                else if (running)
                {
                    counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
                    LOG.warn("snapshot at sequence {} abandoned: the journal stopped at {}", image.lastSequence(),
                        journalCommittedSequence.getAsLong());
                }
            }
            catch (final RuntimeException e)
            {
                counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
                LOG.warn("snapshot at sequence {} failed: {}", image.lastSequence(), e.getMessage());
            }
            finally
            {
                imageReady = false;
            }
        }
    }

    /**
     * Snapshot thread: waits until the journal has committed {@code sequence}.
     *
     * @return true when it has; false when the scheduler is closed first, or the journal makes no
     *     progress for {@link #JOURNAL_STALL_NANOS} (it halted).
     */
    private boolean awaitJournal(final long sequence)
    {
        long committed = journalCommittedSequence.getAsLong();
        long lastProgressNs = System.nanoTime();
        while (committed < sequence)
        {
            if (!running)
            {
                return false;
            }
            LockSupport.parkNanos(JOURNAL_POLL_NANOS);
            final long now = journalCommittedSequence.getAsLong();
            if (now != committed)
            {
                committed = now;
                lastProgressNs = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgressNs > JOURNAL_STALL_NANOS)
            {
                return false;
            }
        }
        return true;
    }

    private Path writeImage()
    {
        final SnapshotEvent event = new SnapshotEvent();
        event.begin();
        event.sequence = image.lastSequence();
        event.holdNs = holdNs;
        try
        {
            final long start = System.nanoTime();
            final Path written = store.write(image);
            final long bytes = SnapshotStore.sizeOf(written);
            counters.set(EngineCounter.SNAPSHOT_LAST_WRITE_NS, System.nanoTime() - start);
            counters.set(EngineCounter.SNAPSHOT_LAST_SEQUENCE, image.lastSequence());
            counters.set(EngineCounter.SNAPSHOT_LAST_BYTES, bytes);
            counters.add(EngineCounter.SNAPSHOTS, 1);
            event.bytes = bytes;
            event.succeeded = true;
            store.retain(retained);
            return written;
        }
        finally
        {
            event.commit();
        }
    }

    private void stopWriter()
    {
        running = false;
        LockSupport.unpark(writerThread);
        if (writerThread.isAlive() && Thread.currentThread() != writerThread)
        {
            try
            {
                writerThread.join(TimeUnit.SECONDS.toMillis(60));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close()
    {
        stopWriter();
    }
}
