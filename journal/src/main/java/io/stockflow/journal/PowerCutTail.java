package io.stockflow.journal;

import io.stockflow.journal.internal.FileTree;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesUtil;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Repairs what a power cut leaves at the end of a journal last written under
 * {@link Durability#OS_CRASH}, before the writer's queue is built.
 *
 * <p><b>What a power cut leaves.</b> The kernel writes dirty pages of the mapped cycle file back in
 * any order, at any time. Past the last commit (an {@code fdatasync}), any subset of the pages may
 * have reached the device: Chronicle's file header with a write position far ahead, records beyond a
 * page that never arrived, and that page all zeros. Reading stops at the zero document header of the
 * lost page, but the write position says published records follow, which {@link TailRecovery}
 * rightly calls corruption for a journal whose pages were never forced. Under {@code OS_CRASH}
 * every page up to the last commit was on the device before any of its outcomes was released, so a
 * zero header can only lie past the last commit, and everything from it on was never acknowledged:
 * it is a torn tail.
 *
 * <p><b>What it does.</b> In the newest cycle file holding records, if reading stops at a zero
 * header before the write position, or a record fails its checks with part of it on an all-zero
 * page (its header survived, its end did not), it copies the records before that into a new file for the
 * same cycle (through a Chronicle queue in a scratch directory whose clock is set to that cycle, so
 * the headers and index are Chronicle's own), forces it, moves the damaged file aside as
 * {@code <name>.power-cut-<millis>} (kept as evidence, ignored by Chronicle) and moves the new file
 * into its place, then forces the directory; a cycle none of whose records reached the device is
 * only moved aside. A non-zero damaged header is not a lost page and is left to
 * {@link TailRecovery}, which stops with its position.
 */
final class PowerCutTail
{
    private static final Logger LOG = LoggerFactory.getLogger(PowerCutTail.class);
    private static final String SCRATCH = ".power-cut-rebuild";
    private static final long PAGE = 4096;

    private PowerCutTail()
    {
    }

    /**
     * @param directory the writer-locked journal directory, no queue built on it yet
     * @param rollCycle its roll cycle
     * @return the path the damaged file was moved to, or null if nothing needed repair
     */
    static Path repair(Path directory, JournalRollCycle rollCycle)
    {
        if (!Files.isRegularFile(directory.resolve("metadata.cq4t")))
        {
            return null;
        }
        Path scratch = directory.resolve(SCRATCH);
        try
        {
            FileTree.deleteRecursively(scratch);
            File damaged;
            long kept;
            try (SingleChronicleQueue queue = Journal.buildReadOnlyQueue(directory, rollCycle))
            {
                int cycle = newestCycleWithRecords(queue);
                if (cycle == Integer.MIN_VALUE)
                {
                    return null;
                }
                long intact = intactRecords(queue, cycle);
                if (intact < 0)
                {
                    return null;
                }
                damaged = fileOf(queue, cycle);
                kept = copyRecords(queue, cycle, intact, scratch, rollCycle);
            }
            Path rebuilt = scratch.resolve(damaged.getName());
            if (kept > 0 && !Files.isRegularFile(rebuilt))
            {
                throw new JournalException("rebuilding " + damaged + " after a power cut made no file " + rebuilt);
            }
            Path aside =
                damaged.toPath().resolveSibling(damaged.getName() + ".power-cut-" + System.currentTimeMillis());
            if (kept > 0)
            {
                FileDurability.forceFile(rebuilt);
            }
            Files.move(damaged.toPath(), aside, StandardCopyOption.ATOMIC_MOVE);
            if (kept > 0)
            {
                Files.move(rebuilt, damaged.toPath(), StandardCopyOption.ATOMIC_MOVE);
            }
            FileDurability.forceDirectory(directory);
            FileTree.deleteRecursively(scratch);
            LOG.warn("journal {}: a power cut lost pages past the last commit of {}; kept its {} records before the"
                + " first lost page, moved the damaged file to {}", directory, damaged, kept, aside);
            return aside;
        }
        catch (IOException e)
        {
            throw new JournalException("cannot repair the power-cut tail of " + directory + ": " + e.getMessage(), e);
        }
    }

    private static int newestCycleWithRecords(SingleChronicleQueue queue)
    {
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE)
        {
            return Integer.MIN_VALUE;
        }
        RollCycle rollCycle = queue.rollCycle();
        Iterator<Long> newestFirst = QueueCycles.existing(queue, first, queue.lastCycle()).descendingIterator();
        while (newestFirst.hasNext())
        {
            int cycle = newestFirst.next().intValue();
            try (ExcerptTailer tailer = queue.createTailer())
            {
                if (tailer.moveToIndex(rollCycle.toIndex(cycle, 0)))
                {
                    return cycle;
                }
            }
            SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
            if (store != null)
            {
                try
                {
                    if (store.writePosition() > 0)
                    {
                        return cycle;
                    }
                }
                finally
                {
                    queue.closeStore(store);
                }
            }
        }
        return Integer.MIN_VALUE;
    }

    /*
     * How many records of the cycle come before the damage a power cut can leave past the last
     * commit, or -1 if there is no such damage: reading stops at a zero header before the store's
     * write position (the header of the last published document), or no document can be read
     * although the write position is set, or a record fails its checks and part of it lies on an
     * all-zero page (a page that never reached the device). Any other bad record is left to
     * TailRecovery, which stops with its position.
     */
    private static long intactRecords(SingleChronicleQueue queue, int cycle)
    {
        RecordDecoder decoder = new RecordDecoder();
        JournalRecord record = new JournalRecord();
        long intact = 0;
        long lastHeader = -1;
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return -1;
        }
        MappedBytes file = store.bytes();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.moveToIndex(queue.rollCycle().toIndex(cycle, 0));
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent() || tailer.cycle() != cycle)
                    {
                        break;
                    }
                    Bytes<?> body = dc.wire().bytes();
                    long start = body.readPosition();
                    long end = body.readLimit();
                    try
                    {
                        decoder.decode(body, record, tailer.currentFile(), dc.index());
                    }
                    catch (JournalCorruptionException bad)
                    {
                        return onLostPage(file, start, end) ? intact : -1;
                    }
                    lastHeader = start - 4;
                    intact++;
                }
            }
            long writePosition = store.writePosition();
            if (lastHeader < 0)
            {
                return writePosition > 0 ? 0 : -1;
            }
            if (writePosition <= lastHeader)
            {
                return -1;
            }
            long stop = lastHeader + 4 + Wires.lengthOf(file.readVolatileInt(lastHeader));
            if (store.dataVersion() > 0)
            {
                stop += BytesUtil.padOffset(stop);
            }
            return file.readVolatileInt(stop) == 0 ? intact : -1;
        }
        finally
        {
            file.releaseLast();
            queue.closeStore(store);
        }
    }

    /*
     * Whether [start, end) of the file reaches into a page that is zero from its start to the end or
     * to the page's end. The first page looked at is the first that begins at or after start: a
     * record body that begins exactly on a page boundary (its Chronicle header the last bytes of the
     * page before) lies wholly on pages of its own, and the first of them may be the lost one.
     */
    private static boolean onLostPage(MappedBytes file, long start, long end)
    {
        for (long page = (start + PAGE - 1) / PAGE * PAGE; page < end; page += PAGE)
        {
            long pageEnd = Math.min(end, page + PAGE);
            boolean zero = true;
            for (long p = page; p < pageEnd && zero; p++)
            {
                zero = file.readByte(p) == 0;
            }
            if (zero)
            {
                return true;
            }
        }
        return false;
    }

    private static File fileOf(SingleChronicleQueue queue, int cycle)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        try
        {
            return store.file();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private static long copyRecords(SingleChronicleQueue source, int cycle, long count, Path scratch,
        JournalRollCycle rollCycle)
    {
        RollCycle chronicleCycle = source.rollCycle();
        long cycleStartMillis = cycle * (long)chronicleCycle.lengthInMillis() + source.epoch();
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(cycleStartMillis));
        long copied = 0;
        try (SingleChronicleQueue target = SingleChronicleQueueBuilder.binary(scratch)
            .rollCycle(rollCycle.chronicleRollCycle()).epoch(source.epoch()).timeProvider(clock).build();
            ExcerptAppender appender = target.createAppender();
            ExcerptTailer tailer = source.createTailer())
        {
            tailer.moveToIndex(chronicleCycle.toIndex(cycle, 0));
            while (copied < count)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent() || tailer.cycle() != cycle)
                    {
                        break;
                    }
                    Bytes<?> body = dc.wire().bytes();
                    try (DocumentContext out = appender.writingDocument())
                    {
                        out.wire().bytes().write(body, body.readPosition(), body.readRemaining());
                    }
                    copied++;
                }
            }
        }
        return copied;
    }
}
