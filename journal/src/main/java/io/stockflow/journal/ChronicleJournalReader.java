package io.stockflow.journal;

import net.openhft.chronicle.bytes.BytesUtil;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * A {@link JournalReader} over a Chronicle tailer. Used by one thread at a time.
 *
 * <p>Seeking relies on one invariant the appender keeps: inside a cycle file, the data documents
 * are exactly the journal's records in sequence order, so the record with sequence {@code s} in a
 * cycle whose first record has sequence {@code f} is at Chronicle index {@code toIndex(cycle, s - f)}.
 * The cycle is found by binary search over the first sequences of the cycle files.
 *
 * <p><b>Where reading stops.</b> A Chronicle tailer stops at the first document header that is zero
 * or not complete, and at the end of a cycle file that has no end-of-file marker it stops for good,
 * never looking at later files. The first is the end of the journal only if no later record exists;
 * so whenever the tailer finds nothing, the reader compares what it has read with the journal's
 * last record ({@link #lastSequence()}, found from the newest file's write position, which a
 * damaged header before it does not hide), and in the newest file also that write position itself
 * with the last record read ({@link #publishedPastTheStop()}). If records lie beyond, it moves on to the next cycle file
 * holding records, where the sequence-continuity check proves nothing was skipped (a finished cycle
 * that merely lacks its end-of-file marker, as a stopped writer or an early pretouched file leaves
 * it), or fails with {@link JournalCorruptionException} naming the file and position where reading
 * stopped. It never returns {@code false} while a later record exists.
 *
 * <p><b>Why one class of over 450 lines.</b> Reading on, seeking by sequence or event time and
 * finding where the history in the directory starts all walk the same cycle files with the same
 * tailer and must agree on the same invariants (records in sequence order within a cycle, no
 * record skipped between cycles, a journal that may start later after archival); split apart,
 * each part would need the tailer, the cycle search and the history record passed in, and the
 * continuity check would be written twice.
 */
final class ChronicleJournalReader implements JournalReader
{
    /** {@link #findLastSequence()}'s answer when the journal holds records but its end cannot be found. */
    private static final long END_UNREACHABLE = Long.MAX_VALUE;
    private static final long NOTHING_FOUND = -1;
    private static final int CHRONICLE_HEADER_LENGTH = 4;

    private final SingleChronicleQueue queue;
    private final Optional<JournalHistory> history;
    private final boolean ownsQueue;
    private final Runnable onClose;
    private final RollCycle rollCycle;
    private final ExcerptTailer tailer;
    // Made when a lookup needs it and closed after it, except as releaseProbeUnlessOnTheNewestCycle says.
    private ExcerptTailer probe;
    private final RecordDecoder decoder = new RecordDecoder();
    private final JournalRecord probeRecord = new JournalRecord();
    private long expectedSequence;
    private File lastReadFile;
    private long lastReadEnd = -1;
    private long lastReadHeader = -1;
    private int lastReadCycle = Integer.MIN_VALUE;
    /** The newest cycle's store, kept for its write position while reading stops there; see publishedPastTheStop. */
    private SingleChronicleQueueStore endStore;
    private int endStoreCycle = Integer.MIN_VALUE;
    private JournalCorruptionException stopped;
    /** No record read and no seek yet: the first record read must be where the directory's history starts. */
    private boolean fromTheStart = true;
    private boolean closed;

    /**
     * @param queue     the queue to read
     * @param history   where the history in the directory starts, empty if nothing was archived
     * @param ownsQueue close the queue with the reader (readers opened from a directory)
     * @param onClose   run once when the reader closes
     */
    ChronicleJournalReader(SingleChronicleQueue queue, Optional<JournalHistory> history, boolean ownsQueue,
        Runnable onClose)
    {
        this.queue = queue;
        this.history = history;
        this.ownsQueue = ownsQueue;
        this.onClose = onClose;
        this.rollCycle = queue.rollCycle();
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
    }

    @Override
    public boolean readNext(JournalRecord into)
    {
        ensureOpen();
        if (stopped != null)
        {
            throw stopped;
        }
        try
        {
            return readDocument(into) || readPastStop(into);
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(tailer.currentFile(), lastReadEnd, e);
        }
    }

    private boolean readDocument(JournalRecord into)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            long index = dc.index();
            File file = tailer.currentFile();
            try
            {
                decoder.decode(dc.wire().bytes(), into, file, index);
            }
            catch (JournalCorruptionException e)
            {
                dc.rollbackOnClose();
                throw e;
            }
            if (fromTheStart && !JournalHistory.accepts(history, into.sequence()))
            {
                dc.rollbackOnClose();
                throw historyMissingAtTheStart(into);
            }
            if (expectedSequence != 0 && into.sequence() > expectedSequence && lastReadFile != null
                && !file.equals(lastReadFile))
            {
                dc.rollbackOnClose();
                File lost = TailRecovery.incompleteCycleFileBetween(queue.file().toPath(), lastReadFile, file);
                if (lost != null)
                {
                    throw TailRecovery.cycleFileLost(lost, expectedSequence, into.sequence(), file);
                }
                throw new JournalHistoryMissingException(queue.file().toPath(), expectedSequence, into.sequence() - 1,
                    null, false);
            }
            if (expectedSequence != 0 && into.sequence() != expectedSequence)
            {
                dc.rollbackOnClose();
                throw new JournalCorruptionException("sequence gap: expected " + expectedSequence + " but found "
                    + into.sequence(), file, into.position(), into.sequence(), index);
            }
            expectedSequence = into.sequence() + 1;
            fromTheStart = false;
            lastReadFile = file;
            lastReadEnd = into.position() + RecordDescriptor.recordLength(into.payloadLength());
            lastReadHeader = into.position() - CHRONICLE_HEADER_LENGTH;
            lastReadCycle = rollCycle.toCycle(index);
            if (endStore != null && lastReadCycle != endStoreCycle)
            {
                releaseEndStore();
            }
            return true;
        }
    }

    /*
     * The tailer found nothing. Reading the last record first and only then retrying the tailer
     * makes the check safe against a live writer: the last record's header was published after
     * every earlier one, so once it is seen, a retry sees the earlier ones too.
     */
    private boolean readPastStop(JournalRecord into)
    {
        long lastRead = expectedSequence == 0 ? 0 : expectedSequence - 1;
        File readLast = lastReadFile;
        boolean nothingRead = readLast == null && expectedSequence == 0;
        long last;
        try
        {
            last = findLastSequence();
        }
        finally
        {
            releaseProbeUnlessOnTheNewestCycle();
        }
        if (last <= lastRead)
        {
            long published = publishedPastTheStop();
            if (published < 0 || readDocument(into))
            {
                return published >= 0;
            }
            stopped = new JournalCorruptionException("reading stopped after sequence " + lastRead + " at a document"
                + " header that is zero or not complete, but the cycle file's header says records were published up"
                + " to the one whose header is at " + published + " (pages lost in a power cut); the records before"
                + " the damage can still be read, and salvage copies them", lastReadFile,
                headerAfter(lastReadCycle, lastReadEnd), lastRead + 1, -1);
            throw stopped;
        }
        if (readDocument(into))
        {
            return true;
        }
        File stoppedIn = tailer.currentFile();
        int stoppedCycle = tailer.cycle();
        long stoppedAt =
            stoppedIn != null && stoppedIn.equals(lastReadFile) ? headerAfter(stoppedCycle, lastReadEnd) : -1;
        long stoppedIndex = tailer.index();
        int next = nextCycleWithRecords(stoppedCycle);
        expectedSequence = 0;
        if (next == Integer.MIN_VALUE || !tailer.moveToIndex(rollCycle.toIndex(next, 0)) || !readDocument(into))
        {
            stopped = new JournalCorruptionException("reading stopped after sequence " + lastRead + " at a document"
                + " header that is zero, not complete or past the end of the file, but " + (last == END_UNREACHABLE
                    ? "the newest cycle file's header names records past it" : "the journal holds records"
                        + " up to sequence " + last),
                stoppedIn, stoppedAt, lastRead + 1, stoppedIndex);
            throw stopped;
        }
        if (nothingRead)
        {
            // Nothing read yet: the oldest cycle files are gone (the queue's listing still names them), and
            // the history starts at the first record found, which readDocument checked against the history.
            return true;
        }
        if (into.sequence() != lastRead + 1)
        {
            File lost = into.sequence() > lastRead + 1 && readLast != null
                ? TailRecovery.incompleteCycleFileBetween(queue.file().toPath(), readLast, into.file()) : null;
            if (lost != null)
            {
                stopped = TailRecovery.cycleFileLost(lost, lastRead + 1, into.sequence(), into.file());
                throw stopped;
            }
            stopped = new JournalCorruptionException("sequence gap: reading stopped after sequence " + lastRead
                + " (the file ends there without an end-of-file marker, or a document header there is damaged) and"
                + " the next file holding records, " + into.file() + ", starts at sequence " + into.sequence(),
                stoppedIn, stoppedAt, lastRead + 1, stoppedIndex);
            throw stopped;
        }
        return true;
    }

    /**
     * Chronicle moves a cycle file's write position to a data document's header only once that header is
     * complete, so with reading stopped in the newest cycle after its last readable record, a write position
     * past that record's header means published records stand behind a header that is zero or not complete:
     * pages lost in a power cut, the header page written back without the records it counts. Chronicle's own
     * search for the last record stops at the same damaged header, so {@link #findLastSequence()} cannot tell.
     * The write position is read before the caller's second try at the next document: a live writer that
     * completes that header in between makes the second try succeed, and one that has not cannot have moved
     * the write position past it (TailRecovery makes the same check when a writer opens the journal).
     *
     * @return the write position when it is past the last record read, in the newest cycle; -1 otherwise
     */
    private long publishedPastTheStop()
    {
        if (lastReadFile == null || lastReadCycle != queue.lastCycle())
        {
            return -1;
        }
        if (endStore == null || endStoreCycle != lastReadCycle)
        {
            releaseEndStore();
            endStore = queue.storeForCycle(lastReadCycle, queue.epoch(), false, null);
            endStoreCycle = lastReadCycle;
            if (endStore == null)
            {
                return -1;
            }
        }
        long writePosition = endStore.writePosition();
        return writePosition > lastReadHeader ? writePosition : -1;
    }

    private void releaseEndStore()
    {
        if (endStore != null)
        {
            queue.closeStore(endStore);
            endStore = null;
            endStoreCycle = Integer.MIN_VALUE;
        }
    }

    /** @return where the document header after a record ending at {@code end} is, given the file's padding */
    private long headerAfter(int cycle, long end)
    {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return end;
        }
        try
        {
            return store.dataVersion() > 0 ? end + BytesUtil.padOffset(end) : end;
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private int nextCycleWithRecords(int after)
    {
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || after >= lastCycle)
        {
            return Integer.MIN_VALUE;
        }
        try
        {
            for (long cycle : QueueCycles.existing(queue, firstCycle, lastCycle))
            {
                if (cycle > after && headerComplete((int)cycle)
                    && probe().moveToIndex(rollCycle.toIndex((int)cycle, 0)))
                {
                    return (int)cycle;
                }
            }
            return Integer.MIN_VALUE;
        }
        finally
        {
            releaseProbe();
        }
    }

    /* A cycle file whose header is zero holds no record a tailer can reach, and opening it waits. */
    private boolean headerComplete(int cycle)
    {
        File file = CycleFiles.fileOf(queue, cycle);
        try
        {
            return !file.exists() || CycleFiles.hasCompleteHeader(file.toPath());
        }
        catch (IOException e)
        {
            throw new JournalException("cannot read the header of " + file + ": " + e.getMessage(), e);
        }
    }

    /*
     * A probe left where its last lookup took it keeps that cycle file mapped, and the engine's
     * archiver never moves a file a reader holds (Journal's store-file listener, which counts
     * Chronicle's acquire and release of each store). Lookups are rare (seeks, the last sequence),
     * so each ends by closing the probe, which releases its store; the next lookup makes a new one
     * (a new tailer maps the first cycle at once, so none is kept in reserve).
     */
    private void releaseProbe()
    {
        if (probe != null)
        {
            probe.close();
            probe = null;
        }
    }

    /*
     * After the end lookup of a read that found nothing: a following reader (the shadow state) makes it again
     * and again, and making a Chronicle tailer each time cost tens of milliseconds a call, so a probe on the
     * newest cycle is kept for the next one. On an older cycle it is closed, since a probe holding an old
     * cycle's file keeps the engine's archiver from that cycle; one-off lookups always close theirs.
     */
    private void releaseProbeUnlessOnTheNewestCycle()
    {
        if (probe != null && probe.cycle() < queue.lastCycle())
        {
            releaseProbe();
        }
    }

    private ExcerptTailer probe()
    {
        if (probe == null)
        {
            probe = queue.createTailer();
            probe.singleThreadedCheckDisabled(true);
        }
        return probe;
    }

    @Override
    public boolean seekToSequence(long sequence)
    {
        ensureOpen();
        if (sequence < 1)
        {
            throw new IllegalArgumentException("sequence=" + sequence + ": sequences start at 1");
        }
        // An unreachable end does not stop a seek: the records before the damage can be read.
        long last;
        try
        {
            last = findLastSequence();
        }
        finally
        {
            releaseProbe();
        }
        if (sequence > last)
        {
            return false;
        }
        try
        {
            long index = locate(sequence);
            if (!tailer.moveToIndex(index))
            {
                throw new JournalCorruptionException("the queue has no document at the index computed for sequence "
                    + sequence, null, -1, sequence, index);
            }
            expectedSequence = 0;
            fromTheStart = false;
            if (!readDocument(probeRecord) || probeRecord.sequence() != sequence)
            {
                throw new JournalCorruptionException("seek to sequence " + sequence + " landed on sequence "
                    + probeRecord.sequence(), probeRecord.file(), probeRecord.position(), sequence, index);
            }
            tailer.moveToIndex(index);
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(tailer.currentFile(), -1, e);
        }
        finally
        {
            releaseProbe();
        }
        expectedSequence = sequence;
        lastReadFile = null;
        lastReadEnd = -1;
        lastReadHeader = -1;
        lastReadCycle = Integer.MIN_VALUE;
        stopped = null;
        return true;
    }

    @Override
    public boolean seekToEventTime(long eventTimeMs)
    {
        ensureOpen();
        try
        {
            return seekToEventTime0(eventTimeMs);
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(probe == null ? null : probe.currentFile(), -1, e);
        }
    }

    private boolean seekToEventTime0(long eventTimeMs)
    {
        long last = lastSequence();
        if (last == 0 || eventTimeOf(last) < eventTimeMs)
        {
            releaseProbe();
            return false;
        }
        long low = Math.max(1, firstPresentSequence());
        long high = last;
        while (low < high)
        {
            long middle = (low + high) >>> 1;
            if (eventTimeOf(middle) >= eventTimeMs)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return seekToSequence(low);
    }

    /**
     * @throws JournalCorruptionException also when the journal holds records but its last one cannot be
     *                                    found ({@link #findLastSequence()})
     */
    @Override
    public long lastSequence()
    {
        ensureOpen();
        long last;
        try
        {
            last = findLastSequence();
        }
        finally
        {
            releaseProbe();
        }
        if (last == END_UNREACHABLE)
        {
            throw new JournalCorruptionException("the journal's last record cannot be found: the newest cycle "
                + "file's header names an end past records that are not there (pages lost in a power cut); the "
                + "records before the damage can still be read, and salvage copies them", null, -1, -1, -1);
        }
        return last;
    }

    /**
     * @return the last record's sequence, 0 for an empty journal, or {@link #END_UNREACHABLE} when the journal
     *         holds command records but Chronicle's backward search from the end the newest file's header names
     *         cannot reach them: a power cut that wrote that header page back but not the pages of the records it
     *         counts. Chronicle then winds back to the file's start and reads its first record, or nothing (with
     *         assertions on, it fails its own assertion instead), so without this check such a journal would
     *         read as ending there, and salvage would leave every record after it unread.
     */
    private long findLastSequence()
    {
        try
        {
            long found = backwardFromEnd();
            if (found != NOTHING_FOUND && !woundBackToTheStart())
            {
                return found;
            }
            if (found != NOTHING_FOUND)
            {
                // Once more, in case a live writer appended the record after it in between.
                long again = backwardFromEnd();
                return again > found ? again : END_UNREACHABLE;
            }
        }
        catch (InternalError e)
        {
            throw JournalCorruptionException.mappedAccessFailed(probe == null ? null : probe.currentFile(), -1, e);
        }
        catch (AssertionError e)
        {
            // Chronicle's StoreTailer asserts that its backward search reached the header's end: the same
            // unreachable end as above, seen with -ea.
        }
        return holdsCommandRecords() ? END_UNREACHABLE : 0;
    }

    /** @return the sequence of the record Chronicle's backward search from the end reads, or NOTHING_FOUND */
    private long backwardFromEnd()
    {
        try
        {
            probe().direction(TailerDirection.BACKWARD).toEnd();
            return readProbe() ? probeRecord.sequence() : NOTHING_FOUND;
        }
        finally
        {
            probe().direction(TailerDirection.FORWARD);
        }
    }

    /**
     * After {@link #backwardFromEnd()} found a record: true if it is the first of its cycle file and another
     * readable record follows it, which is how Chronicle's backward search answers when it cannot reach the end
     * the header names (it winds back to the file's start). Costs a look only when the last record found is the
     * first of its file.
     */
    private boolean woundBackToTheStart()
    {
        long index = probeRecord.chronicleIndex();
        return rollCycle.toSequenceNumber(index) == 0 && probe().moveToIndex(index + 1) && readProbe();
    }

    private boolean holdsCommandRecords()
    {
        try
        {
            long first = firstPresentSequence();
            if (first != 0)
            {
                return first > 0;
            }
            // Only the parameters record (sequence 0) is certain; a command record follows it if sequence 1 is
            // there.
            return probe().moveToIndex(locate(1)) && readProbe() && probeRecord.sequence() == 1;
        }
        catch (JournalCorruptionException e)
        {
            return false;
        }
        finally
        {
            releaseProbe();
        }
    }

    private long eventTimeOf(long sequence)
    {
        long index = locate(sequence);
        if (!probe().moveToIndex(index) || !readProbe() || probeRecord.sequence() != sequence)
        {
            throw new JournalCorruptionException("no record with sequence " + sequence + " at its computed index",
                probeRecord.file(), probeRecord.position(), sequence, index);
        }
        return probeRecord.eventTime();
    }

    private boolean readProbe()
    {
        try (DocumentContext dc = probe().readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            decoder.decode(dc.wire().bytes(), probeRecord, probe().currentFile(), dc.index());
            return true;
        }
    }

    private long locate(long sequence)
    {
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        int lastCycle = queue.lastCycle();
        NavigableSet<Long> cycleSet = QueueCycles.existing(queue, firstCycle, lastCycle);
        long[] cycles = cycleSet.stream().mapToLong(Long::longValue).toArray();
        int low = 0;
        int high = cycles.length - 1;
        int best = -1;
        long bestFirst = 0;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            int probed = -1;
            long first = 0;
            for (int i = middle; i <= high; i++)
            {
                first = firstSequenceOfCycle((int)cycles[i]);
                if (first >= 0)
                {
                    probed = i;
                    break;
                }
            }
            if (probed < 0)
            {
                high = middle - 1;
            }
            else if (first <= sequence)
            {
                best = probed;
                bestFirst = first;
                low = probed + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        if (best < 0)
        {
            throw missingBeforeTheFirstPresent(sequence);
        }
        return rollCycle.toIndex((int)cycles[best], sequence - bestFirst);
    }

    /**
     * @return the sequence of the oldest record in the directory (0 for the parameters record), -1
     *         if it holds none
     */
    @Override
    public long firstSequence()
    {
        ensureOpen();
        try
        {
            return firstPresentSequence();
        }
        finally
        {
            releaseProbe();
        }
    }

    private long firstPresentSequence()
    {
        int cycle = firstCycleWithRecords();
        return cycle == Integer.MIN_VALUE ? -1 : firstSequenceOfCycle(cycle);
    }

    private int firstCycleWithRecords()
    {
        queue.refreshDirectoryListing();
        int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE)
        {
            return Integer.MIN_VALUE;
        }
        for (long cycle : QueueCycles.existing(queue, firstCycle, queue.lastCycle()))
        {
            if (firstSequenceOfCycle((int)cycle) >= 0)
            {
                return (int)cycle;
            }
        }
        return Integer.MIN_VALUE;
    }

    /* A seek before the oldest record present: a cycle file of zeros before it held the records, or none is there. */
    private JournalException missingBeforeTheFirstPresent(long sequence)
    {
        int cycle = firstCycleWithRecords();
        long firstPresent = cycle == Integer.MIN_VALUE ? -1 : firstSequenceOfCycle(cycle);
        if (firstPresent > 0)
        {
            File holding = CycleFiles.fileOf(queue, cycle);
            File lost = TailRecovery.incompleteCycleFileBetween(queue.file().toPath(), null, holding);
            if (lost != null)
            {
                return TailRecovery.cycleFileLost(lost, history.map(JournalHistory::firstSequence).orElse(1L),
                    firstPresent, holding);
            }
        }
        return missingBefore(sequence, firstPresent);
    }

    /** @return the queue read, for a read-only inspection of its cycles */
    SingleChronicleQueue queue()
    {
        return queue;
    }

    /** @return the directory this reader reads */
    Path directory()
    {
        return queue.file().toPath();
    }

    /** @return where the history in the directory starts, empty if nothing was archived */
    Optional<JournalHistory> history()
    {
        return history;
    }

    /*
     * The first record a reader finds from the start is later than the history promises: a cycle file
     * before it whose header is zero held the missing records (pages lost in a power cut), or the
     * files that held them are not there.
     */
    private JournalException historyMissingAtTheStart(JournalRecord first)
    {
        File lost = TailRecovery.incompleteCycleFileBetween(queue.file().toPath(), null, first.file());
        if (lost == null)
        {
            return missingBefore(1, first.sequence());
        }
        stopped = TailRecovery.cycleFileLost(lost, history.map(JournalHistory::firstSequence).orElse(1L),
            first.sequence(), first.file());
        return stopped;
    }

    /*
     * A sequence before the oldest record present: archived (the history record says the directory
     * starts later) or missing, the range named either way.
     */
    private JournalHistoryMissingException missingBefore(long sequence, long firstPresent)
    {
        Path directory = queue.file().toPath();
        long recordedFirst = history.map(JournalHistory::firstSequence).orElse(1L);
        if (firstPresent > recordedFirst && sequence >= recordedFirst)
        {
            return new JournalHistoryMissingException(directory, sequence, firstPresent - 1, null, false);
        }
        if (firstPresent > recordedFirst)
        {
            return new JournalHistoryMissingException(directory, recordedFirst, firstPresent - 1, null, false);
        }
        return new JournalHistoryMissingException(directory, sequence, firstPresent - 1,
            history.map(JournalHistory::archive).orElse(null), history.isPresent());
    }

    private long firstSequenceOfCycle(int cycle)
    {
        if (!headerComplete(cycle) || !probe().moveToIndex(rollCycle.toIndex(cycle, 0)))
        {
            return -1;
        }
        // A journal's header record (sequence 0) may open the first cycle; -1 means no record.
        return readProbe() ? probeRecord.sequence() : -1;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("journal reader is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        tailer.close();
        releaseProbe();
        releaseEndStore();
        if (ownsQueue)
        {
            queue.close();
            BackgroundResourceReleaser.releasePendingResources();
        }
        onClose.run();
    }
}
