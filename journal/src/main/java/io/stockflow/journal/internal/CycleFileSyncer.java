package io.stockflow.journal.internal;

import io.stockflow.journal.FileDurability;
import io.stockflow.journal.JournalException;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes everything a reader needs to read the committed records back durable before a commit
 * returns, for {@link io.stockflow.journal.Durability#OS_CRASH}. Owned by the appender thread.
 *
 * <p><b>What it forces.</b> On every commit with new records: {@code fdatasync} of the current
 * cycle file. On Linux that writes back every dirty page of the file, including those dirtied
 * through Chronicle's shared mappings: the records, Chronicle's document headers, its index pages
 * and the file header with the write position, wherever in the file they are. An {@code msync} of
 * the range written since the last commit (what this class did before) misses the header and index
 * pages, and Chronicle's {@code MappedBytesStore.syncUpTo} only logs a failed {@code msync} and
 * returns, so outcomes went on being released after the device had failed. On the first commit
 * in a cycle: the journal directory (the new file's entry) and Chronicle's table store
 * ({@code metadata.cq4t}, whose listing names the new cycle), unless the pretoucher already forced
 * them ahead of the roll-over ({@link CycleFilesAhead}). When the writer rolls, the old cycle file
 * is forced once more before it is let go, with the end-of-file marker Chronicle wrote into it.
 *
 * <p><b>Failures are final.</b> A failed force throws a {@link JournalException} naming the
 * operation and the file, and every later call throws the same exception: Linux may report a
 * retried {@code fsync} of pages whose write-back failed as a success with the data gone.
 */
public final class CycleFileSyncer implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final Path directory;
    private final Path tableStore;
    private final CycleFilesAhead ahead;
    private FileChannel channel;
    private File file;
    private int cycle = Integer.MIN_VALUE;
    private boolean dirty;
    private boolean cycleEntryPending;
    private JournalException failure;

    /**
     * @param queue      the writer's queue
     * @param directory  the journal directory
     * @param tableStore Chronicle's table store file
     * @param ahead      cycle files the pretoucher forced ahead of the writer, null without pretouch
     */
    public CycleFileSyncer(final SingleChronicleQueue queue, final Path directory, final Path tableStore,
        final CycleFilesAhead ahead)
    {
        this.queue = queue;
        this.directory = directory;
        this.tableStore = tableStore;
        this.ahead = ahead;
    }

    /**
     * Records that the writer has appended to {@code writerCycle}. On a cycle change the old cycle
     * file is forced first and the new one opened (rare: once per roll).
     *
     * @param writerCycle the cycle of the record just written
     */
    public void onAppended(final int writerCycle)
    {
        if (writerCycle != cycle)
        {
            // Chronicle wrote the end-of-file marker into the old file while rolling, after its last
            // commit: force it even when no record of the old cycle is pending, or a cut can leave the
            // old file without its end and the marker past what the device holds.
            dirty |= channel != null;
            sync();
            switchTo(writerCycle);
        }
        dirty = true;
    }

    /**
     * Forces what was appended since the last call to the device.
     *
     * @throws JournalException if a force failed, now or before
     */
    public void sync()
    {
        if (failure != null)
        {
            throw failure;
        }
        if (!dirty)
        {
            return;
        }
        try
        {
            channel.force(false);
        }
        catch (final IOException e)
        {
            throw fail("fdatasync of " + file + " failed", e);
        }
        if (cycleEntryPending)
        {
            try
            {
                if (ahead == null || !ahead.isDurable(cycle))
                {
                    FileDurability.forceFile(tableStore);
                    FileDurability.forceDirectory(directory);
                }
            }
            catch (final IOException e)
            {
                throw fail("cannot make the entry of " + file + " durable: " + e.getMessage(), e);
            }
            cycleEntryPending = false;
        }
        dirty = false;
    }

    private void switchTo(final int writerCycle)
    {
        closeChannel();
        final SingleChronicleQueueStore store = queue.storeForCycle(writerCycle, queue.epoch(), false, null);
        if (store == null)
        {
            throw fail("the file of cycle " + writerCycle + " is missing", null);
        }
        try
        {
            file = store.file();
        }
        finally
        {
            queue.closeStore(store);
        }
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
        }
        catch (final IOException e)
        {
            throw fail("cannot open " + file + " to force it", e);
        }
        cycle = writerCycle;
        cycleEntryPending = true;
    }

    private JournalException fail(final String message, final Throwable cause)
    {
        failure = new JournalException(message + (cause == null ? "" : ": " + cause.getMessage()), cause);
        return failure;
    }

    private void closeChannel()
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // only a descriptor of an already forced file is lost
            }
            channel = null;
        }
    }

    /** Forces what is left, unless a force failed before, and closes the file. */
    @Override
    public void close()
    {
        try
        {
            if (failure == null)
            {
                sync();
            }
        }
        finally
        {
            closeChannel();
        }
    }
}
