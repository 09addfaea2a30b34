package io.stockflow.journal.internal;

import io.stockflow.journal.JournalDiskFullException;
import io.stockflow.journal.JournalException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides, off the hot path, whether the journal's file system has room for more records.
 *
 * <p>{@link #refresh()} asks the file system ({@code statvfs}) and is called by the background
 * thread; {@link #checkWritable()} is called by the appender thread on every append and only reads
 * a volatile field, so the hot path neither allocates nor makes a system call. The writer thus
 * refuses records while at least {@code minFreeDiskBytes} are still free, long before a page fault
 * on a full disk could raise {@code SIGBUS} inside a mapped write.
 */
public final class DiskSpaceGuard
{
    private final Path directory;
    private final FileStore fileStore;
    private final long minFreeDiskBytes;
    private volatile long usableBytes;

    /**
     * @param directory        the journal directory
     * @param minFreeDiskBytes refuse appends below this much usable space
     */
    public DiskSpaceGuard(Path directory, long minFreeDiskBytes)
    {
        this.directory = directory;
        this.minFreeDiskBytes = minFreeDiskBytes;
        try
        {
            this.fileStore = Files.getFileStore(directory);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot find the file system of " + directory + ": " + e.getMessage(), e);
        }
        refresh();
    }

    /**
     * Re-reads the usable space. Called by the background thread, and once at open.
     *
     * @return the usable bytes now
     */
    public long refresh()
    {
        long usable;
        try
        {
            usable = fileStore.getUsableSpace();
        }
        catch (IOException e)
        {
            usable = 0;
        }
        usableBytes = usable;
        return usable;
    }

    /** @return usable bytes at the last refresh */
    public long usableBytes()
    {
        return usableBytes;
    }

    /** @return the configured floor */
    public long minFreeDiskBytes()
    {
        return minFreeDiskBytes;
    }

    /** @return true if the last refresh saw at least the floor */
    public boolean writable()
    {
        return usableBytes >= minFreeDiskBytes;
    }

    /**
     * Called by the appender thread before writing anything.
     *
     * @throws JournalDiskFullException if the last refresh saw less than the floor
     */
    public void checkWritable()
    {
        long usable = usableBytes;
        if (usable < minFreeDiskBytes)
        {
            throw new JournalDiskFullException("journal " + directory + " refuses the record: " + usable
                + " bytes usable on its file system, below minFreeDiskBytes=" + minFreeDiskBytes);
        }
    }
}
