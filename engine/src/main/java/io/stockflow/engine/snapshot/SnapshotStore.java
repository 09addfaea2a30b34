package io.stockflow.engine.snapshot;

import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.journal.FileDurability;
import io.stockflow.journal.JvmFlags;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The snapshots of one engine directory.
 *
 * <p>A snapshot is a directory {@code snapshot-<20-digit sequence>} holding two
 * Chronicle Map files ({@code skus.cm3}: sku to onHand and reserved;
 * {@code orders.cm3}: order to account, status, deadline and lines) and
 * {@link SnapshotMetadata}. It is written under a temporary name, every file
 * forced to disk, then published by an atomic rename, so a crash mid-write leaves
 * only a temporary directory that is ignored and cleaned up.
 *
 * <p>Loading checks, in order: metadata checksum and version, each map file's size
 * and CRC32C (before mapping it), the entity counts, and finally the state hash
 * recomputed from the loaded entities against the recorded one. Any failure makes
 * the snapshot invalid; the journal remains the source of truth.
 */
public final class SnapshotStore
{
    private static final String PREFIX = "snapshot-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String DELETING_SUFFIX = ".deleting";
    private static final String SKU_FILE = "skus.cm3";
    private static final String ORDER_FILE = "orders.cm3";
    private static final int SKU_VALUE_LENGTH = 16;
    private static final int ORDER_FIXED_LENGTH = 8 + 1 + 8 + 1;
    private static final int LINE_LENGTH = 24;

    static
    {
        // Chronicle Map is built here; its analytics and banner stay off even if no journal was opened first.
        JvmFlags.applyChronicleSwitches();
    }

    private final Path directory;

    /** @param directory the snapshot directory (created on first write). */
    public SnapshotStore(final Path directory)
    {
        this.directory = directory;
    }

