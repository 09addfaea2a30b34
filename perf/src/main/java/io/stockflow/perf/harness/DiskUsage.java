package io.stockflow.perf.harness;

import net.openhft.posix.PosixAPI;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Bytes a directory takes on disk. Chronicle Queue's files are sparse: a cycle file is
 * created at its full mapped size and filled as records arrive, so the sum of file sizes
 * says little about what the journal uses. The allocated blocks do; Java has no portable
 * way to read them, so each file's are read as {@code stockflow info} reads them (Chronicle's
 * {@link PosixAPI#du}), and where that cannot run the apparent size is used instead, and said so.
 */
public final class DiskUsage
{
    private static final long KIB = 1024;

    private final boolean allocated;

    private DiskUsage(final boolean allocated)
    {
        this.allocated = allocated;
    }

    /**
     * @param probe a file or directory to try the blocks call on.
     * @return a meter that counts allocated blocks when that works on {@code probe}, else apparent sizes.
     */
    public static DiskUsage forPath(final Path probe)
    {
        return new DiskUsage(allocatedBytes(probe) >= 0);
    }

    /** @return how the bytes are counted, for the report. */
    public String method()
    {
        return allocated ? "allocated blocks (du)" : "apparent file sizes (no du on this platform)";
    }

    /**
     * @param directory a directory.
     * @return its files' bytes on disk, everything under it included.
     */
    public long bytes(final Path directory)
    {
        final long[] total = {0};
        try
        {
            // walkFileTree, not Files.walk: the engine's archiver may move a cycle file out while
            // this walks, and a file that vanished is simply no longer counted.
            Files.walkFileTree(directory, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                {
                    if (attributes.isRegularFile())
                    {
                        total[0] += allocated ? Math.max(0, allocatedBytes(file)) : attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException e) throws IOException
                {
                    if (e instanceof NoSuchFileException)
                    {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
            return total[0];
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot measure " + directory + ": " + e.getMessage(), e);
        }
    }

    private static long allocatedBytes(final Path file)
    {
        try
        {
            return PosixAPI.posix().du(file.toString()) * KIB;
        }
        catch (final IOException | RuntimeException | LinkageError e)
        {
            return -1;
        }
    }
}
