package io.stockflow.journal.internal;

import io.stockflow.journal.FileDurability;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The cycle files made durable ahead of the writer: the pretoucher creates the next cycle's file
 * shortly before a roll-over and forces the file, Chronicle's table store ({@code metadata.cq4t},
 * whose directory listing names the new cycle) and the journal directory (the file's entry) from its
 * background thread, so the writer's first commit in the new cycle need not wait for a directory
 * {@code fsync}.
 *
 * <p>Written by the journal's background thread, read by the appender thread. A failed force is
 * kept and handed to the writer when it reaches that cycle: the writer then stops instead of
 * forcing the directory again, since a retried {@code fsync} may report success with the entry lost.
 */
public final class CycleFilesAhead
{
    private final Path directory;
    private final Path tableStore;
    private volatile int durableCycle = Integer.MIN_VALUE;
    private volatile int failedCycle = Integer.MIN_VALUE;
    private volatile IOException failure;

    /**
     * @param directory  the journal directory
     * @param tableStore Chronicle's table store file in it
     */
    public CycleFilesAhead(final Path directory, final Path tableStore)
    {
        this.directory = directory;
        this.tableStore = tableStore;
    }

    /**
     * Forces a newly created cycle file, the table store and the directory; background thread.
     *
     * @param cycle     the cycle the file is for
     * @param cycleFile the file just created
     */
    public void makeDurable(final int cycle, final File cycleFile)
    {
        if (cycle == durableCycle || cycle == failedCycle)
        {
            return;
        }
        try
        {
            FileDurability.forceFile(cycleFile.toPath());
            FileDurability.forceFile(tableStore);
            FileDurability.forceDirectory(directory);
            durableCycle = cycle;
        }
        catch (final IOException e)
        {
            failure = e;
            failedCycle = cycle;
        }
    }

    /**
     * @param cycle a cycle the writer just moved to
     * @return true if its file's entry and the table store were forced ahead of the writer
     * @throws IOException the failure of an earlier force for this cycle, which must not be retried
     */
    boolean isDurable(final int cycle) throws IOException
    {
        if (cycle == failedCycle)
        {
            throw failure;
        }
        return cycle == durableCycle;
    }
}
