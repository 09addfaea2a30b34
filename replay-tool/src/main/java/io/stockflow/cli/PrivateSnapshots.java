package io.stockflow.cli;

import io.stockflow.engine.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Private copies of an engine directory's published snapshots, in a temporary
 * directory outside it, for the read-only commands.
 *
 * <p>Loading a snapshot maps its Chronicle Map files read-write: iterating them
 * sets and clears the lock word of each segment header inside the file. That
 * dirties the pages (the files' modification times change), makes a concurrent
 * reader's CRC32C check fail while a lock is held, and leaves the lock bit in the
 * file for good if the reading process is killed meanwhile, which invalidates the
 * snapshot. A read-only command must not touch the directory, so it loads from
 * these copies instead. A snapshot the engine deletes while it is being copied is
 * left out; a copy that caught a transient lock bit fails its CRC32C check and is
 * skipped like any invalid snapshot, falling back to an older one or the journal.
 */
final class PrivateSnapshots implements AutoCloseable
{
    private final Path temporaryDirectory;
    private final SnapshotStore store;

    private PrivateSnapshots(final Path temporaryDirectory, final SnapshotStore store)
    {
        this.temporaryDirectory = temporaryDirectory;
        this.store = store;
    }

    /**
     * @param snapshotDirectory the engine's snapshot directory (it may not exist).
     * @return copies of its published snapshots; close to delete them.
     */
    static PrivateSnapshots copyOf(final Path snapshotDirectory)
    {
        final Path temporary;
        try
        {
            temporary = Files.createTempDirectory("stockflow-snapshots-");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a temporary directory for snapshot copies: "
                + e.getMessage(), e);
        }
        final PrivateSnapshots copies = new PrivateSnapshots(temporary, new SnapshotStore(temporary));
        try
        {
            for (final Path snapshot : new SnapshotStore(snapshotDirectory).listNewestFirst())
            {
                copies.copySnapshot(snapshot);
            }
            return copies;
        }
        catch (final RuntimeException e)
        {
            copies.close();
            throw e;
        }
    }

    /** @return a store over the copies, with the original snapshot names. */
    SnapshotStore store()
    {
        return store;
    }

    @Override
    public void close()
    {
        try
        {
            deleteRecursively(temporaryDirectory);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete the temporary snapshot copies in " + temporaryDirectory
                + ": " + e.getMessage(), e);
        }
    }

    private void copySnapshot(final Path snapshot)
    {
        final Path target = temporaryDirectory.resolve(snapshot.getFileName().toString());
        try
        {
            Files.createDirectory(target);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(snapshot))
            {
                for (final Path file : files)
                {
                    if (Files.isRegularFile(file))
                    {
                        Files.copy(file, target.resolve(file.getFileName().toString()));
                    }
                }
            }
        }
        catch (final NoSuchFileException e)
        {
            dropPartialCopy(target);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot copy snapshot " + snapshot + ": " + e.getMessage(), e);
        }
    }

    private static void dropPartialCopy(final Path target)
    {
        try
        {
            deleteRecursively(target);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        final List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path))
        {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--)
        {
            Files.deleteIfExists(all.get(i));
        }
    }
}
