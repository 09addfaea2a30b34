package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A power cut under PROCESS_CRASH can keep a cycle file's header page, whose write position names the last
 * published record, and lose the page holding that record. Chronicle's own search for the last record stops at
 * the same zeroed header the tailer stops at, so a read-only reader (verify, replay, salvage) once ended there
 * as if the journal did, while a writer's open refused it (PowerCutTrialTest's header-ahead trial found the
 * difference). Readers now compare the write position too.
 */
@Timeout(120)
class HeaderAheadReaderTest
{
    @TempDir
    Path dir;

    @Test
    void aReaderStopsWithTheFaultWhenTheLastPublishedRecordsHeaderWasLost() throws IOException
    {
        final int records = 1_000;
        appendRecords(records);
        final File lastFile;
        final long lastHeader;
        try (JournalReader reader = Journal.openReader(dir))
        {
            final JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(records));
            assertTrue(reader.readNext(record));
            lastFile = record.file();
            lastHeader = record.position() - 4;
        }
        try (RandomAccessFile file = new RandomAccessFile(lastFile, "rw"))
        {
            file.seek(lastHeader);
            file.write(new byte[4]);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            final JournalRecord record = new JournalRecord();
            for (long s = 1; s < records; s++)
            {
                assertTrue(reader.readNext(record), "record " + s);
            }
            final JournalCorruptionException stop =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(record));
            assertEquals(records, stop.sequence());
            assertEquals(lastFile, stop.file());
            assertEquals(lastHeader, stop.position(), "where reading stopped: the lost header");
            assertTrue(stop.getMessage().contains("published"), stop.getMessage());
        }
        assertThrows(JournalCorruptionException.class,
            () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()).close(),
            "a writer's open refuses the same journal");
    }

    @Test
    void intactJournalsEndingAtAnIndexBoundaryReadToTheirEndWithoutAFault()
    {
        long written = 0;
        // Index arrays fill and new ones are written at these counts; the reader must not take one for a record.
        for (final long count : new long[] {1, 16, 4_096, 65_536, 65_537})
        {
            try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
            {
                while (written < count)
                {
                    TestRecords.appendFor(journal.appender(), ++written);
                }
            }
            try (JournalReader reader = Journal.openReader(dir))
            {
                final JournalRecord record = new JournalRecord();
                for (long s = 1; s <= count; s++)
                {
                    assertTrue(reader.readNext(record), "record " + s + " of " + count);
                }
                assertFalse(reader.readNext(record), "the end of a journal of " + count + " records");
                assertFalse(reader.readNext(record), "and again");
            }
        }
    }

    private void appendRecords(final long count)
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= count; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
    }
}
