package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalArchiver#over}: archiving the cycle files of a journal its writer holds open (the
 * engine's), never the cycle being written nor one a reader of the journal holds, with the
 * journal still taking records afterwards and readers made later starting where the history now
 * starts.
 */
@Timeout(60)
class ArchiverOverOpenJournalTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @TempDir
    Path archive;

    @Test
    void archivesOnlyTheCyclesBeforeTheOneAReaderHoldsAndTheJournalGoesOnTakingRecords()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS));
        final Path journalDirectory = dir.resolve("journal");
        try (Journal journal = Journal.open(JournalConfig.builder(journalDirectory)
            .rollCycle(JournalRollCycle.TEST_SECONDLY).pretouch(false).timeProvider(clock).build()))
        {
            for (int cycle = 0; cycle < 5; cycle++)
            {
                appendRange(journal, cycle * 10L + 1, cycle * 10L + 10);
                clock.advanceMillis(1_000);
            }
            final JournalArchiver archiver = JournalArchiver.over(journal);
            final JournalRecord record = new JournalRecord();
            final JournalReader reader = journal.newReader();
            assertTrue(reader.seekToSequence(15));
            assertTrue(reader.readNext(record));
            final long now = System.currentTimeMillis();

            final JournalArchiver.ArchivePlan held = archiver.plan(45, 0, now);
            assertEquals(List.of(1L), firstSequences(held), "only the cycle before the one the reader is in");
            final JournalHistory first = archiver.execute(held, archive);
            assertEquals(11, first.firstSequence());
            assertEquals(first, journal.history().orElseThrow(), "the open journal knows where its history starts");
            assertTrue(reader.readNext(record), "the reader goes on reading its cycle");
            assertEquals(16, record.sequence());
            reader.close();

            final JournalArchiver.ArchivePlan released = archiver.plan(45, 0, now);
            assertEquals(List.of(11L, 21L, 31L), firstSequences(released),
                "once released, every cycle before the one holding the kept sequence; never the one written");
            assertEquals(41, archiver.execute(released, archive).firstSequence());
            archiver.close();

            appendRange(journal, 51, 60);
            try (JournalReader later = journal.newReader())
            {
                assertTrue(later.readNext(record));
                assertEquals(41, record.sequence(), "a reader made now starts where the history in the directory does");
            }
        }
        try (JournalReader whole = Journal.openReader(journalDirectory, archive))
        {
            final JournalRecord record = new JournalRecord();
            for (long sequence = 1; sequence <= 60; sequence++)
            {
                assertTrue(whole.readNext(record), "record " + sequence + " is in the archive or the directory");
                TestRecords.assertRecord(sequence, record);
            }
            assertFalse(whole.readNext(record));
        }
    }

    private static List<Long> firstSequences(final JournalArchiver.ArchivePlan plan)
    {
        return plan.cycles().stream().map(JournalArchiver.CycleFile::firstSequence).toList();
    }

    private static void appendRange(final Journal journal, final long from, final long to)
    {
        for (long s = from; s <= to; s++)
        {
            assertEquals(s, TestRecords.appendFor(journal.appender(), s));
        }
        journal.appender().commit();
    }
}
