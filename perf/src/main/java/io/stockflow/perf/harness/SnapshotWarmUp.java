package io.stockflow.perf.harness;

import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
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
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.restoreSku(1, 10, 0);
        rules.restoreCounters(1, 1, 0);
        rules.completeRestore();
        final StateImage image = new StateImage();
        image.capture(rules);
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-snapshot-warm-up"))
        {
            final Path written = new SnapshotStore(directory.path()).write(image);
            final FulfillmentRules loaded = new FulfillmentRules(ExpiryListener.NONE);
            SnapshotStore.loadInto(written, loaded);
            BenchCheckException.check(loaded.stateHash() == rules.stateHash(),
                "the warm-up snapshot did not load back the state it was written from");
        }
        catch (final InvalidSnapshotException e)
        {
            throw new BenchCheckException("the warm-up snapshot is invalid: " + e.getMessage());
        }
        warm = true;
    }
}
