package io.stockflow.engine.counters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters file's header as a reader checks it: a file of this layout is
 * read; a bad magic, a short file or an unknown layout version is refused with
 * a clear {@link IllegalArgumentException}; a missing file is a
 * {@link NoSuchFileException}.
 */
class CountersReaderTest
{
    @TempDir
    Path directory;

    @Test
    void readsWhatTheEngineCountersWroteIncludingTheHeader() throws Exception
    {
        final Path file = directory.resolve(CountersLayout.FILE_NAME);
        try (CountersFile counters = CountersFile.createFile(file, 1_234L))
        {
            counters.set(EngineCounter.OUTCOME_SEQUENCE, 42);
            counters.add(EngineCounter.JOURNAL_RECORDS, 7);
            counters.max(EngineCounter.LATENCY_P99_NS, 900);
            counters.heartbeat(5_678L);
            final CountersReader.Sample live = new CountersReader(file).read();
            assertEquals(42, live.get(EngineCounter.OUTCOME_SEQUENCE));
            assertEquals(7, live.get(EngineCounter.JOURNAL_RECORDS));
            assertEquals(900, live.get(EngineCounter.LATENCY_P99_NS));
            assertEquals(1_234L, live.startTimeMs());
            assertEquals(5_678L, live.heartbeatMs());
            assertEquals(ProcessHandle.current().pid(), live.pid());
            assertEquals(EngineCounter.values().length, live.counterCount());
            assertTrue(live.has(EngineCounter.RING_CAPACITY));
            assertTrue(live.writerAlive());
            assertFalse(live.closedCleanly());
            counters.markClosed();
        }
        final CountersReader.Sample closed = new CountersReader(file).read();
        assertTrue(closed.closedCleanly());
        assertFalse(closed.writerAlive());
        assertEquals(42, closed.get(EngineCounter.OUTCOME_SEQUENCE));
    }

    @Test
    void refusesAFileWithABadMagic() throws Exception
    {
        final Path file = validFile();
        overwriteLong(file, CountersLayout.MAGIC_OFFSET, 0x0123456789ABCDEFL);
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> new CountersReader(file).read());
        assertTrue(error.getMessage().contains("is not a Stockflow counters file"), error.getMessage());
    }

    @Test
    void refusesAFileTooShortForTheHeader() throws Exception
    {
        final Path file = directory.resolve("short.dat");
        Files.write(file, new byte[] {'S', 'F'});
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> new CountersReader(file).read());
        assertTrue(error.getMessage().contains("is not a Stockflow counters file"), error.getMessage());
    }

    @Test
    void refusesAnUnknownLayoutVersionNamingBothVersions() throws Exception
    {
        final Path file = validFile();
        overwriteLong(file, CountersLayout.VERSION_OFFSET, 99);
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> new CountersReader(file).read());
        assertTrue(error.getMessage().contains("layout version 99")
            && error.getMessage().contains("reads version " + CountersLayout.VERSION), error.getMessage());
    }

    @Test
    void readsAFileOfAnOlderEngineWithFewerCountersAsAbsent() throws Exception
    {
        final Path file = validFile();
        overwriteLong(file, CountersLayout.COUNT_OFFSET, 41);
        final CountersReader.Sample older = new CountersReader(file).read();
        assertEquals(41, older.counterCount());
        assertTrue(older.has(EngineCounter.SNAPSHOT_FAILURES));
        assertFalse(older.has(EngineCounter.RING_CAPACITY));
        assertEquals(0, older.get(EngineCounter.RING_CAPACITY));
    }

    /** The file describes itself: counters are found by label, and labels this version lacks are listed. */
    @Test
    void findsCountersByTheirLabelsAndListsLabelsItDoesNotKnow() throws Exception
    {
        final Path file = directory.resolve(CountersLayout.FILE_NAME);
        try (CountersFile counters = CountersFile.createFile(file, 1L))
        {
            counters.set(EngineCounter.JOURNAL_RECORDS, 11);
            counters.set(EngineCounter.ORDERS, 22);
        }
        final String labelsInFile = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        assertTrue(labelsInFile.contains("JOURNAL_RECORDS") && labelsInFile.contains("ORDERS"));
        final int ordersLine = CountersLayout.counterOffset(EngineCounter.ORDERS.ordinal());
        final byte[] future = "FUTURE_COUNTER".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer label = ByteBuffer.allocate(1 + future.length).put((byte)future.length).put(future).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(label, ordersLine + CountersLayout.LABEL_LENGTH_OFFSET);
        }

        final CountersReader.Sample other = new CountersReader(file).read();

        assertEquals(11, other.get(EngineCounter.JOURNAL_RECORDS));
        assertFalse(other.has(EngineCounter.ORDERS), "its slot now holds another counter");
        assertEquals(0, other.get(EngineCounter.ORDERS));
        assertEquals(List.of("FUTURE_COUNTER"), other.unknownLabels());
        assertEquals(22, other.valueOf("FUTURE_COUNTER"));
    }

    @Test
    void aMissingFileIsNoSuchFile()
    {
        assertThrows(NoSuchFileException.class, () -> new CountersReader(directory.resolve("absent.dat")).read());
    }

    private Path validFile()
    {
        final Path file = directory.resolve(CountersLayout.FILE_NAME);
        try (CountersFile counters = CountersFile.createFile(file, 1L))
        {
            counters.markClosed();
        }
        return file;
    }

    private static void overwriteLong(final Path file, final int offset, final long value) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        Files.write(file, bytes);
    }
}
