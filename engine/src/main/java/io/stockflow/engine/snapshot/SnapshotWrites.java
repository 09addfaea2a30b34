package io.stockflow.engine.snapshot;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.SnapshotEvent;

import java.nio.file.Path;

/**
 * Writes a captured {@link StateImage} as the newest snapshot and does what follows every snapshot:
 * its counters, its JFR event, the retention of older snapshots and the hook that wakes the journal
 * archiver. Shared by both ways a snapshot is captured: the shadow state's
 * ({@link io.stockflow.engine.shadow.ShadowSnapshots}) and the live state's, row by row
 * ({@link LiveCaptureSnapshots}).
 *
 * <p>One writer at a time: the snapshot thread, or the closing thread once that has stopped.
 */
public final class SnapshotWrites
{
    private final SnapshotStore store;
    private final CountersFile counters;
    private final int retained;
    // Set before the snapshot thread starts.
    private Runnable afterSnapshot = () ->
    {};

    /**
     * @param store    where snapshots go.
     * @param counters the snapshot counters (written by the writing thread).
     * @param retained snapshots to keep.
     */
    public SnapshotWrites(final SnapshotStore store, final CountersFile counters, final int retained)
    {
        this.store = store;
        this.counters = counters;
        this.retained = retained;
    }

    /**
     * @param hook called after each snapshot written and the retention behind it (it wakes the journal
     *             archiver); it must not block. Before the writing thread starts only.
     */
    public void afterSnapshot(final Runnable hook)
    {
        this.afterSnapshot = hook;
    }

    /**
     * @param image the captured state.
     * @param slice the writing thread's CPU slice, or {@link BackgroundSlice#NONE}.
     * @param event the snapshot's JFR event, begun by the caller when the capture began; committed here.
     * @param imageWritten run once the image is no longer read (before the snapshot is counted), so the next
     *                     capture may start while the retention runs.
     * @return the snapshot written.
     */
    public Path write(final StateImage image, final BackgroundSlice slice, final SnapshotEvent event,
        final Runnable imageWritten)
    {
        event.sequence = image.lastSequence();
        event.holdNs = counters.get(EngineCounter.SNAPSHOT_LAST_HOLD_NS);
        try
        {
            final long start = System.nanoTime();
            final Path written;
            try
            {
                written = store.write(image, slice);
            }
            finally
            {
                imageWritten.run();
            }
            final long bytes = SnapshotStore.sizeOf(written);
            counters.set(EngineCounter.SNAPSHOT_LAST_WRITE_NS, System.nanoTime() - start);
            counters.set(EngineCounter.SNAPSHOT_LAST_SEQUENCE, image.lastSequence());
            counters.set(EngineCounter.SNAPSHOT_LAST_BYTES, bytes);
            counters.add(EngineCounter.SNAPSHOTS, 1);
            event.bytes = bytes;
            event.succeeded = true;
            store.retain(retained);
            afterSnapshot.run();
            return written;
        }
        finally
        {
            event.commit();
        }
    }
}
