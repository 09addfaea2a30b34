package io.stockflow.engine.snapshot;

import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archival keeps the journal from the oldest usable snapshot on: a snapshot whose metadata reads
 * well but whose map file recovery would refuse (a damaged byte) must not be the one it trusts.
 */
class OldestUsableSnapshotTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aSnapshotWithADamagedMapFileIsSkippedWithItsReason() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final StateImage image = new StateImage();
        for (long order = 1; order <= 3; order++)
        {
            rules.apply(T0, TestCommands.restock(order, 100));
            rules.apply(T0, TestCommands.place(order, 7, 0, order, 1, 100));
            image.capture(rules.view());
            store.write(image);
        }
        final List<Path> newestFirst = store.listNewestFirst();
        assertEquals(3, newestFirst.size());
        final Path oldest = newestFirst.get(2);
        final Path orders = oldest.resolve(SnapshotMapFiles.ORDER_FILE);
        try (FileChannel channel = FileChannel.open(orders, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            final long at = channel.size() / 2;
            channel.read(one, at);
            one.put(0, (byte)(one.get(0) ^ 0x5A)).rewind();
            channel.write(one, at);
        }
        final List<String> skipped = new ArrayList<>();
        final SnapshotMetadata usable = store.oldestUsable(Long.MAX_VALUE, (snapshot, why) -> skipped.add(
            snapshot.getFileName() + ": " + why));
        assertEquals(SnapshotStore.sequenceOf(newestFirst.get(1)), usable.lastSequence(),
            "the next older snapshot is the oldest usable one");
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains(oldest.getFileName() + ": " + SnapshotMapFiles.ORDER_FILE + " has CRC32C"),
            skipped.toString());
    }
}
