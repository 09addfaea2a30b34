package io.stockflow.engine.snapshot;

import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A snapshot is published only after the journal was forced: the store runs its journal force
 * beside the writing of the snapshot's own files and awaits it before the rename that publishes
 * it, once per snapshot, so a snapshot that survives a power cut never covers records that did not.
 */
class SnapshotPublishForcesTheJournalTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void theJournalIsForcedOncePerSnapshotBeforeItIsPublished()
    {
        final List<Integer> publishedWhenForced = new ArrayList<>();
        final SnapshotStore[] store = new SnapshotStore[1];
        store[0] = new SnapshotStore(dir.resolve("snapshots"),
            () -> publishedWhenForced.add(store[0].listNewestFirst().size()));
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.apply(T0, TestCommands.restock(1, 100));
        final StateImage image = new StateImage();
        image.capture(rules.view());
        store[0].write(image);
        rules.apply(T0, TestCommands.restock(2, 100));
        image.capture(rules.view());
        store[0].write(image);
        assertEquals(List.of(0, 1), publishedWhenForced,
            "each force ran before its snapshot was listed: none published at the first, one at the second");
        assertEquals(2, store[0].listNewestFirst().size());
    }
}
