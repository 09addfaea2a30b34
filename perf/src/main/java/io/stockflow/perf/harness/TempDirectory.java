package io.stockflow.perf.harness;

import io.stockflow.journal.internal.FileTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A scratch directory for one benchmark phase (engine directory, raw queue), deleted
 * with everything in it on close so repeated runs do not fill the disk.
 */
public final class TempDirectory implements AutoCloseable
{
    private final Path path;

    private TempDirectory(final Path path)
    {
        this.path = path;
    }

    /**
     * @param parent where to create it; null for the system temporary directory.
     * @param prefix the directory name's prefix.
     * @return a new, empty directory.
     */
    public static TempDirectory create(final Path parent, final String prefix)
    {
        try
        {
            if (parent == null)
            {
                return new TempDirectory(Files.createTempDirectory(prefix));
            }
            Files.createDirectories(parent);
            return new TempDirectory(Files.createTempDirectory(parent, prefix));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a scratch directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** @return the directory. */
    public Path path()
    {
        return path;
    }

    /**
     * @param name a file or directory name.
     * @return that name inside this directory.
     */
    public Path resolve(final String name)
    {
        return path.resolve(name);
    }

    @Override
    public void close()
    {
        FileTree.deleteRecursivelyUnchecked(path);
    }
}
