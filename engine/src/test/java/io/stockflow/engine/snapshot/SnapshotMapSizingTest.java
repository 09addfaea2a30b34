package io.stockflow.engine.snapshot;

import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order map is laid out for exactly the snapshot's chunks at their mean encoded length, with no
 * headroom. A snapshot still writes and loads whole when chunks are far from that mean: here the first
 * half of the orders have eight lines and the rest one, so the chunks of the first half are about four
 * times the length of the others (48 B an order against 12). Also the edges: no orders, one, a chunk
 * exactly full, one order over. (Chronicle Map's own slack per segment absorbed this skew even with a
 * bloat factor of 1 when tried, and at 400,000 orders too; {@code MAX_BLOAT_FACTOR} is the margin
 * beyond it.)
 */
class SnapshotMapSizingTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SnapshotLayout.ORDERS_PER_CHUNK, SnapshotLayout.ORDERS_PER_CHUNK + 1, 40_000})
    void aSnapshotWhoseChunksAreFarFromTheirMeanLengthLoadsBack(final int orders) throws InvalidSnapshotException
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        for (long sku = 1; sku <= 8; sku++)
        {
            rules.apply(T0, TestCommands.restock(sku, 1_000_000_000L));
        }
        for (long order = 1; order <= orders; order++)
        {
            final int lines = order <= orders / 2 ? 8 : 1;
            final long[] fields = new long[3 * lines];
            for (int line = 0; line < lines; line++)
            {
                fields[3 * line] = line + 1;
                fields[3 * line + 1] = 1 + order % 5;
                fields[3 * line + 2] = 100 + order;
            }
            rules.apply(T0 + order, TestCommands.place(order, 3, 0, fields));
        }
        final StateImage image = new StateImage();
        image.capture(rules.view());
        assertEquals(orders, image.orderCount());

        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        final Path snapshot = store.write(image);
        final FulfillmentRules restored = new FulfillmentRules(ExpiryListener.NONE);
        final SnapshotMetadata metadata = SnapshotStore.loadInto(snapshot, new StateRestorer(restored));
        assertEquals(SnapshotMetadata.SCHEMA_VERSION, metadata.schemaVersion());
        assertEquals(orders, restored.view().orderCount());
        assertEquals(rules.view().stateHash(), restored.view().stateHash());
    }
}
