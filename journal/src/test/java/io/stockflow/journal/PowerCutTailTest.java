package io.stockflow.journal;

import io.stockflow.journal.testing.LeakCheckExtension;
import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page lost by a power cut past the last commit: the file header's write position points past
 * records the reader cannot reach, behind a zero document header. Written under {@code OS_CRASH},
 * nothing from there on was acknowledged, so open keeps the records before it and goes on; written
 * under {@code PROCESS_CRASH}, acknowledged records may have been on that page, so open stops.
 */
@ExtendWith(LeakCheckExtension.class)
@Timeout(60)
class PowerCutTailTest
{
    private static final long PAGE = 4096;
    private static final long RECORDS = 3_000;
    private static final long FIRST_LOST = 1_800;

    @TempDir
    Path dir;

    @Test
    void aLostPageInAnOsCrashJournalsUnacknowledgedTailIsCutAndAppendingContinues() throws IOException
    {
        writeAndLoseAPage(Durability.OS_CRASH);
        try (Journal journal = Journal.open(JournalConfig.builder(dir).durability(Durability.OS_CRASH).build()))
        {
            assertEquals(FIRST_LOST - 1, journal.lastSequence());
            assertEquals(1, journal.tailRecovery().quarantinedFiles().size());
            assertTrue(
                journal.tailRecovery().quarantinedFiles().get(0).getFileName().toString().contains(".power-cut-"));
            assertEquals(FIRST_LOST, TestRecords.appendFor(journal.appender(), FIRST_LOST));
            journal.appender().commit();
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= FIRST_LOST; s++)
            {
                assertTrue(reader.readNext(record), "sequence " + s);
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    @Test
    void aRecordWhoseEndWasOnALostPageIsCutWithTheRestOfAnOsCrashJournalsTail() throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).durability(Durability.OS_CRASH).build()))
        {
            for (long s = 1; s <= RECORDS; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            journal.appender().commit();
        }
        JournalRecord record = new JournalRecord();
        long torn = -1;
        long boundary = -1;
        try (JournalReader reader = Journal.openReader(dir))
        {
            while (torn < 0 && reader.readNext(record))
            {
                long end = record.position() + record.payloadLength() + RecordDescriptor.HEADER_LENGTH;
                long nextPage = (record.position() / PAGE + 1) * PAGE;
                if (record.sequence() >= FIRST_LOST && nextPage < end)
                {
                    torn = record.sequence();
                    boundary = nextPage;
                }
            }
        }
        try (FileChannel file = FileChannel.open(record.file().toPath(), StandardOpenOption.WRITE))
        {
            file.write(ByteBuffer.allocate((int)PAGE), boundary);
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).durability(Durability.OS_CRASH).build()))
        {
            assertEquals(torn - 1, journal.lastSequence(), "the record torn by the lost page and all after it cut");
            assertEquals(1, journal.tailRecovery().quarantinedFiles().size());
        }
    }

    @Test
    void aLostPageInAProcessCrashJournalStopsOpenWithItsPosition() throws IOException
    {
        long lostAt = writeAndLoseAPage(Durability.PROCESS_CRASH);
        JournalCorruptionException stopped = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(JournalConfig.builder(dir).build()).close());
        assertEquals(lostAt, stopped.position(), stopped.getMessage());
        assertEquals(FIRST_LOST, stopped.sequence(), stopped.getMessage());
    }

    /* @return the file offset of the first lost record's document header */
    private long writeAndLoseAPage(Durability durability) throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).durability(durability).build()))
        {
            for (long s = 1; s <= RECORDS; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            journal.appender().commit();
        }
        JournalRecord record = new JournalRecord();
        try (JournalReader reader = Journal.openReader(dir))
        {
            while (reader.readNext(record) && record.sequence() < FIRST_LOST)
            {
                assertTrue(record.sequence() < FIRST_LOST);
            }
        }
        long header = record.position() - 4;
        long pageEnd = (header / PAGE + 1) * PAGE;
        try (FileChannel file = FileChannel.open(record.file().toPath(), StandardOpenOption.WRITE))
        {
            file.write(ByteBuffer.allocate((int)(pageEnd - header)), header);
        }
        return header;
    }
}
