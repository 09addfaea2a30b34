package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With pretouch on, the pretoucher creates the next cycle's file before the roll. A writer that
 * stops before rolling into it (or appends nothing in that cycle) leaves finished cycles without
 * Chronicle's end-of-file marker and an empty file between its records and the next ones; readers
 * must still see every record.
 */
@Timeout(60)
class RestartAcrossCyclesTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readersSeeEveryRecordAfterARestartInALaterCycleBehindAnEarlyPretouchedFile() throws Exception
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        try (Journal journal = Journal.open(config(clock)))
        {
            appendRange(journal, 1, 100);
            clock.advanceMillis(900);
            awaitCq4Files(2);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            assertReads(reader, 1, 100);
        }
        try (Journal journal = Journal.open(config(clockAt(START_MILLIS + 3_000))))
        {
            assertEquals(100, journal.lastSequence());
            appendRange(journal, 101, 200);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            assertEquals(200, reader.lastSequence());
            assertReads(reader, 1, 200);
        }
        try (Journal journal = Journal.open(config(clockAt(START_MILLIS + 5_000)));
            JournalReader reader = journal.newReader())
        {
            assertEquals(200, journal.lastSequence());
            assertReads(reader, 1, 200);
        }
    }

    @Test
    void aReaderFollowingTheWriterSeesEveryRecordWhenTheWriterSkippedAnEarlyPretouchedCycle() throws Exception
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        try (Journal journal = Journal.open(config(clock));
            JournalReader follower = journal.newReader();
            JournalReader directoryReader = Journal.openReader(dir))
        {
            appendRange(journal, 1, 100);
            assertReads(follower, 1, 100);
            clock.advanceMillis(900);
            awaitCq4Files(2);
            clock.advanceMillis(1_100);
            awaitCq4Files(3);
            appendRange(journal, 101, 200);
            assertReads(follower, 101, 200);
            assertReads(directoryReader, 1, 200);
        }
    }

    @Test
    void openMovesAsideANewestCycleFileWithAnIncompleteHeaderAndReadersStillSeeEveryRecord() throws Exception
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        try (Journal journal = Journal.open(config(clock)))
        {
            appendRange(journal, 1, 100);
            clock.advanceMillis(900);
            awaitCq4Files(2);
        }
        Path newest;
        try (Stream<Path> files = Files.list(dir))
        {
            newest = files.filter(p -> p.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        // A writer killed while creating this file leaves its file header incomplete: open moves it
        // aside, but Chronicle's table store still names it as the highest cycle.
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(newest,
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(4), 0);
        }
        try (Journal journal = Journal.open(config(clockAt(START_MILLIS + 3_000))))
        {
            assertEquals(1, journal.tailRecovery().quarantinedFiles().size());
            assertEquals(100, journal.lastSequence());
            appendRange(journal, 101, 150);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            assertReads(reader, 1, 150);
        }
    }

    private static void appendRange(Journal journal, long from, long to)
    {
        for (long s = from; s <= to; s++)
        {
            assertEquals(s, TestRecords.appendFor(journal.appender(), s));
        }
        journal.appender().commit();
    }

    private static void assertReads(JournalReader reader, long from, long to)
    {
        JournalRecord record = new JournalRecord();
        for (long s = from; s <= to; s++)
        {
            assertTrue(reader.readNext(record), "record " + s + " is read");
            TestRecords.assertRecord(s, record);
        }
        assertFalse(reader.readNext(record), "the journal ends at " + to);
    }

    private JournalConfig config(SetTimeProvider clock)
    {
        return JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock)
            .pretouchAheadBytes(64 << 10).build();
    }

    private static SetTimeProvider clockAt(long millis)
    {
        return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private void awaitCq4Files(long count) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cq4Files() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(count, cq4Files(), "the pretoucher created the cycle's file before the writer appended in it");
    }

    private long cq4Files()
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
        catch (IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
