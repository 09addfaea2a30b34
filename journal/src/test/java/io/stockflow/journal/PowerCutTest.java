package io.stockflow.journal;

import io.stockflow.journal.testing.LoopExt4;
import io.stockflow.journal.testing.Slow;
import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real power cuts ({@link LoopExt4}) under {@link Durability#OS_CRASH}: every committed record is
 * readable after the cut, and a commit after the device failed throws instead of acknowledging.
 */
@Slow
@Timeout(120)
class PowerCutTest
{
    @TempDir
    Path work;

    @Test
    void recordsCommittedInANewDirectoryAndAcrossARollOverSurviveAPowerCut() throws Exception
    {
        try (LoopExt4 fs = LoopExt4.mount(work, 256))
        {
            Path dir = fs.path().resolve("engine").resolve("journal");
            SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L));
            JournalConfig config = JournalConfig.builder(dir).durability(Durability.OS_CRASH)
                .rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock).pretouch(false).build();
            Journal journal = Journal.open(config);
            try
            {
                JournalAppender appender = journal.appender();
                for (long s = 1; s <= 3_000; s++)
                {
                    TestRecords.appendFor(appender, s);
                    if (s % 1_000 == 0)
                    {
                        appender.commit();
                        clock.advanceMillis(1_000);
                    }
                }
                fs.cutPower();
            }
            finally
            {
                closeAfterCut(journal);
            }
            fs.remount();
            try (JournalReader reader = Journal.openReader(dir))
            {
                JournalRecord record = new JournalRecord();
                for (long s = 1; s <= 3_000; s++)
                {
                    assertTrue(reader.readNext(record), "committed sequence " + s + " lost by the power cut");
                    TestRecords.assertRecord(s, record);
                }
            }
        }
    }

    @Test
    void aCommitAfterTheDeviceFailedThrowsNamingTheFileAndNeverSucceedsLater() throws Exception
    {
        try (LoopExt4 fs = LoopExt4.mount(work, 256))
        {
            Path dir = fs.path().resolve("journal");
            JournalConfig config = JournalConfig.builder(dir).durability(Durability.OS_CRASH).build();
            Journal journal = Journal.open(config);
            try
            {
                JournalAppender appender = journal.appender();
                TestRecords.appendFor(appender, 1);
                appender.commit();
                fs.cutPower();
                TestRecords.appendFor(appender, 2);
                JournalException failure = assertThrows(JournalException.class, appender::commit);
                assertTrue(failure.getMessage().contains("fdatasync of " + dir), failure.getMessage());
                assertEquals(1, appender.committedSequence());
                assertThrows(JournalException.class, appender::commit, "a failed sync must never be retried");
                assertEquals(1, appender.committedSequence());
            }
            finally
            {
                closeAfterCut(journal);
            }
            fs.remount();
            try (JournalReader reader = Journal.openReader(dir))
            {
                JournalRecord record = new JournalRecord();
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(1, record);
                assertFalse(reader.readNext(record) && record.sequence() != 2);
            }
        }
    }

    private static void closeAfterCut(Journal journal)
    {
        try
        {
            journal.close();
        }
        catch (RuntimeException expected)
        {
            // the file system is down: closing may fail, the mappings are released either way
        }
    }
}
