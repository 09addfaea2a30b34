package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class JournalReadWriteTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static SetTimeProvider clockAt(long millis)
    {
        return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void appendsAndReadsBackEveryFieldOfEveryRecord()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build());
            JournalReader reader = journal.newReader())
        {
            for (long s = 1; s <= 2_000; s++)
            {
                assertEquals(s, TestRecords.appendFor(journal.appender(), s));
            }
            journal.appender().commit();
            JournalRecord record = new JournalRecord(4);
            for (long s = 1; s <= 2_000; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
            assertEquals(2_000, reader.lastSequence());
            assertEquals(2_000, journal.lastSequence());
            assertEquals(TestRecords.eventTimeFor(2_000), journal.lastEventTime());
            assertEquals(2_000, journal.appender().committedSequence());
        }
    }

    @Test
    void sequenceContinuesAfterReopenWithoutGap()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()))
        {
            for (long s = 1; s <= 100; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()))
        {
            assertEquals(100, journal.lastSequence());
            assertEquals(100, journal.tailRecovery().lastGoodSequence());
            assertFalse(journal.tailRecovery().tailWasTorn());
            assertEquals(101, TestRecords.appendFor(journal.appender(), 101));
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 101; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    @Test
    void payloadOffsetAndLengthAreHonoured()
    {
        byte[] buffer = {9, 9, 1, 2, 3, 9};
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build());
            JournalReader reader = journal.newReader())
        {
            journal.appender().append(5, 6, 7, buffer, 2, 3);
            journal.appender().append(8, 6, 7, buffer, 0, 0);
            JournalRecord record = new JournalRecord(1);
            assertTrue(reader.readNext(record));
            assertEquals(3, record.payloadLength());
            assertEquals(1, record.payload()[0]);
            assertEquals(3, record.payload()[2]);
            assertTrue(reader.readNext(record));
            assertEquals(0, record.payloadLength());
            assertEquals(8, record.eventTime());
        }
    }

    @Test
    void readerFromSequenceLandsOnItAcrossRollCycles()
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        JournalConfig config = JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY)
            .timeProvider(clock).pretouch(false).build();
        try (Journal journal = Journal.open(config))
        {
            long s = 1;
            for (int cycle = 0; cycle < 6; cycle++)
            {
                for (int i = 0; i < 97; i++, s++)
                {
                    TestRecords.appendFor(journal.appender(), s);
                }
                clock.advanceMillis(1_000);
            }
            assertTrue(cq4Files() >= 6, "one file per cycle");
            try (JournalReader reader = journal.newReader())
            {
                JournalRecord record = new JournalRecord();
                for (long target : new long[] {1, 2, 96, 97, 98, 194, 195, 300, 485, 582, 17, 1})
                {
                    assertTrue(reader.seekToSequence(target), "seek " + target);
                    assertTrue(reader.readNext(record));
                    TestRecords.assertRecord(target, record);
                    if (target < 582)
                    {
                        assertTrue(reader.readNext(record));
                        TestRecords.assertRecord(target + 1, record);
                    }
                    else
                    {
                        assertFalse(reader.readNext(record));
                    }
                }
                assertFalse(reader.seekToSequence(583));
            }
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(400));
            for (long s = 400; s <= 582; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    @Test
    void readerFromEventTimeLandsOnFirstRecordAtOrAfterIt()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build());
            JournalReader reader = journal.newReader())
        {
            for (long s = 1; s <= 1_000; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToEventTime(TestRecords.eventTimeFor(333)));
            assertTrue(reader.readNext(record));
            TestRecords.assertRecord(333, record);
            assertTrue(reader.seekToEventTime(0));
            assertTrue(reader.readNext(record));
            TestRecords.assertRecord(1, record);
            assertFalse(reader.seekToEventTime(TestRecords.eventTimeFor(1_001)));
        }
    }

    @Test
    void readerFollowsRecordsAppendedAfterItReachedTheEnd()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build());
            JournalReader reader = journal.newReader())
        {
            JournalRecord record = new JournalRecord();
            assertFalse(reader.readNext(record));
            assertEquals(0, reader.lastSequence());
            assertFalse(reader.seekToSequence(1));
            TestRecords.appendFor(journal.appender(), 1);
            assertTrue(reader.readNext(record));
            TestRecords.assertRecord(1, record);
            assertFalse(reader.readNext(record));
            TestRecords.appendFor(journal.appender(), 2);
            assertTrue(reader.readNext(record));
            TestRecords.assertRecord(2, record);
        }
    }

    @Test
    void directoryReaderReadsUpToTheCurrentEndWhileTheWriterAppends()
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            for (long s = 1; s <= 10; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            try (JournalReader reader = Journal.openReader(dir))
            {
                JournalRecord record = new JournalRecord();
                for (long s = 1; s <= 10; s++)
                {
                    assertTrue(reader.readNext(record));
                }
                assertFalse(reader.readNext(record));
                TestRecords.appendFor(journal.appender(), 11);
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(11, record);
                assertEquals(11, reader.lastSequence());
            }
        }
    }

    @Test
    void appendFromASecondThreadIsRefused() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            TestRecords.appendFor(journal.appender(), 1);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try
            {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Future<?> done = other.submit(() ->
                {
                    try
                    {
                        TestRecords.appendFor(journal.appender(), 2);
                    }
                    catch (Throwable t)
                    {
                        thrown.set(t);
                    }
                });
                done.get(10, TimeUnit.SECONDS);
                assertInstanceOf(IllegalStateException.class, thrown.get());
                assertTrue(thrown.get().getMessage().contains(Thread.currentThread().getName()));
            }
            finally
            {
                other.shutdownNow();
                assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(2, TestRecords.appendFor(journal.appender(), 2));
        }
    }

    @Test
    void closeIsIdempotentAndLeavesTheDirectoryReopenable()
    {
        Journal journal = Journal.open(JournalConfig.builder(dir).build());
        TestRecords.appendFor(journal.appender(), 1);
        JournalReader reader = journal.newReader();
        assertNotNull(reader);
        journal.close();
        journal.close();
        try (Journal again = Journal.open(JournalConfig.builder(dir).build()))
        {
            assertEquals(1, again.lastSequence());
        }
    }

    private long cq4Files()
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
        catch (java.io.IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
