package io.stockflow.perf.jmh;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.RecordDescriptor;
import io.stockflow.perf.harness.RawQueue;
import io.stockflow.perf.harness.TempDirectory;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
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
 * Journal append against raw Chronicle Queue appending the same payload bytes (64 and 256
 * bytes): the journal adds a 32-byte header, a CRC32C, a free-space check and the
 * sequence bookkeeping; the ratio of the two rates is what that framing costs (goal: at
 * least 0.8). The journal commits every {@value #COMMIT_EVERY} records, as a busy
 * Disruptor batch would. Appends must be allocation-free when warm ({@code -prof gc}).
 *
 * <p>Where the difference goes: {@link #rawQueueAppendFramed} appends, through the raw queue, a
 * record of the journal's size (header, payload, CRC trailer) with a fixed header and no
 * checksum, so raw to framed is the cost of the 36 extra bytes; {@link #rawQueueAppendFramedCrc}
 * also encodes the header and computes the CRC32C per record, as the journal does, so framed to
 * framed-with-CRC is the checksum's cost; framed-with-CRC to {@link #journalAppend} is the
 * journal's own bookkeeping (owner-thread and free-space checks, sequence, cycle tracking, commit).
 *
 * <p>Self-check: at the end of each trial the journal's last sequence, and the raw queue's
 * document count, must equal the number of appends the benchmark made.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class JournalAppendBenchmark
{
    /** Records per commit. */
    public static final int COMMIT_EVERY = 64;

    @Param({"64", "256"})
    private int payloadBytes;

    private byte[] payload;
    private final byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
    private final byte[] trailer = new byte[RecordDescriptor.CRC_LENGTH];
    private final CRC32C crc = new CRC32C();
    private TempDirectory directory;
    private Journal journal;
    private JournalAppender appender;
    private SingleChronicleQueue queue;
    private ExcerptAppender rawAppender;
    private long journalAppends;
    private long rawAppends;

    /** Opens a fresh journal and a fresh raw queue with the same roll cycle. */
    @Setup(Level.Trial)
    public void open()
    {
        payload = new byte[payloadBytes];
        new SplittableRandom(payloadBytes).nextBytes(payload);
        directory = TempDirectory.create(null, "stockflow-jmh-append");
        journal = Journal.open(JournalConfig.builder(directory.resolve("journal"))
            .rollCycle(JournalRollCycle.HOURLY)
            .build());
        appender = journal.appender();
        queue = RawQueue.open(directory.resolve("raw"), JournalRollCycle.HOURLY);
        rawAppender = queue.createAppender();
    }

    /** @return the sequence assigned. */
    @Benchmark
    public long journalAppend()
    {
        final long sequence = appender.append(1_700_000_000_000L, 1, 1, payload, 0, payloadBytes);
        if ((++journalAppends & (COMMIT_EVERY - 1)) == 0)
        {
            appender.commit();
        }
        return sequence;
    }

    /** @return the number of raw appends so far. */
    @Benchmark
    public long rawQueueAppend()
    {
        try (DocumentContext document = rawAppender.writingDocument())
        {
            document.wire().bytes().write(payload, 0, payloadBytes);
        }
        return ++rawAppends;
    }

    /** @return the number of raw appends so far. */
    @Benchmark
    public long rawQueueAppendFramed()
    {
        return appendFramed();
    }

    /** @return the number of raw appends so far. */
    @Benchmark
    public long rawQueueAppendFramedCrc()
    {
        RecordDescriptor.encodeHeader(header, rawAppends + 1, 1_700_000_000_000L, 1, 1, payloadBytes);
        RecordDescriptor.encodeCrc(trailer, RecordDescriptor.checksum(crc, header, payload, 0, payloadBytes));
        return appendFramed();
    }

    /** One raw document laid out as a journal record: header, payload, CRC trailer, as they stand. */
    private long appendFramed()
    {
        try (DocumentContext document = rawAppender.writingDocument())
        {
            final Bytes<?> bytes = document.wire().bytes();
            bytes.write(header, 0, RecordDescriptor.HEADER_LENGTH);
            bytes.write(payload, 0, payloadBytes);
            bytes.write(trailer, 0, RecordDescriptor.CRC_LENGTH);
        }
        return ++rawAppends;
    }

    /** Checks the counts, closes both and deletes the files. */
    @TearDown(Level.Trial)
    public void closeAndCheck()
    {
        try
        {
            BenchmarkChecks.check(journal.lastSequence() == journalAppends, "journal holds " + journal.lastSequence()
                + " records after " + journalAppends + " appends");
            BenchmarkChecks.check(rawAppends == 0 || queue.lastIndex() == rawAppender.lastIndexAppended(),
                "raw queue's last index differs from its appender's");
            BenchmarkChecks.check(queue.entryCount() == rawAppends, "raw queue holds " + queue.entryCount()
                + " documents after " + rawAppends + " appends");
            BenchmarkChecks.check(journalAppends + rawAppends > 0, "nothing was appended");
        }
        finally
        {
            rawAppender.close();
            queue.close();
            journal.close();
            directory.close();
        }
    }
}
