package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CorruptionTest
{
    @TempDir
    Path dir;

    @Test
    void flippedByteInTheMiddleOfAFileIsReportedWithItsExactPositionByReaderAndOpen() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= 1_000; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
        File file;
        long position;
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(500));
            assertTrue(reader.readNext(record));
            file = record.file();
            position = record.position();
        }
        long flipped = position + RecordDescriptor.HEADER_LENGTH + 5;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(flipped);
            int original = raf.read();
            raf.seek(flipped);
            raf.write(original ^ 0x10);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s < 500; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            JournalCorruptionException error =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(record));
            assertEquals(position, error.position());
            assertEquals(500, error.sequence());
            assertEquals(file, error.file());
            assertTrue(error.getMessage().contains("CRC32C"), error.getMessage());
            assertThrows(JournalCorruptionException.class, () -> reader.readNext(record),
                "a bad record is never skipped");
        }
        JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()));
        assertEquals(position, atOpen.position());
        assertEquals(500, atOpen.sequence());
    }

    @Test
    void openRefusesANewestFileWhoseDocumentHeaderBeforeTheTailIsMarkedIncomplete() throws Exception
    {
        appendRecords(1_000);
        JournalRecord bad = recordAt(500);
        long header = bad.position() - 4;
        try (RandomAccessFile raf = new RandomAccessFile(bad.file(), "rw"))
        {
            raf.seek(header + 3);
            int original = raf.read();
            raf.seek(header + 3);
            raf.write(original ^ 0x80);
        }
        for (int attempt = 0; attempt < 2; attempt++)
        {
            JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
                () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()),
                "an open that zeroed the records after the damaged header as a torn tail would succeed the second time");
            assertEquals(bad.file(), atOpen.file());
            assertEquals(header, atOpen.position(), "where reading stopped: the damaged header");
            assertEquals(500, atOpen.sequence());
        }
    }

    @Test
    void openRefusesANewestFileWhoseFirstDocumentHeaderIsZeroed() throws Exception
    {
        appendRecords(10);
        JournalRecord first = recordAt(1);
        try (RandomAccessFile raf = new RandomAccessFile(first.file(), "rw"))
        {
            raf.seek(first.position() - 4);
            raf.write(new byte[4]);
        }
        JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()));
        assertEquals(first.file(), atOpen.file());
        assertTrue(atOpen.getMessage().contains("first record cannot be read"), atOpen.getMessage());
    }

    private void appendRecords(long count)
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= count; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
    }

    private JournalRecord recordAt(long sequence)
    {
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(sequence));
            assertTrue(reader.readNext(record));
            return record;
        }
    }

    @Test
    void unknownRecordFormatVersionFailsLoudly()
    {
        journalOfThreeRecords();
        writeRawRecord(2, 4, 0);
        JournalCorruptionException error = fourthReadFails();
        assertTrue(error.getMessage().contains("unknown record format version 2"), error.getMessage());
        JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()));
        assertTrue(atOpen.getMessage().contains("unknown record format version 2"), atOpen.getMessage());
    }

    /**
     * A document longer than its header says, within the longest record and beyond it: the reader
     * copies a record out whole only up to that length, and reads just the header of a longer one.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, RecordDescriptor.MAX_PAYLOAD_LENGTH + 1})
    void documentLongerThanItsHeaderSaysFailsWithBothLengths(int extraBytes)
    {
        journalOfThreeRecords();
        int payloadLength = writeRawRecord(RecordDescriptor.CURRENT_FORMAT_VERSION, 4, extraBytes);
        JournalCorruptionException error = fourthReadFails();
        long documentLength = RecordDescriptor.recordLength(payloadLength) + (long)extraBytes;
        assertTrue(error.getMessage().contains("payload length " + payloadLength
            + " does not match the document length " + documentLength), error.getMessage());
    }

    private void journalOfThreeRecords()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= 3; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
    }

    /** Reads records 1 to 3, then expects the 4th read to fail; the failed read leaves record 3 in place. */
    private JournalCorruptionException fourthReadFails()
    {
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 3; s++)
            {
                assertTrue(reader.readNext(record));
            }
            JournalCorruptionException error =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(record));
            assertEquals(4, error.sequence());
            assertEquals(3, record.sequence(), "the failed read left the last good record in place");
            return error;
        }
    }

    /**
     * Appends a record written by hand, with a valid CRC, its format version and {@code extraBytes}
     * zero bytes after its trailer (inside the same document).
     *
     * @return its payload's length
     */
    private int writeRawRecord(int formatVersion, long sequence, int extraBytes)
    {
        byte[] payload = TestRecords.payloadFor(sequence);
        byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
        RecordDescriptor.encodeHeader(header, sequence, TestRecords.eventTimeFor(sequence), 1, 1, payload.length);
        header[RecordDescriptor.FORMAT_VERSION_OFFSET] = (byte)formatVersion;
        byte[] trailer = new byte[RecordDescriptor.CRC_LENGTH];
        RecordDescriptor.encodeCrc(trailer,
            RecordDescriptor.checksum(new CRC32C(), header, payload, 0, payload.length));
        byte[] extra = new byte[extraBytes];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(JournalRollCycle.HOURLY.chronicleRollCycle()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(header, 0, header.length).write(payload, 0, payload.length)
                    .write(trailer, 0, trailer.length).write(extra, 0, extra.length);
            }
        }
        return payload.length;
    }
}
