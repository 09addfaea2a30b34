package io.stockflow.engine.snapshot;

import com.lmax.disruptor.Cursored;
import io.stockflow.engine.BackgroundThreadStop;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.SnapshotEvent;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.RowCapture;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Takes the engine's periodic snapshots from the live state itself, copied row by row as the logic
 * stage goes on ({@link io.stockflow.engine.EngineConfig.Builder#snapshotSource}, {@code LIVE_STATE}):
 * the alternative to a shadow state that replays every committed record a second time.
 *
 * <p><b>On the logic stage's thread.</b> When a snapshot falls due (every N events, checked after each
 * applied event, or every T ms, checked at the end of a batch), the stage takes the state's scalars
 * into a {@link StateImage} and starts a {@link RowCapture}: from then on, a row's first write hands the
 * row as it was to the image, every applied event hands over {@value #ROWS_PER_EVENT} more rows, and
 * once a batch is released and no event waits, the stage goes on copying {@value #ROWS_PER_IDLE_STEP}
 * rows at a time until one does ({@link #stepWhileIdle}), so a capture finishes in the stage's idle time
 * when there is any, and by the events themselves under a saturating load.
 * No step copies the state; each costs at most a few microseconds, timed into the snapshot hold
 * counters. Nothing is allocated once the image and the capture's bit sets have grown to the state's
 * size.
 *
 * <p><b>On the snapshot thread.</b> A complete image is handed over; the thread waits until the journal
 * has committed its sequence (the live state may run ahead of the journal's commit, and a snapshot must
 * never hold an event a crash could take back), then writes it with the shared {@link SnapshotWrites}
 * and hands the image back. A snapshot due while the last one is still being written waits for it.
 *
 * <p>What it gives up against a shadow state: the continuous determinism check (there is no replay to
 * compare with), and a snapshot then depends on the live state being right.
 *
 * <p><b>Threading.</b> {@link #afterApply}, {@link #atBatchEnd} and {@link #stepWhileIdle} belong to the
 * logic stage's thread;
 * the image passes between that thread and the snapshot thread through {@link #phase}; {@link #start}
 * and {@link #close} belong to the engine's start/close thread, which calls {@link #close} once the
 * stages have stopped.
 */
public final class LiveCaptureSnapshots implements AutoCloseable
{
    /** Rows handed over after each applied event while a capture runs: about a microsecond of copying. */
    static final int ROWS_PER_EVENT = 32;
    /**
     * Rows handed over at a time while the stage is idle (its batch released, no event waiting): some ten
     * microseconds, the longest a new event waits for the stage.
     */
    static final int ROWS_PER_IDLE_STEP = 256;

    private static final Logger LOG = LoggerFactory.getLogger(LiveCaptureSnapshots.class);
    private static final int WARM_UP_ORDERS = 1_024;
    private static final int WARM_UP_CAPTURES = 32;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long COMMIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long STOP_JOIN_MS = TimeUnit.SECONDS.toMillis(60);
    /** The image is the logic stage's: it may start a capture into it. */
    private static final int IDLE = 0;
    /** The logic stage is filling the image. */
    private static final int CAPTURING = 1;
    /** The image is complete and the snapshot thread's until it is written. */
    private static final int CAPTURED = 2;

    private final RowCapture capture;
    private final SnapshotWrites writes;
    private final CountersFile counters;
    private final long everyEvents;
    private final long everyMs;
    private final LongSupplier clockMs;
    private final LongSupplier committedSequence;
    private final StateImage image = new StateImage();
    private final BackgroundSlice slice = new BackgroundSlice(BackgroundSlice.DEFAULT_SLICE_NS);
    private final AtomicInteger phase = new AtomicInteger(IDLE);
    /** Run once the image is written (or its write failed): the logic stage may capture the next one into it. */
    private final Runnable releaseImage = () -> phase.set(IDLE);
    private final Thread thread;
    private volatile boolean running = true;

    // Logic stage's thread.
    private boolean capturing;
    private long lastSnapshotEvents;
    private long lastSnapshotMs;

    /**
     * @param capture           the row capture hooked into the live rules.
     * @param writes            writes the snapshots (shared with the close's snapshot).
     * @param counters          the snapshot hold counters (logic thread) and failures (snapshot thread).
     * @param everyEvents       a snapshot after this many events (0: never by count).
     * @param everyMs           a snapshot after this many ms of wall time (0: never by time).
     * @param clockMs           wall clock for the time trigger (never reaches the state).
     * @param committedSequence the journal's committed sequence, readable from any thread.
     * @param threadFactory     makes the snapshot thread.
     * @param state             the recovered live state: the count trigger counts from its events.
     * @param expectedSkus      SKUs the live tables are presized for (the image and the capture are too).
     * @param expectedOrders    orders the live tables are presized for.
     */
    public LiveCaptureSnapshots(
        final RowCapture capture,
        final SnapshotWrites writes,
        final CountersFile counters,
        final long everyEvents,
        final long everyMs,
        final LongSupplier clockMs,
        final LongSupplier committedSequence,
        final ThreadFactory threadFactory,
        final StateView state,
        final int expectedSkus,
        final int expectedOrders)
    {
        this.capture = capture;
        this.writes = writes;
        this.counters = counters;
        this.everyEvents = everyEvents;
        this.everyMs = everyMs;
        this.clockMs = clockMs;
        this.committedSequence = committedSequence;
        this.lastSnapshotEvents = state.events();
        final int skus = Math.max(expectedSkus, state.skuCount());
        final int orders = Math.max(expectedOrders, state.orderCount());
        // Lines: twice the orders, as the live arena is presized.
        image.reserve(skus, orders, (int)Math.min(Integer.MAX_VALUE - 8, 2L * orders));
        capture.reserve(orders, skus);
        this.lastSnapshotMs = clockMs.getAsLong();
        this.thread = threadFactory.newThread(this::run);
        thread.setDaemon(true);
    }

    /**
     * @param hook called on the snapshot thread after each snapshot written and the retention behind it (it
     *             wakes the journal archiver); it must not block. Before {@link #start} only.
     */
    public void afterSnapshot(final Runnable hook)
    {
        writes.afterSnapshot(hook);
    }

    /**
     * Runs {@value #WARM_UP_CAPTURES} captures of a scratch state of {@value #WARM_UP_ORDERS} orders on the
     * calling thread: the logic stage's, before its first event. Why: a capture runs once every N events,
     * so left cold its code is still interpreted, or changing compilation tier, during the first snapshots'
     * steps, each of which the logic stage is held for (the same lesson as the checkpoint's warm-up,
     * {@code StateCheckpoints.warmUp}). Allocates the scratch state, once.
     */
    public static void warmUp()
    {
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        final long[] skus = {1, 2};
        final long[] qtys = {1, 1};
        final long[] prices = {100, 200};
        restorer.restoreSku(1, 10, 0);
        restorer.restoreSku(2, 10, 0);
        for (int order = 1; order <= WARM_UP_ORDERS; order++)
        {
            restorer.restoreOrder(order, 7, OrderStatus.SHIPPED, 0, 1_000, 2, skus, qtys, prices);
        }
        final FulfillmentRules scratch = restorer.complete();
        final RowCapture capture = new RowCapture(scratch);
        final StateImage image = new StateImage();
        for (int i = 0; i < WARM_UP_CAPTURES; i++)
        {
            image.begin(scratch.view());
            capture.begin(image, image);
            boolean done = false;
            while (!done)
            {
                done = capture.step(ROWS_PER_EVENT);
            }
        }
    }

    /** Starts the snapshot thread. */
    public void start()
    {
        thread.start();
    }

    /**
     * After each applied command, on the logic stage's thread: a step of a running capture, or the start
     * of one when the count trigger is due.
     *
     * @param state the live state, with that command applied.
     */
    public void afterApply(final StateView state)
    {
        if (capturing)
        {
            step(ROWS_PER_EVENT);
        }
        else if (everyEvents > 0 && state.events() - lastSnapshotEvents >= everyEvents)
        {
            begin(state);
        }
    }

    /**
     * At the end of each batch, on the logic stage's thread: the start of a capture when the time trigger
     * is due.
     *
     * @param state the live state.
     */
    public void atBatchEnd(final StateView state)
    {
        if (!capturing && everyMs > 0 && state.events() != lastSnapshotEvents
            && clockMs.getAsLong() - lastSnapshotMs >= everyMs)
        {
            begin(state);
        }
    }

    /** @return true while a capture runs; logic stage's thread only. */
    public boolean capturing()
    {
        return capturing;
    }

    /**
     * Goes on with a running capture, {@value #ROWS_PER_IDLE_STEP} rows at a time, until it is complete or
     * an event is published after {@code processed}. Logic stage's thread, once its batch was released.
     *
     * @param upstream  the ring, whose cursor says when an event waits.
     * @param processed the last ring sequence the stage has processed.
     */
    public void stepWhileIdle(final Cursored upstream, final long processed)
    {
        while (capturing && upstream.getCursor() <= processed)
        {
            step(ROWS_PER_IDLE_STEP);
        }
    }

    private void begin(final StateView state)
    {
        if (phase.get() != IDLE)
        {
            // The last snapshot is still being written: this one starts once it is.
            return;
        }
        final long start = System.nanoTime();
        lastSnapshotEvents = state.events();
        lastSnapshotMs = clockMs.getAsLong();
        image.begin(state);
        capture.begin(image, image);
        phase.set(CAPTURING);
        capturing = true;
        recordHold(System.nanoTime() - start);
    }

    private void step(final int rows)
    {
        final long start = System.nanoTime();
        if (capture.step(rows))
        {
            capturing = false;
            // The release that publishes the image's contents to the snapshot thread.
            phase.set(CAPTURED);
            LockSupport.unpark(thread);
        }
        recordHold(System.nanoTime() - start);
    }

    private void recordHold(final long heldNs)
    {
        counters.set(EngineCounter.SNAPSHOT_LAST_HOLD_NS, heldNs);
        counters.max(EngineCounter.SNAPSHOT_HOLD_MAX_NS, heldNs);
    }

    private void run()
    {
        while (running)
        {
            if (phase.get() != CAPTURED)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
                continue;
            }
            if (committedSequence.getAsLong() < image.lastSequence())
            {
                LockSupport.parkNanos(COMMIT_PARK_NS);
                continue;
            }
            writeSafely();
        }
    }

    private void writeSafely()
    {
        final SnapshotEvent event = new SnapshotEvent();
        event.begin();
        try
        {
            writes.write(image, slice, event, releaseImage);
        }
        catch (final RuntimeException e)
        {
            counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
            LOG.warn("snapshot at sequence {} failed: {}", image.lastSequence(), e.getMessage());
        }
    }

    /**
     * Stops the snapshot thread, waiting up to a minute for a snapshot being written; a capture not yet
     * complete is dropped (the close's snapshot, from the stopped live state, supersedes it). Call once
     * the stages have stopped. Never throws: a thread that did not stop is logged. Idempotent.
     */
    @Override
    public void close()
    {
        running = false;
        if (!BackgroundThreadStop.wakeAndJoin(thread, STOP_JOIN_MS))
        {
            LOG.warn("the snapshot thread did not stop within {} ms", STOP_JOIN_MS);
        }
    }
}
