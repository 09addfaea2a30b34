package io.stockflow.journal;

import net.openhft.posix.PosixAPI;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Disk space as a budget sees it: cycle files are memory-mapped and sparse, so their apparent size
 * says little; what fills a disk is the blocks allocated to them.
 */
public final class DiskUsage
{
    private DiskUsage()
    {
    }

    /**
     * @param file a file or directory tree
     * @return the bytes of the blocks allocated to it, or -1 if they cannot be read
     */
    public static long allocatedBytes(final Path file)
    {
        try
        {
            return PosixAPI.posix().du(file.toString()) * 1024;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /**
     * @param path any path on the file system
     * @return the bytes an unprivileged writer can still use there, or -1 if unknown
     */
    public static long usableBytes(final Path path)
    {
        try
        {
            return Files.getFileStore(path).getUsableSpace();
        }
        catch (final IOException e)
        {
            return -1;
        }
    }
}
