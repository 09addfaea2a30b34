package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.ExcerptContext;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A power cut under {@code PROCESS_CRASH} can leave an older cycle file with none of its pages on the
 * device (a file of zeros, its Chronicle header too) while a newer one was written back: the kernel's
 * flusher writes files in no particular order, and a roll forces nothing. Such a file held records.
 * Open used to move it aside as a crashed writer's unfinished newest file and then refuse with "no
 * cycle file holds them (removed by hand?)", and readers said the same: now open and every reader
 * stop at that file, naming it and the sequences lost, and leave the directory as it was, so
 * salvage can copy what comes before it. A file of zeros that held no record (a pretouched cycle
 * the writer rolled past) is still moved aside, and the journal opens.
 */
@Timeout(60)
class LostOlderCycleFileTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void openAndReadersStopAtALostOldestCycleFileAndLeaveTheDirectoryAsItWas() throws Exception
    {
        List<Path> files = writeOneCycleFileEach(100, 200);
        zero(files.get(0));
        for (int attempt = 0; attempt < 2; attempt++)
        {
            assertOpenStopsAtTheLostFileAndLeavesItThere(files.get(0), 1, 101);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalCorruptionException reading =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(new JournalRecord()));
            assertLost(reading, files.get(0), 1, 101);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalCorruptionException seeking =
                assertThrows(JournalCorruptionException.class, () -> reader.seekToSequence(1));
            assertLost(seeking, files.get(0), 1, 101);
        }
    }

    /*
     * A power cut can also leave the newest file damaged (written back while the writer went on
     * appending, its pages in no particular order). Open used to find that damage first and refuse
     * with it, leaving the lost older file moved aside, where no reader would find it: salvage then
     * met "no cycle file holds them (removed by hand?)". The earliest fault is the one named, and a
     * refusing open leaves every file where it was.
     */
    @Test
    void aLostOlderFileIsNamedBeforeDamageInTheNewestOneAndIsLeftInPlace() throws Exception
    {
        List<Path> files = writeOneCycleFileEach(100, 200);
        zeroHeaderOfRecord(150);
        zero(files.get(0));
        assertOpenStopsAtTheLostFileAndLeavesItThere(files.get(0), 1, 101);
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalCorruptionException reading =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(new JournalRecord()));
            assertLost(reading, files.get(0), 1, 101);
        }
    }

    /*
     * Chronicle's tailer, reaching the end of the file before the lost one, opens the lost one and
     * waits for its header at each read that crosses it: Chronicle's default of 10 s made this case
     * take about 47 s; a read-only queue now waits Journal.READ_ONLY_HEADER_WAIT_MS.
     */
    @Test
    void openAndReadersStopAtALostCycleFileBetweenTwoThatHoldRecords() throws Exception
    {
        List<Path> files = writeOneCycleFileEach(100, 200, 300);
        zero(files.get(1));
        assertOpenStopsAtTheLostFileAndLeavesItThere(files.get(1), 101, 201);
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 100; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " before the lost file is read");
                TestRecords.assertRecord(s, record);
            }
            JournalCorruptionException reading =
                assertThrows(JournalCorruptionException.class, () -> reader.readNext(record));
            assertLost(reading, files.get(1), 101, 201);
            assertTrue(reading.readableUpToIt(), "salvage copies the records before the lost file");
        }
    }

    @Test
    void aReadOnlyQueueWaitsATenthOfASecondForAHeaderNotChroniclesTenSeconds() throws Exception
    {
        writeOneCycleFileEach(100);
        try (SingleChronicleQueue queue = Journal.buildReadOnlyQueue(dir, JournalRollCycle.TEST_SECONDLY);
            ExcerptTailer tailer = queue.createTailer())
        {
            long wait = ((ExcerptContext)tailer).timeoutMS();
            // Chronicle adds up to a fifth at random, so that many readers do not time out together.
            assertTrue(wait >= Journal.READ_ONLY_HEADER_WAIT_MS && wait <= Journal.READ_ONLY_HEADER_WAIT_MS * 6 / 5,
                "header wait " + wait + " ms");
        }
    }

    /*
     * A writer creates a cycle file, then writes its header. A reader that meets the newest file in
     * between waits Journal.READ_ONLY_HEADER_WAIT_MS (not Chronicle's 10 s), reports nothing new,
     * and reads the file's records at a later call, once the header is there.
     */
    @Test
    void aReaderMeetingTheNewestFileBeforeItsHeaderReadsNothingNewThenReadsItsRecords() throws Exception
    {
        List<Path> files = writeOneCycleFileEach(100, 200);
        ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
        try (FileChannel channel = FileChannel.open(files.get(1), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.read(header, 0);
            channel.write(ByteBuffer.allocate(Integer.BYTES), 0);
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 100; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " before the newest file is read");
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record), "nothing new while the newest file has no header");
            try (FileChannel channel = FileChannel.open(files.get(1), StandardOpenOption.WRITE))
            {
                channel.write(header.flip(), 0);
            }
            for (long s = 101; s <= 200; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " is read once the header is written");
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    /*
     * Unlike a file of zeros, a file that is not there is missing history, whether a reader's tailer
     * first meets its name in Chronicle's listing or (once a writer's open refreshed the listing)
     * starts at the next file.
     */
    @Test
    void aRemovedOldestCycleFileIsMissingHistoryForOpenAndReadersBeforeAndAfterIt() throws Exception
    {
        List<Path> files = writeOneCycleFileEach(100, 200);
        Files.delete(files.get(0));
        for (int reader = 0; reader < 2; reader++)
        {
            try (JournalReader fromTheStart = Journal.openReader(dir))
            {
                JournalHistoryMissingException missing = assertThrows(JournalHistoryMissingException.class,
                    () -> fromTheStart.readNext(new JournalRecord()));
                assertTrue(missing.getMessage().contains("sequences 1..100 are not in journal"), missing.getMessage());
            }
            assertThrows(JournalHistoryMissingException.class,
                () -> Journal.open(config(clockAt(START_MILLIS + 10_000), false)).close());
        }
    }

    @Test
    void aCycleFileOfZerosThatHeldNoRecordIsStillMovedAsideAndTheJournalOpens() throws Exception
    {
        writeThreeFilesTheMiddleOneEmpty();
        zero(cycleFiles().get(1));
        try (Journal journal = Journal.open(config(clockAt(START_MILLIS + 5_000), true)))
        {
            assertEquals(1, journal.tailRecovery().quarantinedFiles().size());
            assertEquals(200, journal.lastSequence());
        }
        assertEquals(1, CycleFiles.movedAsideIn(dir).size(), "the file stays, moved aside, for inspection");
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 200; s++)
            {
                assertTrue(reader.readNext(record), "record " + s + " is read");
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    @Test
    void anOpenRefusingForOtherDamagePutsBackTheFileOfZerosItHadMovedAside() throws Exception
    {
        writeThreeFilesTheMiddleOneEmpty();
        zeroHeaderOfRecord(150);
        zero(cycleFiles().get(1));
        List<Path> before = directoryListing();
        JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(config(clockAt(START_MILLIS + 5_000), true)).close());
        assertEquals(150, atOpen.sequence(), atOpen.getMessage());
        assertEquals(before, directoryListing(), "open put the file of zeros it had moved aside back");
    }

    /** Records 1..100, a cycle the pretoucher created and the writer rolled past, then 101..200. */
    private void writeThreeFilesTheMiddleOneEmpty() throws Exception
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        try (Journal journal = Journal.open(config(clock, true)))
        {
            appendRange(journal, 1, 100);
            clock.advanceMillis(900);
            awaitCycleFiles(2);
            clock.advanceMillis(1_100);
            awaitCycleFiles(3);
            appendRange(journal, 101, 200);
        }
    }

    /** @return the cycle files of a journal of records 1..last[0] in one second's cycle, then up to last[1] in the next, ... */
    private List<Path> writeOneCycleFileEach(long... last) throws IOException
    {
        SetTimeProvider clock = clockAt(START_MILLIS);
        try (Journal journal = Journal.open(config(clock, false)))
        {
            long from = 1;
            for (long to : last)
            {
                appendRange(journal, from, to);
                clock.advanceMillis(1_000);
                from = to + 1;
            }
        }
        List<Path> files = cycleFiles();
        assertEquals(last.length, files.size());
        return files;
    }

    private void assertOpenStopsAtTheLostFileAndLeavesItThere(Path lost, long firstMissing, long firstPresent)
        throws IOException
    {
        List<Path> before = directoryListing();
        JournalCorruptionException atOpen = assertThrows(JournalCorruptionException.class,
            () -> Journal.open(config(clockAt(START_MILLIS + 10_000), false)).close());
        assertLost(atOpen, lost, firstMissing, firstPresent);
        assertEquals(before, directoryListing(), "open put the file it had moved aside back");
    }

    private static void assertLost(JournalCorruptionException fault, Path lost, long firstMissing, long firstPresent)
    {
        assertEquals(lost.toFile(), fault.file(), fault.getMessage());
        assertEquals(0, fault.position(), fault.getMessage());
        assertEquals(firstMissing, fault.sequence(), fault.getMessage());
        assertTrue(fault.getMessage().contains("sequences " + firstMissing + ".." + (firstPresent - 1)
            + " were in it and are lost"), fault.getMessage());
    }

    private static void appendRange(Journal journal, long from, long to)
    {
        for (long s = from; s <= to; s++)
        {
            assertEquals(s, TestRecords.appendFor(journal.appender(), s));
        }
        journal.appender().commit();
    }

    /** A record whose Chronicle header never reached the device, with published records after it. */
    private void zeroHeaderOfRecord(long sequence) throws IOException
    {
        JournalRecord record = new JournalRecord();
        try (JournalReader reader = Journal.openReader(dir))
        {
            while (reader.readNext(record) && record.sequence() != sequence)
            {
                // reading up to the record
            }
        }
        assertEquals(sequence, record.sequence());
        try (FileChannel channel = FileChannel.open(record.file().toPath(), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(Integer.BYTES), record.position() - Integer.BYTES);
        }
    }

    /** What the device holds of a file none of whose pages were written back: its length, all zeros. */
    private static void zero(Path file) throws IOException
    {
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < size; at += zeros.capacity())
            {
                zeros.clear();
                channel.write(zeros, at);
            }
        }
    }

    private List<Path> cycleFiles() throws IOException
    {
        return CycleFiles.in(dir);
    }

    private List<Path> directoryListing() throws IOException
    {
        try (Stream<Path> list = Files.list(dir))
        {
            return list.filter(file -> !file.getFileName().toString().equals("writer.lock")).sorted().toList();
        }
    }

    private void awaitCycleFiles(int count) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cycleFiles().size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(count, cycleFiles().size(), "the pretoucher created the next cycle's file");
    }

    private JournalConfig config(SetTimeProvider clock, boolean pretouch)
    {
        JournalConfig.Builder builder =
            JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock);
        return pretouch ? builder.pretouchAheadBytes(64 << 10).build() : builder.pretouch(false).build();
    }

    private static SetTimeProvider clockAt(long millis)
    {
        return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
