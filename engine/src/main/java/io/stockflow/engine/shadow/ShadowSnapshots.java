package io.stockflow.engine.shadow;

import com.lmax.disruptor.Sequence;
import io.stockflow.engine.BackgroundThreadStop;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.ShadowDivergenceEvent;
import io.stockflow.engine.jfr.SnapshotEvent;
import io.stockflow.engine.pipeline.SharedLifecycle;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.BackgroundSlice;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.snapshot.SnapshotWrites;
import io.stockflow.engine.snapshot.StateImage;
import io.stockflow.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Takes the engine's snapshots from a shadow state, so the live logic stage is never
 * held for one.
 *
 * <p>The snapshot thread keeps its own instance of the rules (the shadow state),
 * started from the state recovery produced (the same snapshot and journal tail, loaded
 * again on this thread) and kept current by applying the journal's committed records
 * with the replay's code ({@link JournalReplayer#follow}). Every N events or T
 * milliseconds it writes a snapshot from that copy: the shadow holds only committed
 * events, so a snapshot never contains an event the journal could lose, and the live
 * logic never waits for it.
 *
 * <p>The live logic stage publishes its state hash at checkpoint sequences
 * ({@link StateCheckpoints}); the shadow compares its own when it reaches each one. The
 * rules are a deterministic state machine, so the two must agree: a difference is
 * counted ({@code SHADOW_DIVERGENCES}), committed as a {@link ShadowDivergenceEvent},
 * logged once, and under {@link DivergencePolicy#HALT} halts the engine.
 *
 * <p>On a clean close ({@link #snapshotNow}) the shadow catches up to the journal's
 * committed sequence on the closing thread, is compared with the final live state, and
 * the last snapshot is written from it. Without periodic snapshots there is no shadow
 * state, and the snapshot on close is taken from the live state once the stages stopped.
 *
 * <p>If the shadow state fails (a journal it cannot read, a logic failure that halts a
 * replay) it stops and counts a snapshot failure; the live engine goes on, and the
 * snapshot on close falls back to the live state.
 *
 * <p>The sequence the shadow state has applied is published ({@link #appliedSequence()}) for
 * the publisher's shadow lag limit ({@code EngineConfig.Builder.shadowLagLimit}); once the
 * shadow state has stopped, failed or closed, it reads {@link Long#MAX_VALUE}, which lifts the
 * limit.
 *
 * <p><b>Threading.</b> The snapshot thread owns the shadow state and the journal reader
 * while it runs; {@link #start}, {@link #snapshotNow} and {@link #close} belong to the
 * engine's start/close thread, and {@link #snapshotNow} takes them over after stopping
 * the snapshot thread.
 */
public final class ShadowSnapshots implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ShadowSnapshots.class);
    /**
     * Records applied between two looks at the snapshot triggers, the counters and the thread's
     * {@link BackgroundSlice}: a few hundred microseconds of replay.
     */
    private static final int BATCH = 256;
    /** How long the snapshot thread parks when it has caught up with the committed sequence. */
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final long STOP_JOIN_MS = TimeUnit.SECONDS.toMillis(60);

    private final SnapshotStore store;
    private final SnapshotWrites writes;
    private final CountersFile counters;
    private final ShadowSettings settings;
    private final LongSupplier clockMs;
    private final LongSupplier committedSequence;
    private final StateCheckpoints checkpoints;
    private final SharedLifecycle lifecycle;
    private final Supplier<JournalReplayer> shadowRecovery;
    private final JournalReader reader;
    private final StateImage image = new StateImage();
    /** The snapshot thread's CPU slice: it offers the CPU back every 100 µs of replay or snapshot work. */
    private final BackgroundSlice slice = new BackgroundSlice(BackgroundSlice.DEFAULT_SLICE_NS);
    private final Thread thread;
    /**
     * The shadow state's last applied sequence, written by the snapshot thread, read by the publisher's
     * thread; {@link Long#MAX_VALUE} once there is no shadow state to wait for.
     */
    private final Sequence applied = new Sequence(Long.MAX_VALUE);
    /** Counted down once the snapshot thread has rebuilt the shadow state (or failed to). */
    private final CountDownLatch rebuilt = new CountDownLatch(1);

    // Snapshot thread while it runs; the closing thread after it stopped.
    private JournalReplayer shadow;
    private long lastSnapshotEvents;
    private long lastSnapshotMs;
    private long nextCheckpoint;
    private long pendingCheckpoint;
    private long pendingHash;
    private boolean divergenceLogged;

    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /**
     * @param store             where snapshots go.
     * @param counters          snapshot and shadow counters (written by the snapshot thread).
     * @param settings          the triggers, retention and divergence policy.
     * @param clockMs           wall clock for the time trigger (never reaches the state).
     * @param committedSequence the journal's committed sequence, readable from any thread.
     * @param threadFactory     makes the snapshot thread.
     * @param checkpoints       the live state's hashes, or null when there is no shadow state.
     * @param lifecycle         the engine's state, halted on a divergence under HALT.
     * @param shadowRecovery    run once on the snapshot thread: the shadow state as recovery produced
     *                          it (at the journal's end at start); null for no shadow state (no periodic
     *                          snapshots).
     * @param reader            the journal reader the shadow follows (its own), or null with no shadow.
     */
    public ShadowSnapshots(
        final SnapshotStore store,
        final CountersFile counters,
        final ShadowSettings settings,
        final LongSupplier clockMs,
        final LongSupplier committedSequence,
        final ThreadFactory threadFactory,
        final StateCheckpoints checkpoints,
        final SharedLifecycle lifecycle,
        final Supplier<JournalReplayer> shadowRecovery,
        final JournalReader reader)
    {
        this.store = store;
        this.counters = counters;
        this.writes = new SnapshotWrites(store, counters, settings.retained());
        this.settings = settings;
        this.clockMs = clockMs;
        this.committedSequence = committedSequence;
        this.checkpoints = checkpoints;
        this.lifecycle = lifecycle;
        this.shadowRecovery = shadowRecovery;
        this.reader = reader;
        this.thread = shadowRecovery == null ? null : threadFactory.newThread(this::run);
        if (thread != null)
        {
            thread.setDaemon(true);
            // The shadow state starts where recovery left the journal: its end, committed.
            applied.set(committedSequence.getAsLong());
        }
    }

    /**
     * Waits until the snapshot thread has rebuilt the shadow state at start (a replay of the newest
     * snapshot and the journal after it, into tables sized like the live ones), or has failed to.
     *
     * @param timeout how long to wait.
     * @return true once rebuilt, failed or when there is no shadow state; false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitRebuilt(final Duration timeout) throws InterruptedException
    {
        return thread == null || rebuilt.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @return the sequence the shadow state has applied, readable from any thread; {@link Long#MAX_VALUE}
     *         when there is no shadow state or it has stopped (failed or closed).
     */
    public LongSupplier appliedSequence()
    {
        return applied::get;
    }

    /**
     * @param hook called on the snapshot thread after each snapshot written and the retention behind
     *             it (it wakes the journal archiver); it must not block. Before {@link #start} only.
     */
    public void afterSnapshot(final Runnable hook)
    {
        writes.afterSnapshot(hook);
    }

    /** Starts the snapshot thread (when there is a shadow state). */
    public void start()
    {
        if (thread != null)
        {
            thread.start();
        }
    }

    private void run()
    {
        try
        {
            shadow = shadowRecovery.get();
            final StateView view = shadow.state();
            lastSnapshotEvents = view.events();
            lastSnapshotMs = clockMs.getAsLong();
            nextCheckpoint = checkpoints.nextAfter(view.lastSequence());
            publishProgress(0);
            rebuilt.countDown();
            while (running)
            {
                final int applied = step(BATCH);
                slice.check();
                if (dueForSnapshot())
                {
                    writeSafely();
                }
                if (applied == 0)
                {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
        }
        catch (final RuntimeException e)
        {
            // Lifted before the failure is counted, so whoever sees the count sees the limit gone.
            applied.set(Long.MAX_VALUE);
            failure = e;
            counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
            LOG.error("shadow state stopped, no more snapshots until restart: {}", e.toString(), e);
        }
        finally
        {
            // Stopped or failed: nothing is left to wait for, so the publisher's lag limit is lifted.
            applied.set(Long.MAX_VALUE);
            rebuilt.countDown();
        }
    }

    /**
     * Applies up to {@code max} committed records, never past the next checkpoint nor past
     * the event at which a snapshot falls due by count (so, with no logic errors skipped,
     * snapshots land exactly every N events: the recovery benchmark places its snapshot
     * that way), and checks a checkpoint reached.
     *
     * @return records applied.
     */
    private int step(final int max)
    {
        final long committed = committedSequence.getAsLong();
        long bound = Math.min(committed, nextCheckpoint);
        if (settings.everyEvents() > 0)
        {
            final long eventsToGo = settings.everyEvents() - (shadow.state().events() - lastSnapshotEvents);
            bound = Math.min(bound, shadow.state().lastSequence() + Math.max(1, eventsToGo));
        }
        final int applied = shadow.follow(reader, bound, max);
        final StateView view = shadow.state();
        if (view.lastSequence() == nextCheckpoint)
        {
            pendingCheckpoint = nextCheckpoint;
            pendingHash = view.stateHash();
            nextCheckpoint += checkpoints.every();
        }
        if (pendingCheckpoint > 0)
        {
            checkPending();
        }
        counters.add(EngineCounter.SHADOW_EVENTS, applied);
        publishLag(committed - view.lastSequence());
        counters.set(EngineCounter.SHADOW_SEQUENCE, view.lastSequence());
        publishApplied(view.lastSequence());
        return applied;
    }

    private void publishLag(final long lag)
    {
        final long events = Math.max(0, lag);
        counters.set(EngineCounter.SHADOW_LAG, events);
        counters.max(EngineCounter.SHADOW_LAG_MAX, events);
    }

    /** On the snapshot thread while it runs; a stopping thread leaves {@link #applied} lifted. */
    private void publishApplied(final long sequence)
    {
        if (running)
        {
            applied.set(sequence);
        }
    }

    private void publishProgress(final int applied)
    {
        counters.add(EngineCounter.SHADOW_EVENTS, applied);
        counters.set(EngineCounter.SHADOW_SEQUENCE, shadow.state().lastSequence());
        publishApplied(shadow.state().lastSequence());
        publishLag(committedSequence.getAsLong() - shadow.state().lastSequence());
    }

    private void checkPending()
    {
        final int answer = checkpoints.hashAt(pendingCheckpoint);
        if (answer == StateCheckpoints.NOT_YET)
        {
            return;
        }
        if (answer == StateCheckpoints.AVAILABLE)
        {
            compare(pendingCheckpoint, checkpoints.lastHash(), pendingHash, true);
        }
        pendingCheckpoint = 0;
    }

    private void compare(final long sequence, final long liveHash, final long shadowHash, final boolean mayHalt)
    {
        if (liveHash == shadowHash)
        {
            counters.add(EngineCounter.SHADOW_CHECKPOINTS, 1);
            return;
        }
        final boolean halt = mayHalt && settings.divergencePolicy() == DivergencePolicy.HALT;
        final ShadowDivergenceEvent event = new ShadowDivergenceEvent();
        if (event.shouldCommit())
        {
            event.sequence = sequence;
            event.liveHash = liveHash;
            event.shadowHash = shadowHash;
            event.halted = halt;
            event.commit();
        }
        // Counted after the event is committed, so whoever sees the count can find the event.
        counters.add(EngineCounter.SHADOW_DIVERGENCES, 1);
        final String reason = "the live state diverged from the journal's replay at sequence " + sequence
            + ": live state hash " + Long.toHexString(liveHash) + ", shadow (replayed) state hash "
            + Long.toHexString(shadowHash);
        if (!divergenceLogged)
        {
            divergenceLogged = true;
            LOG.error("{}; a recovery would not restore the live state (counted in shadow_divergences{})", reason,
                halt ? ", halting" : "");
        }
        if (halt && lifecycle != null)
        {
            lifecycle.halt(reason, null);
        }
    }

    private boolean dueForSnapshot()
    {
        final long events = shadow.state().events();
        if (events == lastSnapshotEvents)
        {
            return false;
        }
        return settings.everyEvents() > 0 && events - lastSnapshotEvents >= settings.everyEvents()
            || settings.everyMs() > 0 && clockMs.getAsLong() - lastSnapshotMs >= settings.everyMs();
    }

    private void writeSafely()
    {
        final StateView view = shadow.state();
        lastSnapshotEvents = view.events();
        lastSnapshotMs = clockMs.getAsLong();
        try
        {
            write(view, slice);
        }
        catch (final RuntimeException e)
        {
            counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
            LOG.warn("snapshot at sequence {} failed: {}", view.lastSequence(), e.getMessage());
        }
    }

    /**
     * Takes the snapshot of a clean close, on the calling thread, once the stages have
     * stopped (the caller then owns the live state): from the shadow state caught up with
     * the journal's committed sequence and checked against the live state, or, with no
     * usable shadow, from the live state.
     *
     * @param live the final live state.
     * @return the snapshot written, or null when the state is already the newest snapshot or empty.
     * @throws IllegalStateException if the journal has not committed every event of the live state.
     */
    public Path snapshotNow(final StateView live)
    {
        if (!stopThread())
        {
            throw new IllegalStateException("the snapshot thread did not stop within " + STOP_JOIN_MS + " ms");
        }
        final long committed = committedSequence.getAsLong();
        if (committed < live.lastSequence())
        {
            throw new IllegalStateException("the state is at sequence " + live.lastSequence()
                + " but the journal committed only up to " + committed);
        }
        final StateView source = caughtUpShadow(live);
        final List<Path> existing = store.listNewestFirst();
        if (!existing.isEmpty() && SnapshotStore.sequenceOf(existing.get(0)) == source.lastSequence())
        {
            return null;
        }
        if (source.events() == 0)
        {
            return null;
        }
        return write(source, BackgroundSlice.NONE);
    }

    /** @return the shadow state caught up with the live one and compared with it, else the live state. */
    private StateView caughtUpShadow(final StateView live)
    {
        if (shadow == null || failure != null)
        {
            return live;
        }
        try
        {
            final long target = live.lastSequence();
            while (shadow.state().lastSequence() < target)
            {
                final int applied = shadow.follow(reader, target, Integer.MAX_VALUE);
                publishProgress(applied);
                if (applied == 0)
                {
                    break;
                }
            }
        }
        catch (final RuntimeException e)
        {
            counters.add(EngineCounter.SNAPSHOT_FAILURES, 1);
            LOG.warn("shadow state could not catch up at close, snapshot from the live state: {}", e.toString());
            return live;
        }
        if (shadow.state().lastSequence() != live.lastSequence())
        {
            LOG.warn("shadow state stopped at sequence {}, the live state is at {}: snapshot from the live state",
                shadow.state().lastSequence(), live.lastSequence());
            return live;
        }
        compare(live.lastSequence(), live.stateHash(), shadow.state().stateHash(), false);
        return shadow.state();
    }

    /** @param slice {@link #slice} on the snapshot thread, {@link BackgroundSlice#NONE} on the closing thread. */
    private Path write(final StateView source, final BackgroundSlice slice)
    {
        final SnapshotEvent event = new SnapshotEvent();
        event.begin();
        image.capture(source, slice);
        return writes.write(image, slice, event, () ->
        {});
    }

    /** @return true once the snapshot thread has stopped (or never ran). */
    private boolean stopThread()
    {
        running = false;
        applied.set(Long.MAX_VALUE);
        if (thread == null || Thread.currentThread() == thread)
        {
            return true;
        }
        return BackgroundThreadStop.wakeAndJoin(thread, STOP_JOIN_MS);
    }

    /**
     * Stops the snapshot thread, waiting up to a minute (a shadow state still being
     * rebuilt at start finishes first); the journal reader is closed with the journal.
     * Never throws: a thread that did not stop is logged. Idempotent.
     */
    @Override
    public void close()
    {
        if (!stopThread())
        {
            LOG.warn("the snapshot thread did not stop within {} ms", STOP_JOIN_MS);
        }
    }

    /**
     * When snapshots are taken and what a divergence does.
     *
     * @param everyEvents      a snapshot after this many events (0: never by count).
     * @param everyMs          a snapshot after this many ms of wall time (0: never by time).
     * @param retained         snapshots to keep.
     * @param divergencePolicy what a divergence of the live state does.
     */
    public record ShadowSettings(long everyEvents, long everyMs, int retained, DivergencePolicy divergencePolicy)
    {}
}
