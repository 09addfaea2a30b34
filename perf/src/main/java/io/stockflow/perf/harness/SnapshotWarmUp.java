package io.stockflow.perf.harness;

import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.snapshot.StateImage;

import java.nio.file.Path;

/**
 * Writes and loads one throwaway snapshot before a measured run. The first Chronicle
 * Map a JVM builds costs seconds of one-off class loading and code generation; without
 * this, the first snapshot of a short run is still being written when the measurement
 * ends, and the run cannot show what a snapshot does to latency.
 */
final class SnapshotWarmUp
{
    private static volatile boolean warm;

    private SnapshotWarmUp()
    {
    }

    /**
     * @param scratch where to create (and then delete) the throwaway snapshot directory; null for the system's.
     */
    static void warmOnce(final Path scratch)
    {
        if (warm)
        {
            return;
        }
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        restorer.restoreSku(1, 10, 0);
        restorer.restoreCounters(1, 1, 0);
        final StateView state = restorer.complete().view();
        final StateImage image = new StateImage();
        image.capture(state);
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-snapshot-warm-up"))
        {
            final Path written = new SnapshotStore(directory.path()).write(image);
            final FulfillmentRules loaded = new FulfillmentRules(ExpiryListener.NONE);
            SnapshotStore.loadInto(written, new StateRestorer(loaded));
            BenchCheckException.check(loaded.view().stateHash() == state.stateHash(),
                "the warm-up snapshot did not load back the state it was written from");
        }
        catch (final InvalidSnapshotException e)
        {
            throw new BenchCheckException("the warm-up snapshot is invalid: " + e.getMessage());
        }
        warm = true;
    }
}
