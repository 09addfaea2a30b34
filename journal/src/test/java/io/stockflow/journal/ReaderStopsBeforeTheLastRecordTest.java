package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader whose Chronicle tailer stops before the journal's last record (a damaged document
 * header, an older cycle file that lost its end) either reaches every later record, proven
 * gap-free by the sequence check, or fails with the file and position where it stopped: it never
 * reports the end of the journal early.
 */
@Timeout(60)
class ReaderStopsBeforeTheLastRecordTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;
    private static final int RECORDS_PER_CYCLE = 100;
    private static final int CYCLES = 3;
    private static final int LAST = RECORDS_PER_CYCLE * CYCLES;

    @TempDir
    Path dir;

    private final List<File> files = new ArrayList<>();
    private final List<Long> positions = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();

    @BeforeEach
    void writeThreeCycles()
    {
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS));
        JournalConfig config = JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock)
            .pretouch(false).build();
        try (Journal journal = Journal.open(config))
        {
            long s = 1;
            for (int cycle = 0; cycle < CYCLES; cycle++)
            {
                for (int i = 0; i < RECORDS_PER_CYCLE; i++, s++)
                {
                    TestRecords.appendFor(journal.appender(), s);
                }
                clock.advanceMillis(1_000);
            }
        }
        files.add(null);
        positions.add(-1L);
        lengths.add(0);
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            while (reader.readNext(record))
            {
                files.add(record.file());
                positions.add(record.position());
                lengths.add(RecordDescriptor.recordLength(record.payloadLength()));
            }
        }
        assertEquals(LAST + 1, files.size());
        assertFalse(files.get(1).equals(files.get(LAST)), "several cycle files");
    }

    @Test
    void aReadOnlyReaderMovesOnPastAnOlderCycleFileThatLostItsEndMarker() throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(files.get(RECORDS_PER_CYCLE), "rw"))
        {
            // Where the end-of-file marker stands: a writer that died before writing it left zeros there.
            long marker = positions.get(RECORDS_PER_CYCLE) + lengths.get(RECORDS_PER_CYCLE);
            raf.seek(marker);
            assertNotEquals(0, raf.readInt(), "the finished file's end-of-file marker");
            raf.seek(marker);
            raf.write(new byte[Integer.BYTES]);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= LAST; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " is read");
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    @Test
    void aDamagedDocumentHeaderInAnOlderFileStopsTheReaderWithItsPosition() throws IOException
    {
        int bad = RECORDS_PER_CYCLE / 2;
        zeroChronicleHeaderOf(bad);
        JournalCorruptionException error = readUpToAndFailAt(bad);
        assertEquals(files.get(bad), error.file());
        assertEquals(positions.get(bad) - 4, error.position(), "where reading stopped: the damaged header");
        assertTrue(error.getMessage().contains("sequence gap"), error.getMessage());
    }

    @Test
    void aDocumentHeaderMarkedIncompleteBeforeTheTailOfTheNewestFileStopsTheReaderWithItsPosition() throws IOException
    {
        int bad = LAST - RECORDS_PER_CYCLE / 2;
        flipNotCompleteBitOf(bad);
        JournalCorruptionException error = readUpToAndFailAt(bad);
        assertEquals(files.get(bad), error.file());
        assertEquals(positions.get(bad) - 4, error.position(), "where reading stopped: the damaged header");
        assertTrue(error.getMessage().contains("up to sequence " + LAST), error.getMessage());
    }

    private JournalCorruptionException readUpToAndFailAt(int bad)
    {
        try (JournalReader reader = Journal.openReader(dir))
        {
            assertEquals(LAST, reader.lastSequence());
            JournalRecord record = new JournalRecord();
            for (long s = 1; s < bad; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " is read");
                TestRecords.assertRecord(s, record);
            }
            JournalCorruptionException error =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(record));
            assertEquals(bad, error.sequence());
            assertSame(error, assertThrows(JournalCorruptionException.class, () -> reader.readNext(record)),
                "the reader stays stopped: nothing is skipped");
            return error;
        }
    }

    private void zeroChronicleHeaderOf(int sequence) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(files.get(sequence), "rw"))
        {
            raf.seek(positions.get(sequence) - 4);
            raf.write(new byte[4]);
        }
    }

    private void flipNotCompleteBitOf(int sequence) throws IOException
    {
        long highByte = positions.get(sequence) - 1;
        try (RandomAccessFile raf = new RandomAccessFile(files.get(sequence), "rw"))
        {
            raf.seek(highByte);
            int original = raf.read();
            raf.seek(highByte);
            raf.write(original ^ 0x80);
        }
    }
}
