package io.stockflow.engine.snapshot;

import com.sun.management.ThreadMXBean;
import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing a snapshot leaves no garbage in proportion to the orders it holds: the snapshot thread once
 * copied each chunk of orders into an array of its own, about 100 B of garbage per order, and a
 * snapshot of a million orders set off young collections that stopped the logic stage too.
 */
class SnapshotWriterAllocationTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final int SMALL = 20_000;
    private static final int LARGE = 200_000;

    @TempDir
    Path dir;

    @Test
    void theGarbageOfWritingASnapshotDoesNotGrowWithItsOrders() throws InvalidSnapshotException
    {
        final StateImage small = imageOf(SMALL);
        final StateImage large = imageOf(LARGE);
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        for (int warm = 0; warm < 3; warm++)
        {
            store.write(small);
            store.retain(1);
        }
        final long smallBytes = allocatedWriting(store, small);
        final long largeBytes = allocatedWriting(store, large);
        final double perOrder = (double)(largeBytes - smallBytes) / (LARGE - SMALL);
        assertTrue(perOrder < 2.0, "garbage per order written: " + perOrder + " B (" + smallBytes + " B for "
            + SMALL + " orders, " + largeBytes + " B for " + LARGE + ")");

        final FulfillmentRules restored = new FulfillmentRules(ExpiryListener.NONE);
        SnapshotStore.loadInto(store.listNewestFirst().get(0), new StateRestorer(restored));
        assertEquals(large.stateHash(), restored.view().stateHash(), "what was written without copies loads back");
    }

    private static long allocatedWriting(final SnapshotStore store, final StateImage image)
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        store.write(image);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        store.retain(1);
        return allocated;
    }

    private static StateImage imageOf(final int orders)
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        for (long sku = 1; sku <= 100; sku++)
        {
            rules.apply(T0, TestCommands.restock(sku, 1_000_000_000L));
        }
        for (long order = 1; order <= orders; order++)
        {
            rules.apply(T0 + order, TestCommands.place(order, 7, 0, 1 + order % 100, 1, 100));
        }
        final StateImage image = new StateImage();
        image.capture(rules.view());
        return image;
    }
}
