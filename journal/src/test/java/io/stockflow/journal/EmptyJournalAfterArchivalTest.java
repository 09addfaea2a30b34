package io.stockflow.journal;

import io.stockflow.journal.testing.TestRecords;
import net.openhft.chronicle.core.time.SetTimeProvider;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose older cycles were archived, then whose remaining cycle files lost everything (a
 * power cut under PROCESS_CRASH before the newest file was written back): opening it must refuse,
 * naming the lost range, rather than begin again at sequence 1 beside a history that says records
 * from a later sequence on were kept.
 */
@Timeout(60)
class EmptyJournalAfterArchivalTest
{
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @TempDir
    Path archive;

    @Test
    void anEmptyJournalBesideAHistoryRecordIsRefusedAndNothingIsTouched() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS));
        final Path journalDirectory = dir.resolve("journal");
        final JournalConfig config = JournalConfig.builder(journalDirectory)
            .rollCycle(JournalRollCycle.TEST_SECONDLY).pretouch(false).timeProvider(clock).build();
        try (Journal journal = Journal.open(config))
        {
            for (long sequence = 1; sequence <= 30; sequence++)
            {
                assertEquals(sequence, TestRecords.appendFor(journal.appender(), sequence));
                if (sequence % 10 == 0)
                {
                    journal.appender().commit();
                    clock.advanceMillis(1_000);
                }
            }
            try (JournalArchiver archiver = JournalArchiver.over(journal))
            {
                assertEquals(21, archiver.execute(archiver.plan(21, 0, System.currentTimeMillis()), archive)
                    .firstSequence());
            }
        }
        final List<Path> kept = cycleFiles(journalDirectory);
        assertEquals(1, kept.size(), "the cycle holding 21..30 stays: " + kept);
        // What a power cut leaves of a cycle file never written back: its length, all zeros.
        final long length = Files.size(kept.get(0));
        try (FileChannel channel = FileChannel.open(kept.get(0), StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
        try (FileChannel channel = FileChannel.open(kept.get(0), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(4096), length - 4096);
        }
        final List<Path> archived = cycleFiles(archive);
        final String history = Files.readString(journalDirectory.resolve(JournalHistory.FILE_NAME));

        final JournalHistoryMissingException refused =
            assertThrows(JournalHistoryMissingException.class, () -> Journal.open(config).close());
        assertEquals(21, refused.firstMissing());
        assertEquals(Long.MAX_VALUE, refused.lastMissing(), "the end of what was lost is unknown");
        assertEquals(archive, refused.archive());
        assertTrue(refused.getMessage().contains("holds no record, but its " + JournalHistory.FILE_NAME
            + " says the records from sequence 21 on are in it"), refused.getMessage());
        assertEquals(history, Files.readString(journalDirectory.resolve(JournalHistory.FILE_NAME)));
        assertEquals(archived, cycleFiles(archive), "the archive is as it was");
        assertEquals(kept, cycleFiles(journalDirectory),
            "the file of zeros is back where it was and no cycle file was begun at sequence 1");
        assertEquals(length, Files.size(kept.get(0)));
    }

    private static List<Path> cycleFiles(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
