package io.stockflow.perf.jmh;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.RecordDescriptor;
import io.stockflow.perf.harness.RawQueue;
import io.stockflow.perf.harness.TempDirectory;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Journal read against a raw Chronicle Queue tailer reading the same payload bytes (64
 * and 256 bytes), over {@value #RECORDS} records written at setup and read round and
 * round: the journal reader checks length, format, sequence continuity and CRC32C of
 * every record and copies the payload out; the tailer just copies the bytes. The ratio is
 * what those checks cost (goal: at least 0.8).
 *
 * <p>Where the difference goes: {@link #rawQueueReadFramed} reads the journal's own cycle files
 * with a raw tailer and copies each whole record (header, payload, CRC trailer) out, so raw to
 * framed is the cost of the 36 extra bytes per record; {@link #rawQueueReadFramedCrc} also
 * computes each record's CRC32C and compares it with the trailer, so framed to framed-with-CRC is
 * the checksum's cost; framed-with-CRC to {@link #journalRead} is the reader's own checks and
 * bookkeeping (format, sequence continuity, header decoding, the separate payload copy).
 *
 * <p>Self-check: every record read must have the written length (and, read raw, a matching
 * CRC32C); each trial must read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class JournalReadBenchmark
{
    /** Records written at setup. */
    public static final int RECORDS = 1 << 18;

    @Param({"64", "256"})
    private int payloadBytes;

    private TempDirectory directory;
    private JournalReader reader;
    private SingleChronicleQueue queue;
    private ExcerptTailer tailer;
    private final JournalRecord record = new JournalRecord(512);
    private byte[] rawBuffer;
    private byte[] framedBuffer;
    private SingleChronicleQueue journalFiles;
    private ExcerptTailer journalFilesTailer;
    private final CRC32C crc = new CRC32C();
    private long badChecksums;
    private long reads;
    private long wrongLengths;

    /** Writes the same records to a journal and to a raw queue, then opens a reader on each. */
    @Setup(Level.Trial)
    public void fill()
    {
        final byte[] payload = new byte[payloadBytes];
        new SplittableRandom(payloadBytes).nextBytes(payload);
        rawBuffer = new byte[payloadBytes];
        framedBuffer = new byte[RecordDescriptor.recordLength(payloadBytes)];
        directory = TempDirectory.create(null, "stockflow-jmh-read");
        try (Journal journal = Journal.open(JournalConfig.builder(directory.resolve("journal"))
            .rollCycle(JournalRollCycle.HOURLY)
            .build()))
        {
            final JournalAppender appender = journal.appender();
            for (int i = 0; i < RECORDS; i++)
            {
                appender.append(1_700_000_000_000L + i, 1, 1, payload, 0, payloadBytes);
            }
            appender.commit();
        }
        queue = RawQueue.open(directory.resolve("raw"), JournalRollCycle.HOURLY);
        try (ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < RECORDS; i++)
            {
                try (DocumentContext document = appender.writingDocument())
                {
                    document.wire().bytes().write(payload, 0, payloadBytes);
                }
            }
        }
        reader = Journal.openReader(directory.resolve("journal"));
        tailer = queue.createTailer();
        journalFiles = RawQueue.open(directory.resolve("journal"), JournalRollCycle.HOURLY);
        journalFilesTailer = journalFiles.createTailer();
    }

    /** @return the record's payload length. */
    @Benchmark
    public int journalRead()
    {
        if (!reader.readNext(record))
        {
            BenchmarkChecks.check(reader.seekToSequence(1), "cannot seek back to sequence 1");
            BenchmarkChecks.check(reader.readNext(record), "journal is empty");
        }
        return countLength(record.payloadLength());
    }

    /** @return the document's length. */
    @Benchmark
    public int rawQueueRead()
    {
        int length = readRaw();
        if (length < 0)
        {
            tailer.toStart();
            length = readRaw();
        }
        return countLength(length);
    }

    private int readRaw()
    {
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return -1;
            }
            final Bytes<?> bytes = document.wire().bytes();
            final int length = (int)bytes.readRemaining();
            bytes.read(rawBuffer, 0, Math.min(length, rawBuffer.length));
            return length;
        }
    }

    /** @return the whole record's length (header, payload, trailer). */
    @Benchmark
    public int rawQueueReadFramed()
    {
        return countFramedLength(readFramedOrWrap(false));
    }

    /** @return the whole record's length (header, payload, trailer). */
    @Benchmark
    public int rawQueueReadFramedCrc()
    {
        return countFramedLength(readFramedOrWrap(true));
    }

    private int readFramedOrWrap(final boolean checksum)
    {
        final int length = readFramed(checksum);
        if (length >= 0)
        {
            return length;
        }
        journalFilesTailer.toStart();
        return readFramed(checksum);
    }

    private int readFramed(final boolean checksum)
    {
        try (DocumentContext document = journalFilesTailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return -1;
            }
            final Bytes<?> bytes = document.wire().bytes();
            final int length = (int)bytes.readRemaining();
            bytes.read(framedBuffer, 0, Math.min(length, framedBuffer.length));
            if (checksum && length == framedBuffer.length)
            {
                crc.reset();
                crc.update(framedBuffer, 0, length - RecordDescriptor.CRC_LENGTH);
                if ((int)crc.getValue() != RecordDescriptor.crcAt(framedBuffer, length - RecordDescriptor.CRC_LENGTH))
                {
                    badChecksums++;
                }
            }
            return length;
        }
    }

    private int countFramedLength(final int length)
    {
        reads++;
        if (length != framedBuffer.length)
        {
            wrongLengths++;
        }
        return length;
    }

    private int countLength(final int length)
    {
        reads++;
        if (length != payloadBytes)
        {
            wrongLengths++;
        }
        return length;
    }

    /** Checks every record read had the written length; closes and deletes. */
    @TearDown(Level.Trial)
    public void closeAndCheck()
    {
        try
        {
            BenchmarkChecks.check(reads > 0, "nothing was read");
            BenchmarkChecks.check(wrongLengths == 0, wrongLengths + " of " + reads + " records had the wrong length");
            BenchmarkChecks.check(badChecksums == 0, badChecksums + " of " + reads + " records had a wrong CRC32C");
        }
        finally
        {
            reader.close();
            journalFilesTailer.close();
            journalFiles.close();
            tailer.close();
            queue.close();
            directory.close();
        }
    }
}
