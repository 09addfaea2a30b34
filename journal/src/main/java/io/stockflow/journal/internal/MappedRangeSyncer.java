package io.stockflow.journal.internal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * Forces the range of a cycle file written since the last commit to the device with
 * {@code msync(MS_SYNC)}, for {@link io.stockflow.journal.Durability#OS_CRASH}. Owned by the
 * appender thread.
 *
 * <p>It holds its own reference on the current cycle's store, so when the writer rolls to a new
 * cycle the old file is still mapped and its last records are synced before the reference is
 * dropped. Chunk by chunk it asks the chunk's {@link MappedBytesStore} to sync up to the dirty end;
 * each chunk remembers how far it was synced, so only new pages go to the device.
 */
public final class MappedRangeSyncer implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private SingleChronicleQueueStore store;
    private MappedBytes view;
    private int cycle = Integer.MIN_VALUE;
    private long syncedUpTo;
    private long dirtyUpTo;

    /** @param queue the writer's queue */
    public MappedRangeSyncer(SingleChronicleQueue queue)
    {
        this.queue = queue;
    }

    /**
     * Records that the writer has written up to {@code endPosition} of {@code writerCycle}. On a
     * cycle change the old cycle's dirty range is synced first (rare: once per roll).
     *
     * @param writerCycle the cycle of the record just written
     * @param endPosition file offset just past that record
     */
    public void onAppended(int writerCycle, long endPosition)
    {
        if (writerCycle != cycle)
        {
            sync();
            release();
            store = queue.storeForCycle(writerCycle, queue.epoch(), false, null);
            view = store.bytes();
            cycle = writerCycle;
            syncedUpTo = 0;
        }
        dirtyUpTo = Math.max(dirtyUpTo, endPosition);
    }

    /** Forces {@code [last synced, last written)} of the current cycle file to the device. */
    public void sync()
    {
        if (view == null)
        {
            return;
        }
        long position = syncedUpTo;
        while (position < dirtyUpTo)
        {
            view.addressForRead(position);
            BytesStore<?, ?> chunk = view.bytesStore();
            if (!(chunk instanceof MappedBytesStore))
            {
                break;
            }
            MappedBytesStore mapped = (MappedBytesStore)chunk;
            long end = Math.min(dirtyUpTo, mapped.safeLimit());
            mapped.syncUpTo(end, SyncMode.SYNC);
            position = Math.max(end, position + 1);
        }
        syncedUpTo = dirtyUpTo;
    }

    private void release()
    {
        if (view != null)
        {
            view.releaseLast();
            view = null;
        }
        if (store != null)
        {
            queue.closeStore(store);
            store = null;
        }
        dirtyUpTo = 0;
        syncedUpTo = 0;
    }

    /** Syncs what is left and releases the store reference. */
    @Override
    public void close()
    {
        sync();
        release();
    }
}
