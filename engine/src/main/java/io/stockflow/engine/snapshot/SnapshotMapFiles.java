package io.stockflow.engine.snapshot;

import io.stockflow.journal.JvmFlags;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the snapshot values of {@link SnapshotLayout} go today: one persisted
 * Chronicle Map file per kind of entity, {@code long} id to value bytes. The only
 * place that builds a Chronicle Map, so the map names, sizing and Chronicle's
 * {@code -D} switches ({@link JvmFlags#applyChronicleSwitches()}, set before a map is
 * built, as {@code Journal.open} does before a queue) are written once for the
 * writer and the loader.
 *
 * <p>Every map skips Chronicle Map's close-on-exit hook: the writer and the loader close
 * their maps themselves, and that hook closes every map at JVM shutdown, then refuses new
 * ones, so an engine closed from a shutdown hook (a service stopping, {@code stockflow run}
 * on Ctrl-C) lost the snapshot it writes on close, or had the map of one being written
 * closed under it ({@code CloseInAShutdownHookTest}).
 */
final class SnapshotMapFiles
{
    /** File name of the SKU map inside a snapshot directory. */
    static final String SKU_FILE = "skus.cm3";
    /** File name of the order map inside a snapshot directory. */
    static final String ORDER_FILE = "orders.cm3";

    private static final String SKU_MAP_NAME = "stockflow-skus";
    private static final String ORDER_MAP_NAME = "stockflow-orders";

    /**
     * Chronicle Map sizes its segments from the average value; a chunk of orders with more
     * lines than the average, or a last chunk, must still fit. Chronicle's limit for this
     * factor is 1000; it costs nothing until a segment actually overflows.
     */
    private static final double MAX_BLOAT_FACTOR = 4.0;

    private SnapshotMapFiles()
    {
    }

    /**
     * @param file    the new map file.
     * @param entries how many SKUs it will hold.
     * @return the open map, to fill and close.
     * @throws IOException if the file cannot be created.
     */
    static ChronicleMap<Long, byte[]> createSkus(final Path file, final int entries) throws IOException
    {
        JvmFlags.applyChronicleSwitches();
        return ChronicleMap.of(Long.class, byte[].class)
            .name(SKU_MAP_NAME)
            .entries(capacityFor(entries))
            .constantValueSizeBySample(new byte[SnapshotLayout.SKU_VALUE_LENGTH])
            .skipCloseOnExitHook(true)
            .createPersistedTo(file.toFile());
    }

    /**
     * @param file               the new map file.
     * @param chunks             how many order chunks it will hold.
     * @param averageChunkLength the chunks' mean encoded length.
     * @return the open map, to fill and close.
     * @throws IOException if the file cannot be created.
     */
    static ChronicleMap<Long, byte[]> createOrderChunks(
        final Path file, final int chunks, final double averageChunkLength) throws IOException
    {
        JvmFlags.applyChronicleSwitches();
        return ChronicleMap.of(Long.class, byte[].class)
            .name(ORDER_MAP_NAME)
            // The chunk count is exact, not an estimate: headroom here is file the snapshot writes for
            // nothing (with 1.25x + 64 entries the demo's order file was 6.3 MB, with the exact count 3.9 MB).
            // A segment that draws more than its share of chunks grows a tier, within MAX_BLOAT_FACTOR.
            .entries(Math.max(1, chunks))
            .averageValueSize(Math.max(1.0, averageChunkLength))
            .maxBloatFactor(MAX_BLOAT_FACTOR)
            .skipCloseOnExitHook(true)
            .createPersistedTo(file.toFile());
    }

    /**
     * @param file an existing SKU map file (a private copy: Chronicle Map writes lock bits while reading).
     * @return the open map.
     * @throws IOException if it cannot be opened.
     */
    static ChronicleMap<Long, byte[]> openSkus(final Path file) throws IOException
    {
        JvmFlags.applyChronicleSwitches();
        return ChronicleMap.of(Long.class, byte[].class)
            .name(SKU_MAP_NAME)
            .entries(1)
            .constantValueSizeBySample(new byte[SnapshotLayout.SKU_VALUE_LENGTH])
            .skipCloseOnExitHook(true)
            .createPersistedTo(file.toFile());
    }

    /**
     * @param file an existing order map file (a private copy, as for {@link #openSkus}).
     * @return the open map.
     * @throws IOException if it cannot be opened.
     */
    static ChronicleMap<Long, byte[]> openOrderChunks(final Path file) throws IOException
    {
        JvmFlags.applyChronicleSwitches();
        return ChronicleMap.of(Long.class, byte[].class)
            .name(ORDER_MAP_NAME)
            .entries(1)
            .averageValueSize(SnapshotLayout.MAX_ORDER_CHUNK_LENGTH)
            .skipCloseOnExitHook(true)
            .createPersistedTo(file.toFile());
    }

    private static long capacityFor(final int count)
    {
        // Chronicle Map fails when its entry estimate is exceeded; size from the real count with headroom.
        return Math.max(64, (long)(count * 1.25) + 64);
    }
}
