package io.stockflow.engine.snapshot;

import io.stockflow.journal.FileDurability;
import io.stockflow.journal.internal.FileTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory that holds one engine's snapshots: their names, listing, retention
 * by count and the atomic publish and retire renames. Knows nothing of what is
 * inside a snapshot.
 *
 * <p>A published snapshot is a directory {@code snapshot-<20-digit sequence>}. It is
 * written as {@code .snapshot-<sequence>.tmp} and published by an atomic rename; it is
 * retired by an atomic rename to {@code .snapshot-<sequence>.deleting} before it is
 * deleted, so a reader in another process sees a snapshot either whole or gone. A
 * crash can leave only those hidden names behind, which {@link #removeIncomplete()}
 * clears.
 */
public final class SnapshotDirectory
{
    private static final String PREFIX = "snapshot-";
    private static final int SEQUENCE_DIGITS = 20;
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String DELETING_SUFFIX = ".deleting";

    private final Path directory;

    /** @param directory the snapshot directory (created on first write). */
    public SnapshotDirectory(final Path directory)
    {
        this.directory = directory;
    }

    /** @return the snapshot directory. */
    public Path path()
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
        snapshots.sort(Comparator.comparingLong(SnapshotDirectory::sequenceOf).reversed());
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
                FileTree.deleteRecursively(entry);
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
     * Creates an empty temporary directory for the snapshot at {@code sequence},
     * replacing one a crashed write left behind.
     *
     * @param sequence the snapshot's sequence.
     * @return the temporary directory, to fill and then {@link #publish}.
     * @throws IOException if it cannot be created.
     */
    Path createTemporary(final long sequence) throws IOException
    {
        final Path temp = directory.resolve("." + nameFor(sequence) + TEMP_SUFFIX);
        FileDurability.createDirectories(directory);
        if (Files.exists(temp))
        {
            FileTree.deleteRecursively(temp);
        }
        Files.createDirectory(temp);
        return temp;
    }

    /**
     * Publishes a filled temporary directory as the snapshot at {@code sequence} by an
     * atomic rename, retiring a snapshot of the same sequence first, and forces the
     * directory so the rename survives a crash.
     *
     * @param temp     from {@link #createTemporary}, its files already forced.
     * @param sequence the snapshot's sequence.
     * @return the published snapshot directory.
     * @throws IOException if the file system cannot rename atomically or fails.
     */
    Path publish(final Path temp, final long sequence) throws IOException
    {
        final Path target = directory.resolve(nameFor(sequence));
        FileDurability.forceDirectory(temp);
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
        FileDurability.forceDirectory(directory);
        return target;
    }

    /**
     * @param sequence a snapshot's sequence.
     * @return the path its published directory has.
     */
    Path pathFor(final long sequence)
    {
        return directory.resolve(nameFor(sequence));
    }

    /**
     * @param snapshot a snapshot directory path.
     * @return the sequence in its name, or -1 if it is not a snapshot name.
     */
    public static long sequenceOf(final Path snapshot)
    {
        final String name = snapshot.getFileName().toString();
        if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + SEQUENCE_DIGITS)
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
     * @return bytes on disk of its files, or -1 if they cannot be listed.
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
        return PREFIX + String.format("%0" + SEQUENCE_DIGITS + "d", sequence);
    }

    private static void unpublishAndDelete(final Path snapshot) throws IOException
    {
        final Path retired = snapshot.resolveSibling("." + snapshot.getFileName() + DELETING_SUFFIX);
        FileTree.deleteRecursively(retired);
        try
        {
            Files.move(snapshot, retired, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final NoSuchFileException e)
        {
            return;
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            throw new IOException("the file system of " + snapshot.getParent() + " cannot rename atomically", e);
        }
        // The rename away must reach the device before the files go, or a power cut could bring the
        // snapshot back half deleted under its published name.
        FileDurability.forceDirectory(snapshot.getParent());
        FileTree.deleteRecursively(retired);
    }
}
