package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chronicle Queue's metadata file overwritten with garbage is refused by name, by readers and by a
 * writer's open, and left as it was; Chronicle itself took the unreadable header for a held lock and
 * failed with a lock error after its 10 s timeout. Moved aside, the file is rebuilt by the next writer
 * and every record reads again. A file whose first header is not written yet is a writer's still
 * creating it (or stopped while it did) unless cycle files lie beside it: a reader sees an empty
 * journal there and follows the writer once it writes. A read-only open over it used to wait out the
 * same timeout and keep the file mapped.
 */
@Timeout(120)
class DamagedQueueMetadataTest
{
    private static final int RECORDS = 500;

    @TempDir
    Path dir;

    @Test
    void aMetadataFileOfGarbageIsRefusedByNameUntilMovedAsideThenRebuilt() throws IOException
    {
        writeRecords();
        Path metadata = dir.resolve(Journal.TABLE_STORE_FILE);
        byte[] garbage = new byte[(int)Files.size(metadata)];
        new SplittableRandom(7).nextBytes(garbage);
        // A header word without the not-complete flag, so the check does not wait for a writer to finish it.
        garbage[3] &= 0x7f;
        garbage[0] |= 1;
        Files.write(metadata, garbage);

        JournalMetadataDamagedException byReader =
            assertThrows(JournalMetadataDamagedException.class, () -> Journal.openReader(dir).close());
        assertEquals(metadata, byReader.file());
        assertTrue(byReader.getMessage().contains("move it out of the journal directory"), byReader.getMessage());
        assertThrows(JournalMetadataDamagedException.class,
            () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()).close());
        assertArrayEquals(garbage, Files.readAllBytes(metadata), "a refused open leaves the file as it found it");

        Files.move(metadata, dir.resolve("metadata.cq4t.damaged"));
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            TestRecords.appendFor(journal.appender(), RECORDS + 1);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            long read = 0;
            while (reader.readNext(record))
            {
                read++;
                assertEquals(read, record.sequence());
            }
            assertEquals(RECORDS + 1, read);
        }
        assertTrue(!Arrays.equals(garbage, Files.readAllBytes(metadata)), "the writer rebuilt the metadata file");
    }

    @Test
    void aMetadataFileWithoutItsFirstHeaderIsAnEmptyJournalForReadersUntilTheWriterWritesIt() throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            journal.appender();
        }
        for (Path cycleFile : CycleFiles.in(dir))
        {
            Files.delete(cycleFile);
        }
        Path metadata = dir.resolve(Journal.TABLE_STORE_FILE);
        byte[] unwritten = new byte[(int)Files.size(metadata)];
        Files.write(metadata, unwritten);

        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            assertEquals(0, reader.lastSequence());
            assertEquals(-1, reader.firstSequence());
            assertFalse(reader.readNext(record));
            assertArrayEquals(unwritten, Files.readAllBytes(metadata), "a reader leaves the file to the writer");

            try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
            {
                TestRecords.appendFor(journal.appender(), 1);
            }
            assertTrue(reader.readNext(record), "the reader opened before the header follows the writer");
            assertEquals(1, record.sequence());
            assertEquals(1, reader.lastSequence());
        }
    }

    @Test
    void aMetadataFileWithoutItsFirstHeaderBesideCycleFilesIsDamage() throws IOException
    {
        writeRecords();
        Path metadata = dir.resolve(Journal.TABLE_STORE_FILE);
        // All zeros at its size, and cut to nothing: Chronicle's read-only open waited a second for the empty
        // one at every open, then read without it.
        for (byte[] unwritten : List.of(new byte[(int)Files.size(metadata)], new byte[0]))
        {
            Files.write(metadata, unwritten);

            JournalMetadataDamagedException byReader =
                assertThrows(JournalMetadataDamagedException.class, () -> Journal.openReader(dir).close());
            assertEquals(metadata, byReader.file());
            assertTrue(byReader.getMessage().contains("not written"), byReader.getMessage());
            assertTrue(byReader.getMessage().contains("beside cycle files"), byReader.getMessage());
            assertThrows(JournalMetadataDamagedException.class,
                () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()).close());
            assertArrayEquals(unwritten, Files.readAllBytes(metadata), "a refused open leaves the file as it found it");
        }
    }

    private void writeRecords()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= RECORDS; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
    }
}
