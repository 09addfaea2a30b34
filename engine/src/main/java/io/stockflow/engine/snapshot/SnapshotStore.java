package io.stockflow.engine.snapshot;

import io.stockflow.engine.rules.StateRestorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The snapshots of one engine directory: the entry point that the engine, recovery
 * and the tools use, over the parts that each know one thing.
 *
 * <ul>
 *   <li>{@link SnapshotDirectory}: names, listing, retention by count, the atomic
 *       publish and retire renames;</li>
 *   <li>{@link SnapshotLayout}: the encoding of a SKU and an order value, independent
 *       of where the bytes go;</li>
 *   <li>{@link SnapshotMapFiles}: where they go, one Chronicle Map file per kind;</li>
 *   <li>{@link SnapshotWriter} and {@link SnapshotLoader}: the write protocol and the
 *       checked load.</li>
 * </ul>
 *
 * <p>A snapshot is a directory {@code snapshot-<20-digit sequence>} holding two
 * Chronicle Map files ({@code skus.cm3}: sku to onHand and reserved;
 * {@code orders.cm3}: order to account, status, deadline and lines) and
 * {@link SnapshotMetadata}. It is written under a temporary name, every file forced
 * to disk, then published by an atomic rename, so a crash mid-write leaves only a
 * temporary directory that is ignored and cleaned up.
 */
public final class SnapshotStore
{
    private final SnapshotDirectory directory;
    private final Runnable forceJournal;
    /** Snapshots whose map files matched their metadata's sizes and CRCs; published snapshots never change. */
    private final Set<Path> filesChecked = ConcurrentHashMap.newKeySet();

    /**
     * A store for reading and for tests: publishing a snapshot forces no journal.
     *
     * @param directory the snapshot directory (created on first write).
     */
    public SnapshotStore(final Path directory)
    {
        this(directory, () ->
        {});
    }

    /**
     * @param directory    the snapshot directory (created on first write).
     * @param forceJournal forces every journal record written so far to the device; run beside the
     *                     writing of each snapshot and awaited before it is published, so a snapshot that survives a power cut never covers
     *                     records that did not (under PROCESS_CRASH a commit forces nothing).
     */
    public SnapshotStore(final Path directory, final Runnable forceJournal)
    {
        this.directory = new SnapshotDirectory(directory);
        this.forceJournal = forceJournal;
    }

    /** @return the snapshot directory. */
    public Path directory()
    {
        return directory.path();
    }

    /** @return published snapshots, newest (highest sequence) first; unchecked. */
    public List<Path> listNewestFirst()
    {
        return directory.listNewestFirst();
    }

    /**
     * @return how many hidden directories a crash left behind were removed.
     * @see SnapshotDirectory#removeIncomplete()
     */
    public int removeIncomplete()
    {
        return directory.removeIncomplete();
    }

    /**
     * @param lastSequence the journal's last sequence.
     * @return the names of the snapshots removed.
     * @see SnapshotDirectory#removeBeyond(long)
     */
    public List<String> removeBeyond(final long lastSequence)
    {
        return directory.removeBeyond(lastSequence);
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
        return write(image, BackgroundSlice.NONE);
    }

    /**
     * Writes a snapshot of {@code image} and publishes it atomically, offering the CPU back
     * through {@code slice} as it goes. Runs on the snapshot thread, never on the logic stage.
     *
     * @param image the state copy.
     * @param slice the snapshot thread's slice.
     * @return the published snapshot directory.
     */
    public Path write(final StateImage image, final BackgroundSlice slice)
    {
        return SnapshotWriter.write(directory, image, slice, forceJournal);
    }

    /**
     * @param retained how many to keep, at least 1.
     * @return how many were deleted.
     * @see SnapshotDirectory#retain(int)
     */
    public int retain(final int retained)
    {
        return directory.retain(retained);
    }

    /**
     * The oldest snapshot recovery could start from, which is where the journal directory must
     * still hold every later record: archival ({@code stockflow archive} and the engine's own
     * archiver) keeps the cycles from it on. One past the journal's end is no snapshot (start-up
     * removes it); a snapshot whose metadata or map files fail their checks (sizes and CRC32Cs, read
     * once per snapshot), or that retention removes while this reads, is skipped, so archival never
     * trusts a snapshot recovery would refuse for a damaged file.
     *
     * @param journalLast the journal's last sequence.
     * @param skipped     told of each snapshot skipped as unusable, with why.
     * @return its metadata, or null when there is none (recovery needs the whole journal).
     */
    public SnapshotMetadata oldestUsable(final long journalLast, final BiConsumer<Path, String> skipped)
    {
        final List<Path> newestFirst = listNewestFirst();
        for (int i = newestFirst.size() - 1; i >= 0; i--)
        {
            final Path snapshot = newestFirst.get(i);
            try
            {
                final SnapshotMetadata metadata = readMetadata(snapshot);
                if (metadata.lastSequence() <= journalLast)
                {
                    checkFiles(snapshot, metadata);
                    return metadata;
                }
            }
            catch (final InvalidSnapshotException e)
            {
                skipped.accept(snapshot, e.getMessage());
            }
        }
        return null;
    }

    private void checkFiles(final Path snapshot, final SnapshotMetadata metadata) throws InvalidSnapshotException
    {
        if (filesChecked.contains(snapshot))
        {
            return;
        }
        checkFile(snapshot.resolve(SnapshotMapFiles.SKU_FILE), metadata.skuFileSize, metadata.skuFileCrc);
        checkFile(snapshot.resolve(SnapshotMapFiles.ORDER_FILE), metadata.orderFileSize, metadata.orderFileCrc);
        filesChecked.retainAll(listNewestFirst());
        filesChecked.add(snapshot);
    }

    private static void checkFile(final Path file, final long size, final long crc) throws InvalidSnapshotException
    {
        try
        {
            final long actualSize = Files.size(file);
            if (actualSize != size)
            {
                throw new InvalidSnapshotException(file.getFileName() + " is " + actualSize
                    + " bytes, metadata says " + size);
            }
            final long actualCrc = SnapshotWriter.crcOf(file, BackgroundSlice.NONE);
            if (actualCrc != crc)
            {
                throw new InvalidSnapshotException(file.getFileName() + " has CRC32C " + Long.toHexString(actualCrc)
                    + ", metadata says " + Long.toHexString(crc));
            }
        }
        catch (final IOException e)
        {
            throw new InvalidSnapshotException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
        return SnapshotLoader.readMetadata(snapshot);
    }

    /**
     * Loads a snapshot through a restorer of fresh rules and checks it completely
     * ({@link SnapshotLoader}).
     *
     * @param snapshot a snapshot directory.
     * @param restorer the restorer; completed on success, its rules unusable on failure.
     * @return the snapshot's metadata.
     * @throws InvalidSnapshotException when any check fails.
     */
    public static SnapshotMetadata loadInto(final Path snapshot, final StateRestorer restorer)
        throws InvalidSnapshotException
    {
        return SnapshotLoader.load(snapshot, restorer);
    }

    /**
     * @param snapshot a snapshot directory path.
     * @return the sequence in its name, or -1 if it is not a snapshot name.
     */
    public static long sequenceOf(final Path snapshot)
    {
        return SnapshotDirectory.sequenceOf(snapshot);
    }

    /**
     * @param snapshot a snapshot directory.
     * @return bytes on disk of its files.
     */
    public static long sizeOf(final Path snapshot)
    {
        return SnapshotDirectory.sizeOf(snapshot);
    }
}
