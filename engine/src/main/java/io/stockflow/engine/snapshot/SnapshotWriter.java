package io.stockflow.engine.snapshot;

import io.stockflow.journal.FileDurability;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapAbsentEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot of a {@link StateImage}: the two map files of
 * {@link SnapshotMapFiles} in {@link SnapshotLayout}'s encoding (orders in chunks, in row order) and the
 * {@link SnapshotMetadata} with each file's size and CRC32C, all in a temporary
 * directory, every file forced to disk, then published atomically by the
 * {@link SnapshotDirectory}. Runs on the snapshot thread, never on the logic stage.
 */
final class SnapshotWriter
{
    private SnapshotWriter()
    {
    }

    /**
     * @param directory where to publish.
     * @param image     the state copy.
     * @param slice     the snapshot thread's slice, offered back between chunks and CRC blocks.
     * @param forceJournal forces the journal records written so far; run beside the writing of the
     *                     snapshot's files, and awaited before it is published.
     * @return the published snapshot directory.
     * @throws UncheckedIOException if any file cannot be written or the rename fails.
     */
    static Path write(final SnapshotDirectory directory, final StateImage image, final BackgroundSlice slice,
        final Runnable forceJournal)
    {
        // The journal's force waits on the device, on a thread of its own (one per snapshot), while this
        // thread writes the snapshot's files: the snapshot thread is held for the longer of the two, not
        // their sum. The image is taken, so every record it covers is written and a force started now
        // covers them. It needs no placement of its own: a new Linux thread starts with its creator's CPU
        // mask, so it runs where the plan put the snapshot thread (or where the closing thread runs, for the
        // close's snapshot).
        final FutureTask<Void> journalForced = new FutureTask<>(forceJournal, null);
        final Thread forcing = new Thread(journalForced, "stockflow-snapshot-journal-force");
        forcing.setDaemon(true);
        forcing.start();
        try
        {
            final Path temp = directory.createTemporary(image.lastSequence);
            final Path skuFile = temp.resolve(SnapshotMapFiles.SKU_FILE);
            final Path orderFile = temp.resolve(SnapshotMapFiles.ORDER_FILE);
            writeSkus(image, skuFile);
            writeOrders(image, orderFile, slice);
            final SnapshotMetadata metadata = new SnapshotMetadata(SnapshotMetadata.SCHEMA_VERSION,
                image.lastSequence, image.eventTimeMs, image.events, image.stateHash, image.retentionMs,
                image.orderCapacity, image.skuCapacity, image.ordersForgotten,
                image.orderCapacityRefusals, image.skuCapacityRefusals,
                image.skuCount, image.orderCount,
                Files.size(skuFile), crcOf(skuFile, slice), Files.size(orderFile), crcOf(orderFile, slice));
            final Path metadataFile = temp.resolve(SnapshotMetadata.FILE_NAME);
            Files.write(metadataFile, metadata.toText().getBytes(StandardCharsets.UTF_8));
            FileDurability.forceFile(skuFile);
            FileDurability.forceFile(orderFile);
            FileDurability.forceFile(metadataFile);
            awaitJournalForced(journalForced);
            return directory.publish(temp, image.lastSequence);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(
                "cannot write snapshot " + directory.pathFor(image.lastSequence) + ": " + e.getMessage(), e);
        }
    }

    private static void awaitJournalForced(final FutureTask<Void> journalForced)
    {
        try
        {
            journalForced.get();
        }
        catch (final ExecutionException e)
        {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause()
                : new IllegalStateException("forcing the journal failed: " + e.getCause(), e.getCause());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the journal was being forced; snapshot not published",
                e);
        }
    }

    private static void writeSkus(final StateImage image, final Path file) throws IOException
    {
        final byte[] value = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
        try (ChronicleMap<Long, byte[]> map = SnapshotMapFiles.createSkus(file, image.skuCount))
        {
            for (int i = 0; i < image.skuCount; i++)
            {
                map.put(SnapshotLayout.encodeSku(image, i, value), value);
            }
        }
    }

    private static void writeOrders(final StateImage image, final Path file, final BackgroundSlice slice)
        throws IOException
    {
        final int chunks = SnapshotLayout.orderChunkCount(image.orderCount);
        final byte[] chunk = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
        // The chunk goes into the map as the bytes of its first length bytes, which is how Chronicle Map
        // stores a byte[] value of that length: no array copied per chunk, so a snapshot of millions of
        // orders no longer leaves their size in garbage behind it.
        final BytesStore<?, byte[]> chunkBytes = BytesStore.wrap(chunk);
        try (ChronicleMap<Long, byte[]> map = SnapshotMapFiles.createOrderChunks(file, chunks,
            averageChunkLength(image, chunks, slice)))
        {
            for (int number = 0; number < chunks; number++)
            {
                insert(map, number, chunkBytes, SnapshotLayout.encodeOrderChunk(image, number, chunk));
                slice.check();
            }
        }
    }

    /**
     * The chunks' mean encoded length, by a pass that only adds lengths: Chronicle Map lays out its file from
     * the mean value size it is told, so a guess too high is file the snapshot writes, CRCs, forces and copies
     * at load for nothing, and one too low makes the map add segment tiers.
     */
    private static double averageChunkLength(final StateImage image, final int chunks, final BackgroundSlice slice)
    {
        if (chunks == 0)
        {
            return 1;
        }
        long total = 0;
        for (int number = 0; number < chunks; number++)
        {
            total += SnapshotLayout.orderChunkLength(image, number);
            slice.check();
        }
        return (double)total / chunks;
    }

    private static void insert(
        final ChronicleMap<Long, byte[]> map, final long key, final BytesStore<?, byte[]> value, final int length)
    {
        try (ExternalMapQueryContext<Long, byte[], ?> context = map.queryContext(key))
        {
            context.writeLock().lock();
            final MapAbsentEntry<Long, byte[]> absent = context.absentEntry();
            if (absent == null)
            {
                throw new IllegalStateException("order chunk " + key + " written twice");
            }
            context.insert(absent, context.wrapValueBytesAsData(value, 0, length));
        }
    }

    static long crcOf(final Path file, final BackgroundSlice slice) throws IOException
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (channel.read(buffer) >= 0)
            {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
                slice.check();
            }
        }
        return crc.getValue();
    }
}
