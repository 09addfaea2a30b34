package io.stockflow.journal;

import net.openhft.chronicle.bytes.BytesUtil;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Crash-tail recovery, run by {@link Journal#open} under the writer lock before the appender
 * exists.
 *
 * <p><b>What Chronicle Queue 2026.4 leaves after a crash mid-append.</b> The appender keeps a
 * document's 4-byte header at zero while it writes the body and sets the length with a CAS at the
 * end. A {@code kill -9} in between leaves a zero header followed by part of a record. Tailers stop
 * at the zero header, as at any end of data. A new appender writes its next document at that same
 * position without warning, overwriting the partial body and zeroing only the 8 bytes after its own
 * document, so older torn bytes may linger past the end. The write lock the dead process held is
 * force-unlocked by Chronicle when the queue is built, since the holder pid is dead.
 *
 * <p><b>What recovery does.</b> In the newest cycle files (back to the newest one holding records)
 * it walks Chronicle's complete document headers from the store's write position to the first
 * zero or incomplete header, then zeroes every non-zero byte of the torn region after it (bounded by
 * the largest document a writer can have been writing), and reports the bytes and the sequence
 * that was being written. Then it checks every record of the newest cycle holding records and its
 * continuity with the record before: any bad complete record, even the last, fails open with its
 * file, offset and sequence, because a {@code kill -9} cannot produce one (the header is published
 * only after the body) so it is corruption, not a torn write. Reading that cycle must also reach
 * the store's write position (the header of the last published record): a tailer stopping before it
 * stopped at a damaged header with published records behind it, and that fails open with the
 * position where reading stopped instead of silently dropping those records.
 */
final class TailRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(TailRecovery.class);
    private static final int CHRONICLE_HEADER_LENGTH = 4;

    private final SingleChronicleQueue queue;
    private final Optional<JournalHistory> history;
    /** The files open moved aside, put back if one turns out to have held records. */
    private final List<Path> quarantined;
    private final RollCycle rollCycle;
    private final long scanLimitBytes;

    private TailRecovery(SingleChronicleQueue queue, Optional<JournalHistory> history, List<Path> quarantined)
    {
        this.queue = queue;
        this.history = history;
        this.quarantined = quarantined;
        this.rollCycle = queue.rollCycle();
        long indexArrayBytes = queue.indexCount() * 8L + 128;
        this.scanLimitBytes =
            CHRONICLE_HEADER_LENGTH + Math.max(RecordDescriptor.maxRecordLength(), indexArrayBytes) + 4096;
    }

    /**
     * Moves aside cycle files whose Chronicle file header was never completed: a writer killed
     * while creating a file (at a roll, or the pretoucher creating the next one early) leaves such
     * a file, and it can hold no record, since records follow the header. Chronicle itself would
     * wait its timeout (10 s) on each such file at open and then rename it to {@code .discard};
     * running before the queue is built, this makes it immediate and reported. Called under the
     * writer lock, so no live writer is creating a file. A power cut can also leave such a file
     * that did hold records (none of its pages reached the device): {@link #recover} moves it back
     * and refuses once the sequences around it show a gap.
     *
     * @param directory the journal directory
     * @return the new paths of the moved files
     */
    static List<Path> quarantineIncompleteCycleFiles(Path directory)
    {
        List<Path> moved = new ArrayList<>();
        try
        {
            for (Path file : CycleFiles.in(directory))
            {
                if (!CycleFiles.hasCompleteHeader(file))
                {
                    Path target =
                        file.resolveSibling(
                            file.getFileName() + CycleFiles.INCOMPLETE_MARK + System.currentTimeMillis());
                    Files.move(file, target);
                    LOG.warn(
                        "journal {}: moved aside {}: its Chronicle header is zero or not complete, as a crashed writer"
                            + " leaves its unfinished newest file (the sequences around it are checked next)",
                        directory, target);
                    moved.add(target);
                }
            }
        }
        catch (IOException e)
        {
            throw new JournalException("cannot check the cycle files of " + directory + ": " + e.getMessage(), e);
        }
        return moved;
    }

    /**
     * For a reader that found records missing before the file it reads next: a cycle file between
     * the last one read and that one whose Chronicle header is zero or incomplete held the missing
     * records (its pages never reached the device, or it was damaged), unlike a file that is not there.
     *
     * @param directory the journal directory
     * @param after     the file holding the last record read, null if none was read
     * @param holding   the file holding the next record found
     * @return the oldest cycle file named between them whose header is not complete, or null
     */
    static File incompleteCycleFileBetween(Path directory, File after, File holding)
    {
        try
        {
            for (Path file : CycleFiles.in(directory))
            {
                String name = file.getFileName().toString();
                if (name.compareTo(holding.getName()) >= 0)
                {
                    return null;
                }
                if ((after == null || name.compareTo(after.getName()) > 0) && !CycleFiles.hasCompleteHeader(file))
                {
                    return file.toFile();
                }
            }
            return null;
        }
        catch (IOException e)
        {
            throw new JournalException("cannot check the cycle files of " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file          a cycle file whose header is zero or incomplete
     * @param firstMissing  the first sequence no file can give
     * @param firstPresent  the sequence of the first record found after it
     * @param presentIn     the file holding that record
     * @return the fault that stops start-up and readers, naming the file and what to do
     */
    static JournalCorruptionException cycleFileLost(File file, long firstMissing, long firstPresent, File presentIn)
    {
        return new JournalCorruptionException("the cycle file " + file.getName() + " has a Chronicle header that is"
            + " zero or not complete, so no record in it can be read, but the next file holding records, "
            + presentIn.getName() + ", starts at sequence " + firstPresent + ": sequences " + firstMissing + ".."
            + (firstPresent - 1) + " were in it and are lost (its pages never reached the device: a power cut under"
            + " PROCESS_CRASH, which forces nothing, can do this; or the file was damaged). Restore the file from a"
            + " backup, or salvage the records before it", file, 0, firstMissing, -1);
    }

    /**
     * @param queue   the writer's queue, before any appender was created
     * @param history where the history in the directory starts (a journal whose early cycles were
     *                archived starts later), empty if nothing was archived
     * @return what was found and removed
     * @throws JournalCorruptionException     if a complete record is bad
     * @throws JournalHistoryMissingException if cycle files before the newest are missing
     */
    static TailRecoveryReport recover(SingleChronicleQueue queue, List<Path> quarantinedFiles,
        Optional<JournalHistory> history)
    {
        try
        {
            return new TailRecovery(queue, history, quarantinedFiles).run(quarantinedFiles);
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(null, -1, e);
        }
    }

    private TailRecoveryReport run(List<Path> quarantined)
    {
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE)
        {
            requireRecordsTheHistoryPromises();
            return new TailRecoveryReport(0, 0, 0, 0, 0, 0, null, -1, quarantined);
        }
        TornTail torn = null;
        int dataCycle = Integer.MIN_VALUE;
        Iterator<Long> newestFirst = QueueCycles.existing(queue, firstCycle, queue.lastCycle()).descendingIterator();
        while (newestFirst.hasNext())
        {
            int cycle = newestFirst.next().intValue();
            TornTail found = zeroTornTail(cycle);
            if (found != null && torn == null)
            {
                torn = found;
            }
            if (hasRecords(cycle))
            {
                dataCycle = cycle;
                break;
            }
        }
        long verified = 0;
        JournalRecord last = new JournalRecord();
        if (dataCycle != Integer.MIN_VALUE)
        {
            verified = verifyCycle(dataCycle, last);
        }
        else
        {
            requireRecordsTheHistoryPromises();
        }
        long lastGood = verified == 0 ? 0 : last.sequence();
        long lastTime = verified == 0 ? 0 : last.eventTime();
        if (torn == null)
        {
            return new TailRecoveryReport(lastGood, lastTime, verified, 0, 0, 0, null, -1, quarantined);
        }
        long lost = torn.sequence == lastGood + 1 ? lastGood + 1 : 0;
        LOG.warn("journal {}: zeroed a torn tail of {} bytes at {} offset {} (sequence being written: {}); "
            + "appending continues at sequence {}", queue.file(), torn.bytes, torn.file, torn.position,
            lost == 0 ? "none" : Long.toString(lost), lastGood + 1);
        return new TailRecoveryReport(lastGood, lastTime, verified, torn.bytes, lost, lost, torn.file, torn.position,
            quarantined);
    }

    /*
     * A history record promises the records from its first sequence on, and the archiver only ever
     * removes cycles older than the oldest snapshot's, so an empty journal beside one has lost them
     * all: a power cut under PROCESS_CRASH can leave the newest cycle file unwritten after the
     * archiver had durably removed the older ones. Opening it would begin again at sequence 1 (and
     * start-up would then remove every snapshot as past the journal's end): refuse, changing nothing.
     */
    private void requireRecordsTheHistoryPromises()
    {
        if (history.isPresent() && history.get().firstSequence() > 1)
        {
            throw JournalHistoryMissingException.emptyJournal(queue.file().toPath(), history.get());
        }
    }

    /*
     * A cycle holds records if its first document can be found, or if its store's write position
     * is set: Chronicle sets it to a data document's header only after publishing that document, so
     * a set write position with no readable first document means the first document is corrupt, not
     * that the file is empty.
     */
    private boolean hasRecords(int cycle)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (tailer.moveToIndex(rollCycle.toIndex(cycle, 0)))
            {
                return true;
            }
        }
        return writePositionOf(cycle) > 0;
    }

    private long writePositionOf(int cycle)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return 0;
        }
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private long verifyCycle(int cycle, JournalRecord last)
    {
        RecordDecoder decoder = new RecordDecoder();
        long count = 0;
        long expected = 0;
        long firstIndex = rollCycle.toIndex(cycle, 0);
        // The records before this file first: a lost older file is the earliest fault, and what
        // salvage can copy ends before it, whatever damage this file holds further on.
        JournalRecord first = new JournalRecord();
        if (readFirst(cycle, firstIndex, decoder, first))
        {
            checkContinuityWithPreviousCycle(firstIndex, first.sequence(), decoder, first.file());
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.moveToIndex(firstIndex);
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent() || tailer.cycle() != cycle)
                    {
                        break;
                    }
                    decoder.decode(dc.wire().bytes(), last, tailer.currentFile(), dc.index());
                    if (expected != 0 && last.sequence() != expected)
                    {
                        throw new JournalCorruptionException("sequence gap: expected " + expected + " but found "
                            + last.sequence(), last.file(), last.position(), last.sequence(), dc.index());
                    }
                    expected = last.sequence() + 1;
                    count++;
                }
            }
        }
        checkReadUpToWritePosition(cycle, count == 0 ? null : last, expected);
        return count;
    }

    private boolean readFirst(int cycle, long firstIndex, RecordDecoder decoder, JournalRecord first)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(firstIndex))
            {
                return false;
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent() || tailer.cycle() != cycle)
                {
                    return false;
                }
                decoder.decode(dc.wire().bytes(), first, tailer.currentFile(), dc.index());
                return true;
            }
        }
    }

    /*
     * The tailer stops at the first header that is zero or not complete. Chronicle publishes a data
     * document's header before it moves the store's write position to that header, so in a file with
     * no live writer the write position is at or before the header of the last record read. A write
     * position beyond it means the tailer stopped at a damaged header with published records after
     * it: corruption before the tail, never a torn write, which can only follow the last published
     * document.
     */
    private void checkReadUpToWritePosition(int cycle, JournalRecord last, long expected)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return;
        }
        try
        {
            long writePosition = store.writePosition();
            long lastHeader = last == null ? -1 : last.position() - CHRONICLE_HEADER_LENGTH;
            if (writePosition <= lastHeader || writePosition == 0)
            {
                return;
            }
            long stoppedAt = -1;
            if (last != null)
            {
                stoppedAt = last.position() + RecordDescriptor.recordLength(last.payloadLength());
                if (store.dataVersion() > 0)
                {
                    stoppedAt += BytesUtil.padOffset(stoppedAt);
                }
            }
            throw new JournalCorruptionException("reading stopped at a document header that is zero or not complete,"
                + " but the file holds published records up to the one whose header is at " + writePosition
                + (last == null ? " and its first record cannot be read" : " (after sequence " + last.sequence() + ")"),
                store.file(), stoppedAt, expected == 0 ? -1 : expected, -1);
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private void checkContinuityWithPreviousCycle(long firstIndex, long firstSequence, RecordDecoder decoder,
        File dataFile)
    {
        JournalRecord previous = new JournalRecord();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD);
            if (!tailer.moveToIndex(firstIndex))
            {
                return;
            }
            try (DocumentContext skipped = tailer.readingDocument())
            {
                if (!skipped.isPresent())
                {
                    return;
                }
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    // The oldest record is sequence 1, 0 for a journal that opens with its header record, or
                    // the first one the history record names once earlier cycles were archived.
                    if (!JournalHistory.accepts(history, firstSequence))
                    {
                        long firstMissing = history.map(JournalHistory::firstSequence).orElse(1L);
                        putBackLostCycleFile(null, dataFile, firstMissing, firstSequence);
                        throw new JournalHistoryMissingException(queue.file().toPath(),
                            history.map(JournalHistory::firstSequence).orElse(1L), firstSequence - 1, null, false);
                    }
                    return;
                }
                decoder.decode(dc.wire().bytes(), previous, tailer.currentFile(), dc.index());
            }
        }
        if (previous.sequence() < firstSequence - 1)
        {
            putBackLostCycleFile(previous.file(), dataFile, previous.sequence() + 1, firstSequence);
            throw new JournalHistoryMissingException(queue.file().toPath(), previous.sequence() + 1, firstSequence - 1,
                null, false);
        }
        if (previous.sequence() != firstSequence - 1)
        {
            throw new JournalCorruptionException("sequence gap between cycle files: the previous file ends at "
                + previous.sequence() + " but the next starts at " + firstSequence,
                previous.file(), previous.position(), previous.sequence(), firstIndex);
        }
    }

    /**
     * Moves every file {@link #quarantineIncompleteCycleFiles} moved aside, and no one moved back,
     * to its own name again: an open that refuses leaves the directory as it found it, so readers
     * and salvage meet the same files it did.
     *
     * @param quarantined the paths the files were moved to
     */
    static void putBackQuarantined(List<Path> quarantined)
    {
        for (Path aside : quarantined)
        {
            String name = aside.getFileName().toString();
            int mark = name.lastIndexOf(CycleFiles.INCOMPLETE_MARK);
            if (mark < 0 || !Files.exists(aside))
            {
                continue;
            }
            Path original = aside.resolveSibling(name.substring(0, mark));
            if (Files.exists(original))
            {
                continue;
            }
            try
            {
                Files.move(aside, original);
            }
            catch (IOException e)
            {
                throw new JournalException("cannot move " + aside + " back to " + original + ": " + e.getMessage(), e);
            }
        }
    }

    /*
     * Open moved aside every cycle file whose header was never completed, as a crashed writer's newest
     * file that can hold no record. One that sat between the records before a gap and the records
     * after it did hold records: its pages were lost. It goes back where it was, so the directory is
     * as it was found and every reader meets the same fault, and open refuses, naming it.
     */
    private void putBackLostCycleFile(File after, File dataFile, long firstMissing, long firstPresent)
    {
        File lost = null;
        for (Path aside : quarantined)
        {
            String name = aside.getFileName().toString();
            int mark = name.lastIndexOf(CycleFiles.INCOMPLETE_MARK);
            if (mark < 0)
            {
                continue;
            }
            Path original = aside.resolveSibling(name.substring(0, mark));
            String originalName = original.getFileName().toString();
            if ((after == null || originalName.compareTo(after.getName()) > 0)
                && originalName.compareTo(dataFile.getName()) < 0)
            {
                try
                {
                    Files.move(aside, original);
                }
                catch (IOException e)
                {
                    throw new JournalException("cannot move " + aside + " back to " + original + ": " + e.getMessage(),
                        e);
                }
                LOG.warn("journal {}: moved {} back to {}: records before {} were in it", queue.file(), aside, original,
                    dataFile);
                if (lost == null)
                {
                    lost = original.toFile();
                }
            }
        }
        if (lost != null)
        {
            throw cycleFileLost(lost, firstMissing, firstPresent, dataFile);
        }
    }

    private TornTail zeroTornTail(int cycle)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        MappedBytes bytes = store.bytes();
        try
        {
            boolean padded = store.dataVersion() > 0;
            long fileSize = bytes.mappedFile().actualSize();
            long position = store.writePosition();
            while (true)
            {
                if (padded)
                {
                    position += BytesUtil.padOffset(position);
                }
                if (position + CHRONICLE_HEADER_LENGTH > fileSize)
                {
                    return null;
                }
                int header = bytes.readVolatileInt(position);
                if (header == Wires.END_OF_DATA)
                {
                    return null;
                }
                if (!Wires.isReady(header))
                {
                    break;
                }
                position += Wires.lengthOf(header) + CHRONICLE_HEADER_LENGTH;
            }
            long limit = Math.min(fileSize, position + scanLimitBytes);
            long end = -1;
            for (long p = position; p < limit; p++)
            {
                if (bytes.readByte(p) != 0)
                {
                    end = p + 1;
                }
            }
            if (end < 0)
            {
                return null;
            }
            long sequence =
                readLittleEndianLong(bytes, position + CHRONICLE_HEADER_LENGTH + RecordDescriptor.SEQUENCE_OFFSET, end);
            for (long p = position; p < end; p++)
            {
                bytes.writeByte(p, (byte)0);
            }
            return new TornTail(store.file(), position, end - position, sequence);
        }
        finally
        {
            bytes.releaseLast();
            queue.closeStore(store);
        }
    }

    private static long readLittleEndianLong(MappedBytes bytes, long offset, long end)
    {
        if (offset + Long.BYTES > end)
        {
            return -1;
        }
        long value = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            value = (value << 8) | (bytes.readByte(offset + i) & 0xFF);
        }
        return value;
    }

    /** The torn region found in one cycle file. */
    private record TornTail(File file, long position, long bytes, long sequence)
    {}
}