    /** @return the snapshot directory. */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return published snapshots, newest (highest sequence) first; unchecked.
     */
    public List<Path> listNewestFirst()
    {
        final List<Path> snapshots = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return snapshots;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*"))
        {
            for (final Path entry : entries)
            {
                if (sequenceOf(entry) >= 0)
                {
                    snapshots.add(entry);
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot list snapshots in " + directory + ": " + e.getMessage(), e);
        }
        snapshots.sort(Comparator.comparingLong(SnapshotStore::sequenceOf).reversed());
        return snapshots;
    }

    /**
     * Deletes the hidden directories a crash can leave behind: a snapshot write's
     * temporary directory, or a retired snapshot whose deletion was cut short.
     *
     * @return how many were removed.
     */
    public int removeIncomplete()
    {
        if (!Files.isDirectory(directory))
        {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
            "." + PREFIX + "*{" + TEMP_SUFFIX + "," + DELETING_SUFFIX + "}"))
        {
            for (final Path entry : entries)
            {
                deleteRecursively(entry);
                removed++;
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot clean snapshots in " + directory + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Removes every snapshot whose sequence is past {@code lastSequence}, the journal's
     * end: such a snapshot holds events the journal does not, and would be taken for a
     * valid one as soon as new commands carried the journal past it. Called at engine
     * start, under the writer lock, before recovery.
     *
     * @param lastSequence the journal's last sequence.
     * @return the names of the snapshots removed.
     */
    public List<String> removeBeyond(final long lastSequence)
    {
        final List<String> removed = new ArrayList<>();
        for (final Path snapshot : listNewestFirst())
        {
            if (sequenceOf(snapshot) <= lastSequence)
            {
                break;
            }
            try
            {
                unpublishAndDelete(snapshot);
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot remove snapshot " + snapshot + ": " + e.getMessage(), e);
            }
            removed.add(snapshot.getFileName().toString());
        }
        return removed;
    }

    /**
     * Writes a snapshot of {@code image} and publishes it atomically. Runs on the
     * snapshot thread, never on the logic stage.
     *
     * @param image the state copy.
     * @return the published snapshot directory.
     */
    public Path write(final StateImage image)
    {
        final String name = nameFor(image.lastSequence);
        final Path temp = directory.resolve("." + name + TEMP_SUFFIX);
        final Path target = directory.resolve(name);
        try
        {
            FileDurability.createDirectories(directory);
            if (Files.exists(temp))
            {
                deleteRecursively(temp);
            }
            Files.createDirectory(temp);
            final Path skuFile = temp.resolve(SKU_FILE);
            final Path orderFile = temp.resolve(ORDER_FILE);
            writeSkus(image, skuFile);
            writeOrders(image, orderFile);
            final SnapshotMetadata metadata = new SnapshotMetadata(SnapshotMetadata.SCHEMA_VERSION,
                image.lastSequence, image.eventTimeMs, image.events, image.stateHash,
                image.skuCount, image.orderCount,
                Files.size(skuFile), crcOf(skuFile), Files.size(orderFile), crcOf(orderFile));
            final Path metadataFile = temp.resolve(SnapshotMetadata.FILE_NAME);
            Files.write(metadataFile, metadata.toText().getBytes(StandardCharsets.UTF_8));
            force(skuFile);
            force(orderFile);
            force(metadataFile);
            forceDirectory(temp);
            if (Files.exists(target))
            {
                unpublishAndDelete(target);
            }
            try
            {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException e)
            {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
            forceDirectory(directory);
            return target;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write snapshot " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the newest {@code retained} snapshots and deletes the rest. Each is
     * first renamed away atomically, so a reader in another process (verify, state)
     * sees a snapshot either whole or gone, never half-deleted.
     *
     * @param retained how many to keep, at least 1.
     * @return how many were deleted.
     */
    public int retain(final int retained)
    {
        final List<Path> snapshots = listNewestFirst();
        int deleted = 0;
        for (int i = retained; i < snapshots.size(); i++)
        {
            try
            {
                unpublishAndDelete(snapshots.get(i));
                deleted++;
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot delete old snapshot " + snapshots.get(i), e);
            }
        }
        return deleted;
    }

    /**
     * Reads only a snapshot's metadata (checksummed), without loading the state.
     *
     * @param snapshot a snapshot directory.
     * @return its metadata.
     * @throws InvalidSnapshotException when it is missing or fails its checks.
     */
    public static SnapshotMetadata readMetadata(final Path snapshot) throws InvalidSnapshotException
    {
        try
        {
            return SnapshotMetadata.parse(
                new String(Files.readAllBytes(snapshot.resolve(SnapshotMetadata.FILE_NAME)), StandardCharsets.UTF_8));
        }
        catch (final NoSuchFileException e)
        {
            throw new InvalidSnapshotException("no " + SnapshotMetadata.FILE_NAME);
        }
        catch (final IOException e)
        {
            throw new InvalidSnapshotException("cannot read metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a snapshot into fresh rules and checks it completely.
     *
     * @param snapshot a snapshot directory.
     * @param rules    rules that have applied nothing yet; on failure they are unusable.
     * @return the snapshot's metadata.
     * @throws InvalidSnapshotException when any check fails.
     */
    public static SnapshotMetadata loadInto(final Path snapshot, final FulfillmentRules rules)
        throws InvalidSnapshotException
    {
        final SnapshotMetadata metadata = readMetadata(snapshot);
        Path skuCopy = null;
        Path orderCopy = null;
        try
        {
            skuCopy = checkedPrivateCopy(snapshot.resolve(SKU_FILE), metadata.skuFileSize, metadata.skuFileCrc);
            orderCopy = checkedPrivateCopy(snapshot.resolve(ORDER_FILE), metadata.orderFileSize,
                metadata.orderFileCrc);
            final long skus = readSkus(skuCopy, rules);
            final long orders = readOrders(orderCopy, rules);
            if (skus != metadata.skuCount || orders != metadata.orderCount)
            {
                throw new InvalidSnapshotException("holds " + skus + " SKUs and " + orders
                    + " orders, metadata says " + metadata.skuCount + " and " + metadata.orderCount);
            }
            rules.restoreCounters(metadata.events, metadata.lastSequence, metadata.eventTimeMs);
            rules.completeRestore();
        }
        catch (final IOException | RuntimeException e)
        {
            throw new InvalidSnapshotException("cannot load: " + e, e);
        }
        finally
        {
            deleteQuietly(skuCopy);
            deleteQuietly(orderCopy);
        }
        if (rules.stateHash() != metadata.stateHash)
        {
            throw new InvalidSnapshotException("state hash " + Long.toHexString(rules.stateHash())
                + " of the loaded state differs from the recorded " + Long.toHexString(metadata.stateHash));
        }
        return metadata;
    }

    /**
     * @param snapshot a snapshot directory path.
     * @return the sequence in its name, or -1 if it is not a snapshot name.
     */
    public static long sequenceOf(final Path snapshot)
    {
        final String name = snapshot.getFileName().toString();
        if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 20)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring(PREFIX.length()));
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /**
     * @param snapshot a snapshot directory.
     * @return bytes on disk of its files.
     */
    public static long sizeOf(final Path snapshot)
    {
        try (Stream<Path> files = Files.list(snapshot))
        {
            long total = 0;
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                total += Files.size(file);
            }
            return total;
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    private static String nameFor(final long sequence)
    {
        return PREFIX + String.format("%020d", sequence);
    }

    private static void writeSkus(final StateImage image, final Path file) throws IOException
    {
        final byte[] value = new byte[SKU_VALUE_LENGTH];
        final ByteBuffer view = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        try (ChronicleMap<Long, byte[]> map = ChronicleMap.of(Long.class, byte[].class)
            .name("stockflow-skus")
            .entries(capacityFor(image.skuCount))
            .constantValueSizeBySample(value)
            .createPersistedTo(file.toFile()))
        {
            for (int i = 0; i < image.skuCount; i++)
            {
                view.putLong(0, image.skuOnHand[i]).putLong(8, image.skuReserved[i]);
                map.put(image.skuIds[i], value);
            }
        }
    }

    private static void writeOrders(final StateImage image, final Path file) throws IOException
    {
        final double averageLines = image.orderCount == 0 ? 1.0 : (double)image.lineCount / image.orderCount;
        final byte[][] valuesByLineCount = new byte[9][];
        try (ChronicleMap<Long, byte[]> map = ChronicleMap.of(Long.class, byte[].class)
            .name("stockflow-orders")
            .entries(capacityFor(image.orderCount))
            .averageValueSize(ORDER_FIXED_LENGTH + LINE_LENGTH * Math.max(1.0, averageLines))
            .createPersistedTo(file.toFile()))
        {
            for (int i = 0; i < image.orderCount; i++)
            {
                final int lines = image.orderLineCounts[i];
                byte[] value = valuesByLineCount[lines];
                if (value == null)
                {
                    value = new byte[ORDER_FIXED_LENGTH + LINE_LENGTH * lines];
                    valuesByLineCount[lines] = value;
                }
                final ByteBuffer view = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                view.putLong(0, image.orderAccounts[i]);
                view.put(8, image.orderStatuses[i]);
                view.putLong(9, image.orderDeadlines[i]);
                view.put(17, (byte)lines);
                final int start = image.orderLineStarts[i];
                for (int l = 0; l < lines; l++)
                {
                    final int at = ORDER_FIXED_LENGTH + l * LINE_LENGTH;
                    view.putLong(at, image.lineSkus[start + l]);
                    view.putLong(at + 8, image.lineQtys[start + l]);
                    view.putLong(at + 16, image.linePrices[start + l]);
                }
                map.put(image.orderIds[i], value);
            }
        }
    }

    private static long readSkus(final Path file, final FulfillmentRules rules) throws IOException
    {
        long count = 0;
        try (ChronicleMap<Long, byte[]> map = ChronicleMap.of(Long.class, byte[].class)
            .name("stockflow-skus")
            .entries(1)
            .constantValueSizeBySample(new byte[SKU_VALUE_LENGTH])
            .createPersistedTo(file.toFile()))
        {
            for (final Map.Entry<Long, byte[]> entry : map.entrySet())
            {
                final ByteBuffer view = ByteBuffer.wrap(entry.getValue()).order(ByteOrder.LITTLE_ENDIAN);
                rules.restoreSku(entry.getKey(), view.getLong(0), view.getLong(8));
                count++;
            }
        }
        return count;
    }

    private static long readOrders(final Path file, final FulfillmentRules rules)
        throws IOException, InvalidSnapshotException
    {
        long count = 0;
        final long[] skus = new long[8];
        final long[] qtys = new long[8];
        final long[] prices = new long[8];
        try (ChronicleMap<Long, byte[]> map = ChronicleMap.of(Long.class, byte[].class)
            .name("stockflow-orders")
            .entries(1)
            .averageValueSize(ORDER_FIXED_LENGTH + LINE_LENGTH)
            .createPersistedTo(file.toFile()))
        {
            for (final Map.Entry<Long, byte[]> entry : map.entrySet())
            {
                final byte[] value = entry.getValue();
                final ByteBuffer view = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                final int lines = value.length < ORDER_FIXED_LENGTH ? -1 : view.get(17);
                if (lines < 0 || lines > 8 || value.length != ORDER_FIXED_LENGTH + LINE_LENGTH * lines)
                {
                    throw new InvalidSnapshotException("order " + entry.getKey() + " has a malformed value");
                }
                for (int l = 0; l < lines; l++)
                {
                    final int at = ORDER_FIXED_LENGTH + l * LINE_LENGTH;
                    skus[l] = view.getLong(at);
                    qtys[l] = view.getLong(at + 8);
                    prices[l] = view.getLong(at + 16);
                }
                rules.restoreOrder(entry.getKey(), view.getLong(0), OrderStatus.fromCode(view.get(8)),
                    view.getLong(9), lines, skus, qtys, prices);
                count++;
            }
        }
        return count;
    }

    private static long capacityFor(final int count)
    {
        // Chronicle Map fails when its entry estimate is exceeded; size from the real count with headroom.
        return Math.max(64, (long)(count * 1.25) + 64);
    }

    /**
     * Copies a published map file to a private temporary file, checking its size and
     * CRC32C on the very bytes copied. Chronicle Map opens files read-write and sets
     * segment lock bits inside them while iterating; loading from a private copy
     * keeps published snapshots byte-for-byte unchanged (a reader killed mid-load
     * cannot leave a lock bit behind), and read-only tools never write to them.
     */
    private static Path checkedPrivateCopy(final Path file, final long expectedSize, final long expectedCrc)
        throws InvalidSnapshotException
    {
        Path copy = null;
        try
        {
            final long size = Files.size(file);
            if (size != expectedSize)
            {
                throw new InvalidSnapshotException(file.getFileName() + " is " + size + " bytes, metadata says "
                    + expectedSize);
            }
            copy = Files.createTempFile("stockflow-snapshot-", "-" + file.getFileName());
            final CRC32C crc = new CRC32C();
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            long copied = 0;
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE))
            {
                while (in.read(buffer) >= 0 && copied < expectedSize)
                {
                    buffer.flip();
                    copied += buffer.remaining();
                    crc.update(buffer.duplicate());
                    while (buffer.hasRemaining())
                    {
                        out.write(buffer);
                    }
                    buffer.clear();
                }
            }
            if (copied != expectedSize || crc.getValue() != expectedCrc)
            {
                throw new InvalidSnapshotException(file.getFileName() + " fails its CRC32C check");
            }
            return copy;
        }
        catch (final NoSuchFileException e)
        {
            deleteQuietly(copy);
            throw new InvalidSnapshotException(file.getFileName() + " is missing");
        }
        catch (final IOException e)
        {
            deleteQuietly(copy);
            throw new InvalidSnapshotException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        catch (final InvalidSnapshotException e)
        {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static void deleteQuietly(final Path file)
    {
        if (file == null)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException e)
        {
            // A leftover temporary copy is harmless: it is outside the engine directory.
        }
    }

    private static long crcOf(final Path file) throws IOException
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
            }
        }
        return crc.getValue();
    }

    private static void force(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }

    private static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void unpublishAndDelete(final Path snapshot) throws IOException
    {
        final Path retired = snapshot.resolveSibling("." + snapshot.getFileName() + DELETING_SUFFIX);
        deleteRecursively(retired);
        try
        {
            Files.move(snapshot, retired, StandardCopyOption.ATOMIC_MOVE);
            FileDurability.forceDirectory(snapshot.getParent());
        }
        catch (final NoSuchFileException e)
        {
            return;
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            throw new IOException("the file system of " + snapshot.getParent() + " cannot rename atomically", e);
        }
        deleteRecursively(retired);
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            final List<Path> all = new ArrayList<>();
            walk.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--)
            {
                Files.deleteIfExists(all.get(i));
            }
        }
    }
}
