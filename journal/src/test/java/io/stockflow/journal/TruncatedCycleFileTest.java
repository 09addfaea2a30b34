package io.stockflow.journal;

import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cycle file cut short after it was written is refused by name and length before Chronicle maps it,
 * by readers and by a writer's open alike, and the file is left as it was. Reading it instead faulted on
 * the missing pages, and the fault, delivered at an arbitrary point of Chronicle's code, could leave its
 * mapping and descriptor open for the life of the process: the leak check run after every test catches a
 * regression.
 */
@Timeout(120)
class TruncatedCycleFileTest
{
    private static final int RECORDS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aCycleFileCutShortAnywhereIsRefusedByNameAndLengthWithNothingMappedOrWritten() throws IOException
    {
        Path base = dir.resolve("base");
        try (Journal journal = Journal.open(JournalConfig.builder(base).pretouch(false).build()))
        {
            for (long s = 1; s <= RECORDS; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
        String cycleName = cycleFileIn(base).getName();
        long firstMapping = cycleFileIn(base).length();
        // Inside the file header, inside the index arrays, among the records, and past the records' end.
        for (long cut : new long[] {4, 100, 2_000, 4_095, 4_096, 65_536, 100_000, 262_144, firstMapping - 1})
        {
            Path copy = dir.resolve("cut-" + cut);
            copyJournal(base, copy);
            File truncated = copy.resolve(cycleName).toFile();
            try (RandomAccessFile file = new RandomAccessFile(truncated, "rw"))
            {
                file.setLength(cut);
            }
            JournalCorruptionException byReader =
                assertThrows(JournalCorruptionException.class, () -> Journal.openReader(copy).close());
            assertEquals(truncated.getAbsoluteFile(), byReader.file().getAbsoluteFile());
            assertEquals(cut, byReader.position());
            assertTrue(byReader.getMessage().contains("truncated"), byReader.getMessage());

            JournalCorruptionException byWriter = assertThrows(JournalCorruptionException.class,
                () -> Journal.open(JournalConfig.builder(copy).pretouch(false).build()).close());
            assertEquals(cut, byWriter.position());
            assertEquals(cut, truncated.length(), "a refused open leaves the file as it found it");
            FileTree.deleteRecursively(copy);
        }
    }

    @Test
    void withATruncatedNewestFileMovedAsideTheRecordsOfTheFilesBeforeItReadToTheirEnd() throws IOException
    {
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L));
        JournalConfig config = JournalConfig.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).timeProvider(clock)
            .pretouch(false).build();
        File newest;
        try (Journal journal = Journal.open(config))
        {
            for (long s = 1; s <= 300; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
                if (s % 100 == 0)
                {
                    clock.advanceMillis(1_000);
                }
            }
        }
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            assertTrue(reader.seekToSequence(201));
            assertTrue(reader.readNext(record));
            newest = record.file();
        }
        try (RandomAccessFile file = new RandomAccessFile(newest, "rw"))
        {
            file.setLength(100_000);
        }
        assertThrows(JournalCorruptionException.class, () -> Journal.openReader(dir).close());

        Files.move(newest.toPath(), dir.resolve("aside.bin"));
        try (JournalReader reader = Journal.openReader(dir))
        {
            JournalRecord record = new JournalRecord();
            for (long s = 1; s <= 200; s++)
            {
                assertTrue(reader.readNext(record), "record " + s);
                TestRecords.assertRecord(s, record);
            }
            assertFalse(reader.readNext(record));
        }
    }

    private static File cycleFileIn(Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow().toFile();
        }
    }

    private static void copyJournal(Path from, Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
