package io.stockflow.journal;

import io.stockflow.journal.testing.LeakCheckExtension;
import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader opened on a journal whose writer has not written a cycle file yet maps nothing: a
 * read-only queue over the metadata file alone could keep it mapped after its close when the writer
 * was another process's. The reader sees an empty journal, then follows the writer from its first
 * record on.
 */
@Timeout(60)
class ReaderBeforeTheFirstCycleFileTest
{
    @TempDir
    Path dir;

    @Test
    void aReaderOpenedBeforeTheFirstCycleFileMapsNothingUntilOneExistsThenFollowsTheWriter() throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            assertTrue(CycleFiles.in(dir).isEmpty(), "the writer's open wrote no cycle file yet");
            Map<String, Integer> writersMappings = LeakCheckExtension.mappedChronicleFiles();

            JournalRecord record = new JournalRecord();
            try (JournalReader reader = Journal.openReader(dir))
            {
                assertEquals(-1, reader.firstSequence());
                assertEquals(0, reader.lastSequence());
                assertFalse(reader.readNext(record));
                assertFalse(reader.seekToSequence(1));
                assertFalse(reader.seekToEventTime(0));
                assertThrows(IllegalArgumentException.class, () -> reader.seekToSequence(0));
                assertEquals(writersMappings, LeakCheckExtension.mappedChronicleFiles(),
                    "a reader over no cycle file maps nothing of its own");

                for (long sequence = 1; sequence <= 3; sequence++)
                {
                    TestRecords.appendFor(journal.appender(), sequence);
                }
                journal.appender().commit();
                assertEquals(1, reader.firstSequence());
                assertEquals(3, reader.lastSequence());
                for (long sequence = 1; sequence <= 3; sequence++)
                {
                    assertTrue(reader.readNext(record));
                    assertEquals(sequence, record.sequence());
                }
                assertFalse(reader.readNext(record));
            }
            JournalReader closed = Journal.openReader(dir);
            closed.close();
            assertThrows(IllegalStateException.class, () -> closed.readNext(record));
        }
    }
}
