package io.stockflow.journal;

import io.stockflow.journal.internal.CycleFileSyncer;
import io.stockflow.journal.internal.DiskSpaceGuard;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.zip.CRC32C;

import static io.stockflow.journal.RecordDescriptor.CRC_LENGTH;
import static io.stockflow.journal.RecordDescriptor.HEADER_LENGTH;

/**
 * The journal's single appender over a Chronicle {@link ExcerptAppender}. Everything but the
 * published sequences is owned by the thread that appended first ({@code ownerThread}).
 *
 * <p>Each record is one Chronicle document whose body is written raw: header, payload and CRC,
 * copied from reused buffers, so a warm append allocates nothing. The sequences other threads may
 * read ({@link #lastSequence()}, {@link #committedSequence()}) are published with release stores.
 *
 * <p>After the first append in a new cycle it gives every earlier cycle file that lacks one its
 * end-of-file marker ({@link CycleEnds}): Chronicle's appender marks only the cycle it rolls away
 * from, and a file the pretoucher created early for a cycle the writer then skipped would otherwise
 * stop every reader before the new cycle's records.
 */
final class ChronicleJournalAppender implements JournalAppender
{
    private static final VarHandle LAST_SEQUENCE;
    private static final VarHandle LAST_EVENT_TIME;
    private static final VarHandle COMMITTED_SEQUENCE;
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournalAppender.class);

    static
    {
        try
        {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_SEQUENCE = lookup.findVarHandle(ChronicleJournalAppender.class, "lastSequence", long.class);
            LAST_EVENT_TIME = lookup.findVarHandle(ChronicleJournalAppender.class, "lastEventTime", long.class);
            COMMITTED_SEQUENCE = lookup.findVarHandle(ChronicleJournalAppender.class, "committedSequence", long.class);
        }
        catch (ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SingleChronicleQueue queue;
    private final ExcerptAppender chronicleAppender;
    private final DiskSpaceGuard diskSpaceGuard;
    private final CycleFileSyncer rangeSyncer;
    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] trailer = new byte[CRC_LENGTH];
    private final CRC32C crc = new CRC32C();
    private Thread ownerThread;
    private int lastCycle = Integer.MIN_VALUE;
    private int endsMarkedBelow;
    private volatile long rollOvers;
    private JournalException failure;
    private boolean closed;

    @SuppressWarnings("unused")
    private long lastSequence;
    @SuppressWarnings("unused")
    private long lastEventTime;
    @SuppressWarnings("unused")
    private long committedSequence;

    /**
     * @param queue             the writer's queue
     * @param endsMarkedBelow   every cycle file before this cycle already ends with an end-of-file marker
     * @param diskSpaceGuard    consulted before every record
     * @param rangeSyncer       syncs on commit for {@link Durability#OS_CRASH}, null otherwise
     * @param lastSequence      last good sequence found by recovery
     * @param lastEventTime     its event time
     */
    ChronicleJournalAppender(SingleChronicleQueue queue, int endsMarkedBelow, DiskSpaceGuard diskSpaceGuard,
        CycleFileSyncer rangeSyncer, long lastSequence, long lastEventTime)
    {
        this.queue = queue;
        this.chronicleAppender = queue.createAppender();
        this.endsMarkedBelow = endsMarkedBelow;
        this.diskSpaceGuard = diskSpaceGuard;
        this.rangeSyncer = rangeSyncer;
        LAST_SEQUENCE.setRelease(this, lastSequence);
        LAST_EVENT_TIME.setRelease(this, lastEventTime);
        COMMITTED_SEQUENCE.setRelease(this, lastSequence);
    }

    @Override
    public long append(long eventTimeMs, int type, int version, byte[] payload, int offset, int length)
    {
        checkOwnerThread();
        return write((long)LAST_SEQUENCE.getOpaque(this) + 1, eventTimeMs, type, version, payload, offset, length);
    }

    @Override
    public void appendHeaderRecord(long eventTimeMs, int type, int version, byte[] payload, int offset, int length)
    {
        checkOwnerThread();
        if ((long)LAST_SEQUENCE.getOpaque(this) != 0 || hasDocuments())
        {
            throw new IllegalStateException("a header record can only be a journal's first record: " + queue.file());
        }
        write(0, eventTimeMs, type, version, payload, offset, length);
    }

    private boolean hasDocuments()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                return dc.isPresent();
            }
        }
    }

    private long write(long sequence, long eventTimeMs, int type, int version, byte[] payload, int offset,
        int length)
    {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (length > RecordDescriptor.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("length=" + length + ": payloads are limited to "
                + RecordDescriptor.MAX_PAYLOAD_LENGTH + " bytes");
        }
        diskSpaceGuard.checkWritable();
        RecordDescriptor.encodeHeader(header, sequence, eventTimeMs, type, version, length);
        RecordDescriptor.encodeCrc(trailer, RecordDescriptor.checksum(crc, header, payload, offset, length));
        DocumentContext dc;
        // Chronicle rethrows the IOException of a failed open or resize of a cycle file undeclared:
        // catching only RuntimeException let it past the fail-stop latch, unnamed as the journal's
        // (here and below).
        try
        {
            dc = chronicleAppender.writingDocument();
        }
        catch (Exception e)
        {
            throw fail("cannot open a document for sequence " + sequence + ": creating, opening or resizing "
                + cycleFile(queue.cycle()) + " failed: " + causes(e), e);
        }
        try
        {
            Bytes<?> bytes = dc.wire().bytes();
            bytes.write(header, 0, HEADER_LENGTH);
            bytes.write(payload, offset, length);
            bytes.write(trailer, 0, CRC_LENGTH);
        }
        catch (Exception | Error e)
        {
            dc.rollbackOnClose();
            closeAfterFailure(dc);
            throw fail("cannot write sequence " + sequence + " in " + cycleFile(chronicleAppender.cycle())
                + " (growing it may have failed); the partial document was rolled back: " + causes(e), e);
        }
        try
        {
            dc.close();
        }
        catch (Exception e)
        {
            throw fail("cannot publish sequence " + sequence + " in " + cycleFile(chronicleAppender.cycle()) + ": "
                + causes(e), e);
        }
        int cycle = chronicleAppender.cycle();
        // The syncer forces the file rolled away from (with Chronicle's end-of-file marker) before
        // noteCycle records in the table store that the cycles below are marked.
        if (rangeSyncer != null)
        {
            try
            {
                rangeSyncer.onAppended(cycle);
            }
            catch (RuntimeException e)
            {
                throw fail("sequence " + sequence + " is written but cannot be made durable: " + e.getMessage(), e);
            }
        }
        if (cycle != lastCycle)
        {
            noteCycle(cycle, sequence);
        }
        LAST_EVENT_TIME.setRelease(this, eventTimeMs);
        LAST_SEQUENCE.setRelease(this, sequence);
        return sequence;
    }

    @Override
    public void commit()
    {
        checkOwnerThread();
        if (rangeSyncer != null)
        {
            try
            {
                rangeSyncer.sync();
            }
            catch (RuntimeException | Error e)
            {
                throw fail("cannot force the journal to disk: " + e.getMessage(), e);
            }
        }
        COMMITTED_SEQUENCE.setRelease(this, (long)LAST_SEQUENCE.getOpaque(this));
    }

    @Override
    public long committedSequence()
    {
        return (long)COMMITTED_SEQUENCE.getAcquire(this);
    }

    /**
     * Counts a roll-over (not the first cycle written after open), records it for JFR and marks the
     * end of the cycle files left behind.
     */
    private void noteCycle(int cycle, long sequence)
    {
        if (cycle > endsMarkedBelow)
        {
            markEndsBefore(cycle);
        }
        if (lastCycle != Integer.MIN_VALUE)
        {
            rollOvers++;
            JournalRollEvent event = new JournalRollEvent();
            event.fromCycle = lastCycle;
            event.toCycle = cycle;
            event.firstSequence = sequence;
            event.commit();
        }
        lastCycle = cycle;
    }

    /*
     * The record is already published when this runs, so a failure here must not be reported as a
     * failed append. Nothing is lost by deferring: the next open marks the same files, and refuses
     * to start if one of them is corrupt.
     */
    private void markEndsBefore(int cycle)
    {
        try
        {
            CycleEnds.mark(queue, endsMarkedBelow, cycle, rangeSyncer != null);
            queue.tableStorePut(CycleEnds.MARKED_BELOW_KEY, cycle);
            endsMarkedBelow = cycle;
        }
        catch (RuntimeException e)
        {
            LOG.warn("journal {}: cannot mark the end of the cycle files before cycle {}; the next open retries: {}",
                queue.file(), cycle, e.toString());
        }
    }

    /** @return roll-overs to a new cycle file since open; any thread */
    long rollOvers()
    {
        return rollOvers;
    }

    /** @return the last appended sequence; any thread */
    long lastSequence()
    {
        return (long)LAST_SEQUENCE.getAcquire(this);
    }

    /** @return the event time of the last appended record; any thread */
    long lastEventTime()
    {
        return (long)LAST_EVENT_TIME.getAcquire(this);
    }

    private void checkOwnerThread()
    {
        Thread current = Thread.currentThread();
        if (current != ownerThread)
        {
            bindOrRefuse(current);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private synchronized void bindOrRefuse(Thread current)
    {
        if (closed)
        {
            throw new IllegalStateException("the journal is closed");
        }
        if (ownerThread == null)
        {
            ownerThread = current;
            chronicleAppender.singleThreadedCheckReset();
            return;
        }
        throw new IllegalStateException("the journal appender belongs to thread '" + ownerThread.getName()
            + "'; thread '" + current.getName() + "' may not append or commit");
    }

    private JournalException fail(String message, Throwable cause)
    {
        failure = new JournalException("journal appender failed and stopped: " + message, cause);
        return failure;
    }

    private File cycleFile(int cycle)
    {
        return CycleFiles.fileOf(queue, cycle);
    }

    /* The messages of a failure and its causes: Chronicle wraps the system call's error several levels down. */
    private static String causes(Throwable failure)
    {
        StringBuilder text = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause())
        {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    private static void closeAfterFailure(DocumentContext dc)
    {
        try
        {
            dc.close();
        }
        catch (RuntimeException suppressed)
        {
            // the write failure is the one reported; the document was marked for rollback
        }
    }

    /** Syncs what is left (for {@link Durability#OS_CRASH}) and closes the Chronicle appender. */
    synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (rangeSyncer != null)
            {
                rangeSyncer.close();
            }
        }
        finally
        {
            chronicleAppender.close();
        }
    }
}
