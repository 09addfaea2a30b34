package io.stockflow.engine;

import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.snapshot.StateImage;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader in another process (verify, state) loads snapshots while the engine's
 * retention deletes old ones. Every load must either succeed or find the snapshot
 * gone from its published name: a snapshot still listed under its name but with a
 * file missing would be reported by verify as a fault that is not there.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotRetentionWhileReadingTest
{
    private static final int SNAPSHOTS_WRITTEN = 300;

    @TempDir
    Path directory;

    @Test
    void aSnapshotIsEitherWholeOrGoneWhileRetentionDeletesIt() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(directory.resolve("snapshots"));
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try
            {
                final StateImage image = new StateImage();
                for (int i = 1; i <= SNAPSHOTS_WRITTEN; i++)
                {
                    image.capture(stateAt(i));
                    store.write(image);
                    store.retain(1);
                }
            }
            catch (final Throwable e)
            {
                writerFailure.set(e);
            }
            finally
            {
                writing.set(false);
            }
        }, "test-snapshot-writer");
        writer.start();
        final List<String> halfDeleted = new ArrayList<>();
        int loaded = 0;
        int gone = 0;
        while (writing.get())
        {
            for (final Path snapshot : store.listNewestFirst())
            {
                try
                {
                    final SnapshotMetadata metadata =
                        SnapshotStore.loadInto(snapshot, new StateRestorer(new FulfillmentRules(ExpiryListener.NONE)));
                    assertEquals(SnapshotStore.sequenceOf(snapshot), metadata.lastSequence());
                    loaded++;
                }
                catch (final InvalidSnapshotException e)
                {
                    if (Files.exists(snapshot))
                    {
                        halfDeleted.add(snapshot.getFileName() + ": " + e.getMessage());
                    }
                    gone++;
                }
            }
        }
        writer.join();
        assertNull(writerFailure.get());
        assertEquals(List.of(), halfDeleted, "snapshots seen half-deleted under their published name");
        assertTrue(loaded > 0, "the reader loaded " + loaded + " snapshots whole (and saw " + gone + " gone)");
        try (var entries = Files.list(store.directory()))
        {
            assertEquals(1, entries.count(), "one snapshot retained, nothing hidden left behind");
        }
    }

    private static StateView stateAt(final long sequence)
    {
        final StateRestorer rules = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        for (long sku = 1; sku <= 2_000; sku++)
        {
            rules.restoreSku(sku, sku * 10 + sequence, 0);
        }
        rules.restoreCounters(sequence, sequence, 1_700_000_000_000L + sequence);
        return rules.complete().view();
    }
}
