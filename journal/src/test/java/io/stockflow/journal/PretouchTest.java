package io.stockflow.journal;

import io.stockflow.journal.internal.BackgroundWorker;
import io.stockflow.journal.testing.TestRecords;
import io.stockflow.journal.testing.Tmpfs;
import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class PretouchTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void pretouchOnAndOffGiveIdenticalRecords()
    {
        Path on = dir.resolve("on");
        Path off = dir.resolve("off");
        int count = 50_000;
        for (Path target : new Path[] {on, off})
        {
            JournalConfig config = JournalConfig.builder(target).pretouch(target == on).pretouchAheadBytes(256 << 10)
                .timeProvider(new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS))).build();
            try (Journal journal = Journal.open(config))
            {
                for (long s = 1; s <= count; s++)
                {
                    TestRecords.appendFor(journal.appender(), s);
                }
                if (target == on)
                {
                    assertTrue(journal.pretouchedPages() > 0);
                }
                else
                {
                    assertEquals(0, journal.pretouchedPages());
                }
            }
        }
        try (JournalReader withPretouch = Journal.openReader(on); JournalReader without = Journal.openReader(off))
        {
            JournalRecord a = new JournalRecord();
            JournalRecord b = new JournalRecord();
            for (long s = 1; s <= count; s++)
            {
                assertTrue(withPretouch.readNext(a));
                assertTrue(without.readNext(b));
                TestRecords.assertRecord(s, a);
                TestRecords.assertRecord(s, b);
                assertEquals(a.position(), b.position(), "same layout in both files");
            }
            assertFalse(withPretouch.readNext(a));
            assertFalse(without.readNext(b));
        }
    }

    @Test
    void concurrentReaderSeesEveryRecordIntactWhilePretouchRuns() throws Exception
    {
        int count = 300_000;
        JournalConfig config = JournalConfig.builder(dir).pretouchAheadBytes(64 << 10).build();
        try (Journal journal = Journal.open(config))
        {
            long warmUpPages = journal.pretouchedPages();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            CountDownLatch readerDone = new CountDownLatch(1);
            Thread reader = new Thread(() ->
            {
                try (JournalReader journalReader = Journal.openReader(dir))
                {
                    JournalRecord record = new JournalRecord();
                    long expected = 1;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (expected <= count && System.nanoTime() < deadline)
                    {
                        if (journalReader.readNext(record))
                        {
                            TestRecords.assertRecord(expected++, record);
                        }
                        else
                        {
                            Thread.onSpinWait();
                        }
                    }
                    assertEquals(count + 1, expected, "reader saw every record");
                }
                catch (Throwable t)
                {
                    readerFailure.set(t);
                }
                finally
                {
                    readerDone.countDown();
                }
            }, "test-concurrent-reader");
            reader.start();
            for (long s = 1; s <= count; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
                if ((s & 63) == 0)
                {
                    journal.appender().commit();
                }
            }
            assertTrue(readerDone.await(90, TimeUnit.SECONDS));
            reader.join(10_000);
            assertNull(readerFailure.get());
            assertTrue(journal.pretouchedPages() > warmUpPages, "pretoucher kept touching while the writer appended");
        }
    }

    @Test
    void pretoucherCreatesAndWarmsTheNextCycleFileBeforeTheRoll() throws Exception
    {
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS));
        JournalConfig config = JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY)
            .timeProvider(clock).pretouchAheadBytes(128 << 10).build();
        try (Journal journal = Journal.open(config); JournalReader reader = journal.newReader())
        {
            for (long s = 1; s <= 100; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            assertEquals(1, cq4Files());
            clock.advanceMillis(900);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cq4Files() < 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(2, cq4Files(), "next cycle's file exists before the roll");
            long pagesBeforeRoll = journal.pretouchedPages();
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 100; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record), "the early next file does not end the current cycle for readers");
            for (long s = 101; s <= 150; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            clock.advanceMillis(100);
            for (long s = 151; s <= 250; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            for (long s = 101; s <= 250; s++)
            {
                assertTrue(reader.readNext(record));
                TestRecords.assertRecord(s, record);
            }
            assertTrue(pagesBeforeRoll > 0);
            assertTrue(reader.seekToSequence(175));
            assertTrue(reader.readNext(record));
            TestRecords.assertRecord(175, record);
        }
    }

    /*
     * Just before a roll the pretoucher warms the next cycle's window as well as the current one's.
     * On a file system with the floor plus two windows free it used to touch down to the floor, and
     * the writer's first record was refused as the disk full (a test on a 96 MiB tmpfs failed in the
     * minutes before each hour). It leaves one window above the floor to the writer.
     */
    @Test
    void thePretoucherLeavesTheWriterAWindowAboveTheFloorBeforeARoll() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 96))
        {
            long hour = TimeUnit.HOURS.toMillis(1);
            long twoSecondsBeforeTheHour = (START_MILLIS / hour + 1) * hour - 2_000;
            SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(twoSecondsBeforeTheHour));
            JournalConfig config = JournalConfig.builder(tmpfs.path().resolve("journal"))
                .rollCycle(JournalRollCycle.HOURLY).timeProvider(clock).build();
            try (Journal journal = Journal.open(config))
            {
                long usable = Files.getFileStore(tmpfs.path()).getUsableSpace();
                assertTrue(usable >= config.minFreeDiskBytes() + config.pretouchAheadBytes() - (1 << 20),
                    "usable " + usable + " after the warm-up");
                for (long s = 1; s <= 1_000; s++)
                {
                    TestRecords.appendFor(journal.appender(), s);
                }
                assertEquals(1_000, journal.lastSequence());
            }
        }
    }

    @Test
    void forcingTheJournalHasThePretoucherTouchItsWindowAgain() throws Exception
    {
        JournalConfig config = JournalConfig.builder(dir).pretouchAheadBytes(256 << 10).build();
        try (Journal journal = Journal.open(config))
        {
            for (long s = 1; s <= 100; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
            journal.appender().commit();
            long warm = awaitStablePretouchedPages(journal);
            assertTrue(warm > 0, "the window ahead of the writer was touched");
            // The force writes the touched pages back and write-protects them: the window is touched again.
            journal.forceWritten();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (journal.pretouchedPages() < warm + (256 << 10) / OS.pageSize() / 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertTrue(journal.pretouchedPages() >= warm + (256 << 10) / OS.pageSize() / 2,
                "touched again after the force: " + journal.pretouchedPages() + " pages, " + warm + " before it");
        }
    }

    private static long awaitStablePretouchedPages(Journal journal) throws InterruptedException
    {
        long previous = -1;
        long pages = journal.pretouchedPages();
        while (pages != previous)
        {
            Thread.sleep(50);
            previous = pages;
            pages = journal.pretouchedPages();
        }
        return pages;
    }

    @Test
    void backgroundThreadIsNamedAndComesFromTheInjectedFactory()
    {
        AtomicReference<Thread> made = new AtomicReference<>();
        JournalConfig config = JournalConfig.builder(dir).backgroundThreadFactory(runnable ->
        {
            Thread thread = new Thread(runnable, "injected-" + BackgroundWorker.PRETOUCH_THREAD_NAME);
            thread.setDaemon(true);
            made.set(thread);
            return thread;
        }).build();
        try (Journal journal = Journal.open(config))
        {
            assertTrue(made.get().isAlive());
            assertTrue(journal.pretouchedPages() > 0, "warm-up at open touched the writer's next pages");
        }
        assertFalse(made.get().isAlive(), "close stops the background thread");
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
