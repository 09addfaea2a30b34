package io.stockflow.journal.internal;

import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The writer's durability in the journal's metadata is what the next open trusts after a power cut.
 * A switch to OS_CRASH must not be recorded before the files a PROCESS_CRASH writer left are forced:
 * a cut during that force would otherwise leave unforced, torn pages in a journal known as
 * OS_CRASH-written. A switch to PROCESS_CRASH, the weaker claim, is recorded at once.
 */
class JournalMetadataTest
{
    private static final int FORMAT = 1;

    @TempDir
    Path dir;

    @Test
    void aSwitchToOsCrashIsRecordedOnlyWhenTheWriterSaysSoAndASwitchBackAtOnce()
    {
        JournalMetadata.createOrVerify(dir, FORMAT, JournalRollCycle.HOURLY, Durability.PROCESS_CRASH);
        JournalMetadata previous =
            JournalMetadata.createOrVerify(dir, FORMAT, JournalRollCycle.HOURLY, Durability.OS_CRASH);
        assertEquals(Durability.PROCESS_CRASH, previous.writerDurability());
        assertEquals(Durability.PROCESS_CRASH, JournalMetadata.read(dir).writerDurability(),
            "not yet recorded: nothing is forced");
        previous.recordOsCrashWriter(dir);
        assertEquals(Durability.OS_CRASH, JournalMetadata.read(dir).writerDurability());

        JournalMetadata.createOrVerify(dir, FORMAT, JournalRollCycle.HOURLY, Durability.PROCESS_CRASH);
        assertEquals(Durability.PROCESS_CRASH, JournalMetadata.read(dir).writerDurability());
    }

    @Test
    void anOsCrashOpenOfAProcessCrashJournalRecordsOsCrashOnceOpen()
    {
        try (Journal journal = Journal.open(config(Durability.PROCESS_CRASH)))
        {
            TestRecords.appendFor(journal.appender(), 1);
            journal.appender().commit();
        }
        try (Journal journal = Journal.open(config(Durability.OS_CRASH)))
        {
            assertEquals(Durability.OS_CRASH, JournalMetadata.read(dir).writerDurability());
            assertEquals(1, journal.lastSequence());
        }
    }

    private JournalConfig config(Durability durability)
    {
        return JournalConfig.builder(dir).durability(durability).pretouch(false).build();
    }
}
