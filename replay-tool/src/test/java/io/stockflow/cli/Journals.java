package io.stockflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine directories for the tests: filled through {@code stockflow run}, inspected and damaged on purpose. */
final class Journals
{
    static final long T0 = 1_700_000_000_000L;

    private Journals()
    {
    }

    /** @return the golden input, written to {@code dir/input.jsonl}. */
    static Path goldenInput(final Path dir)
    {
        return Cli.write(dir.resolve("input.jsonl"), Cli.resource("golden/input.jsonl"));
    }

    /** Runs the golden input into {@code dir/engine}, checks it succeeded, and returns the engine directory. */
    static Path goldenEngine(final Path dir)
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", goldenInput(dir).toString(), "--quiet").ok();
        return engine;
    }

    /**
     * @param count how many RESTOCK commands.
     * @return JSON Lines of RESTOCKs with distinct, recognisable values: sku {@code 1000 + i}, qty
     *     {@link #distinctQty}, ts {@code T0 + i}, for i from 1.
     */
    static String restocks(final int count)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++)
        {
            text.append(restock(i)).append('\n');
        }
        return text.toString();
    }

    /** @return the i-th command of {@link #restocks}, exactly as {@code dump} prints it. */
    static String restock(final long i)
    {
        return "{\"ts\":" + (T0 + i) + ",\"type\":\"RESTOCK\",\"sku\":" + (1000 + i) + ",\"qty\":" + distinctQty(i)
            + "}";
    }

    /** @return a valid qty (up to 10^9 for i below 10^8) whose 8 little-endian bytes occur once in a journal. */
    static long distinctQty(final long i)
    {
        return 100_000_000L + i * 7L;
    }

    /** @return the journal's cycle files. */
    static List<Path> cycleFiles(final Path engine)
    {
        try (Stream<Path> files = Files.list(engine.resolve("journal")))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Flips every bit of one byte of the payload of the i-th restock, in whichever cycle file holds it. A run that
     * crosses the hour (the default roll cycle is hourly, by the wall clock) leaves two cycle files.
     *
     * @return the cycle file damaged.
     */
    static Path flipPayloadByteOfRestock(final Path engine, final long i)
    {
        final List<Path> files = cycleFiles(engine);
        final byte[] needle = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(distinctQty(i)).array();
        for (final Path file : files)
        {
            if (flipByteAfter(file, needle))
            {
                return file;
            }
        }
        throw new AssertionError("payload of restock " + i + " not found in " + files);
    }

    /* Flips the byte after the first byte of needle's first occurrence in file; false when needle is absent. */
    private static boolean flipByteAfter(final Path file, final byte[] needle)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer window = ByteBuffer.allocate(1 << 20);
            long base = 0;
            while (base < channel.size())
            {
                window.clear();
                channel.read(window, base);
                window.flip();
                final int at = indexOf(window, needle);
                if (at >= 0)
                {
                    final ByteBuffer one = ByteBuffer.allocate(1);
                    channel.read(one, base + at + 1);
                    one.flip();
                    final byte flipped = (byte)~one.get(0);
                    channel.write(ByteBuffer.wrap(new byte[] {flipped}), base + at + 1);
                    return true;
                }
                if (base + window.limit() >= channel.size())
                {
                    return false;
                }
                // Overlap the windows so a needle across their boundary is found.
                base += window.limit() - needle.length;
            }
            return false;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips every bit of the byte in the middle of a file. */
    static void flipMiddleByte(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long middle = channel.size() / 2;
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, middle);
            one.flip();
            channel.write(ByteBuffer.wrap(new byte[] {(byte)~one.get(0)}), middle);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the only snapshot directory. */
    static Path onlySnapshot(final Path engine)
    {
        try (Stream<Path> entries = Files.list(engine.resolve("snapshots")))
        {
            final List<Path> snapshots = entries.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
                .collect(Collectors.toList());
            assertEquals(1, snapshots.size(), "one snapshot expected: " + snapshots);
            return snapshots.get(0);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** The parameters line a dump from the start begins with, for a directory created with the defaults. */
    static final String DEFAULT_PARAMETERS_LINE =
        "{\"type\":\"RULES\",\"retentionMs\":604800000,\"orderCapacity\":16777216,\"skuCapacity\":1048576}";

    /**
     * @param dumpLines a dump's lines from the start.
     * @return the command lines, without the parameters line dump writes first.
     */
    static List<String> commandLines(final List<String> dumpLines)
    {
        return !dumpLines.isEmpty() && dumpLines.get(0).startsWith("{\"type\":\"RULES\"")
            ? dumpLines.subList(1, dumpLines.size()) : dumpLines;
    }

    /** Checks the journal holds exactly these dump lines, after its parameters line. */
    static void assertJournalHolds(final Path engine, final List<String> expectedDumpLines)
    {
        final Cli.Result dump = Cli.run(engine, "dump").ok();
        assertEquals(expectedDumpLines, commandLines(dump.out.lines().collect(Collectors.toList())), dump::describe);
        final Cli.Result info = Cli.run(engine, "info").ok();
        assertTrue(info.out.contains(expectedDumpLines.isEmpty() ? "records      0"
            : String.format("records      %,d (sequence 1..%d)", expectedDumpLines.size(), expectedDumpLines.size())),
            info::describe);
    }

    private static int indexOf(final ByteBuffer haystack, final byte[] needle)
    {
        outer : for (int i = 0; i <= haystack.limit() - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack.get(i + j) != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
