package io.stockflow.journal;

import net.openhft.chronicle.bytes.BytesUtil;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.Wires;

import java.io.File;
import java.io.IOException;

/**
 * Writes Chronicle's end-of-file marker into the cycle files the writer has left for good, so that
 * a tailer walks from every finished cycle into the next one.
 *
 * <p><b>Why it is needed.</b> A Chronicle Queue 2026.4 tailer that reaches the end of a cycle's data
 * without an end-of-file marker stops there for good: it treats the cycle as still being written
 * and never looks at later files. Chronicle's appender writes the marker only into the cycle it
 * rolls away from. Two things leave a finished cycle without one: the writer stopping (or being
 * killed) and the next run appending in a later cycle, and the journal's pretoucher creating the
 * next cycle's file early when the writer then appends nothing in that cycle (the appender rolls
 * past the empty file without marking it). Either way every record after the unmarked file is
 * invisible to readers.
 *
 * <p><b>How.</b> For each cycle file it walks Chronicle's complete document headers from the
 * store's write position (the header of the last published data document) to the first header
 * that is not complete: an end-of-file marker (nothing to do) or a zero header, which is swapped
 * for the marker. The walk never waits for and never overwrites an incomplete header, unlike
 * Chronicle's own {@code writeEndOfWire}, which after a timeout replaces whatever header it stopped
 * at with the marker: in a finished cycle an incomplete header is corruption (a crashed writer's
 * torn tail has already been zeroed by {@link TailRecovery}), and it is reported with its position.
 *
 * <p>Called only by the single writer: under the writer lock at open, before the appender exists,
 * and by the appender's thread after it moved to a later cycle. The marker goes into cycles the
 * writer will not append to again (those before the clock's current cycle), so it races with
 * nothing but the pretoucher, whose touches are compare-and-swaps of zero for zero.
 */
final class CycleEnds
{
    /** Table-store key: every cycle below this value has been given its end-of-file marker. */
    static final String MARKED_BELOW_KEY = "stockflow.cycleEndsMarkedBelow";

    private static final int CHRONICLE_HEADER_LENGTH = 4;

    private CycleEnds()
    {
    }

    /**
     * Marks the end of every cycle file before {@code cycle} not already marked by an earlier call,
     * and records that in the queue's table store so the next open starts from there.
     *
     * @param queue   the writer's queue
     * @param cycle   the first cycle the writer may still append to
     * @param durable force every file given a marker before the table store records it (for
     *                {@link Durability#OS_CRASH}): the key is trusted at the next open, so a key on the
     *                device ahead of the marker it stands for would hide every later cycle from readers
     * @param rebuilt a cycle file was rebuilt or moved aside at this open ({@link PowerCutTail}): a
     *                rebuilt file has no end-of-file marker although the key says it was marked, so
     *                every file is checked
     * @throws JournalCorruptionException if a cycle file's last documents are corrupt
     */
    static void markAllBefore(SingleChronicleQueue queue, int cycle, boolean durable, boolean rebuilt)
    {
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE)
        {
            return;
        }
        long markedBelow = queue.tableStoreGet(MARKED_BELOW_KEY);
        int from = markedBelow == Long.MIN_VALUE || rebuilt ? firstCycle : (int)Math.max(firstCycle, markedBelow);
        mark(queue, from, cycle, durable);
        if (cycle > markedBelow)
        {
            queue.tableStorePut(MARKED_BELOW_KEY, cycle);
        }
    }

    /**
     * Marks the end of every existing cycle file in {@code [fromCycle, toCycle)}.
     *
     * @param queue     the writer's queue
     * @param fromCycle first cycle to mark
     * @param toCycle   first cycle not to mark
     * @param durable   force every file given a marker before returning
     * @throws JournalCorruptionException if a cycle file's last documents are corrupt
     * @throws JournalException if a marked file cannot be forced
     */
    static void mark(SingleChronicleQueue queue, int fromCycle, int toCycle, boolean durable)
    {
        if (fromCycle >= toCycle)
        {
            return;
        }
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle < fromCycle || firstCycle >= toCycle)
        {
            return;
        }
        for (long cycle : QueueCycles.existing(queue, firstCycle, lastCycle))
        {
            if (cycle >= fromCycle && cycle < toCycle)
            {
                File marked = markOne(queue, (int)cycle);
                if (marked != null && durable)
                {
                    force(marked);
                }
            }
        }
    }

    private static void force(File file)
    {
        try
        {
            FileDurability.forceFile(file.toPath());
        }
        catch (IOException e)
        {
            throw new JournalException("cannot force the end-of-file marker of " + file + ": " + e.getMessage(), e);
        }
    }

    /* Returns the file if a marker was written into it, null if it had one or does not exist. */
    private static File markOne(SingleChronicleQueue queue, int cycle)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        MappedBytes bytes = store.bytes();
        long position = store.writePosition();
        try
        {
            boolean padded = store.dataVersion() > 0;
            long fileSize = bytes.mappedFile().actualSize();
            while (true)
            {
                if (padded)
                {
                    position += BytesUtil.padOffset(position);
                }
                if (position < 0 || position + CHRONICLE_HEADER_LENGTH > fileSize)
                {
                    throw new JournalCorruptionException("the documents of a finished cycle file run past its end ("
                        + fileSize + " bytes)", store.file(), position, -1, -1);
                }
                int header = bytes.readVolatileInt(position);
                if (header == Wires.END_OF_DATA)
                {
                    return null;
                }
                if (header == 0)
                {
                    if (bytes.compareAndSwapInt(position, 0, Wires.END_OF_DATA))
                    {
                        return store.file();
                    }
                    continue;
                }
                if (!Wires.isReady(header))
                {
                    throw new JournalCorruptionException("a finished cycle file holds an incomplete document header 0x"
                        + Integer.toHexString(header) + " where its data should end; a crashed writer's torn tail"
                        + " is zeroed at open, so this is corruption", store.file(), position, -1, -1);
                }
                position += Wires.lengthOf(header) + CHRONICLE_HEADER_LENGTH;
            }
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(store.file(), position, e);
        }
        finally
        {
            bytes.releaseLast();
            queue.closeStore(store);
        }
    }
}
