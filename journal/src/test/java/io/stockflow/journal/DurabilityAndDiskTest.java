package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DurabilityAndDiskTest
{
    @TempDir
    Path dir;

    @Test
    void osCrashCommitAdvancesTheCommittedSequenceAcrossRollCycles()
    {
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L));
        JournalConfig config = JournalConfig.builder(dir).durability(Durability.OS_CRASH)
            .rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock).build();
        try (Journal journal = Journal.open(config))
        {
            JournalAppender appender = journal.appender();
            for (long s = 1; s <= 100; s++)
            {
                TestRecords.appendFor(appender, s);
            }
            assertEquals(0, appender.committedSequence());
            appender.commit();
            assertEquals(100, appender.committedSequence());
            for (long s = 101; s <= 150; s++)
            {
                TestRecords.appendFor(appender, s);
            }
            clock.advanceMillis(1_000);
            for (long s = 151; s <= 200; s++)
            {
                TestRecords.appendFor(appender, s);
            }
            appender.commit();
            assertEquals(200, appender.committedSequence());
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 200; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
        }
    }

    @Test
    void appendBelowTheFreeDiskThresholdIsRefusedBeforeAnythingIsWritten() throws IOException
    {
        JournalConfig config = JournalConfig.builder(dir).minFreeDiskBytes(Long.MAX_VALUE).pretouch(true).build();
        try (Journal journal = Journal.open(config); JournalReader reader = journal.newReader())
        {
            // Not even the pretoucher writes: a new cycle file's first write on a full file system faults
            // (SIGBUS) in the mapping, which took the JVM down.
            assertEquals(List.of(), cycleFiles(), "no cycle file is created below the floor");
            JournalDiskFullException error = assertThrows(JournalDiskFullException.class,
                () -> TestRecords.appendFor(journal.appender(), 1));
            assertTrue(error.getMessage().contains("minFreeDiskBytes=" + Long.MAX_VALUE), error.getMessage());
            assertEquals(0, journal.lastSequence());
            assertFalse(reader.readNext(new JournalRecord()));
            assertEquals(0, reader.lastSequence());
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()))
        {
            assertEquals(1, TestRecords.appendFor(journal.appender(), 1), "the refused record took no sequence");
        }
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).collect(Collectors.toList());
        }
    }
}
