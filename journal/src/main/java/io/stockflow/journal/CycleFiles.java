package io.stockflow.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.Wires;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * The journal's cycle files (Chronicle's {@code .cq4} files, one per roll cycle) in a directory, as the
 * file system lists them: the one place that knows how such a file is named, for every module that looks
 * at a journal, an archive or a copy of either from outside the queue.
 *
 * <p>Not the queue's own view of its cycles ({@code QueueCycles}), which Chronicle's table store keeps and
 * which can name a file that tail recovery moved aside.
 */
public final class CycleFiles
{
    /** The name ending of a cycle file. */
    public static final String SUFFIX = SingleChronicleQueue.SUFFIX;
    /**
     * What follows a cycle file's name once a writer's open moved it aside because its Chronicle
     * header was never completed (then the time in milliseconds).
     */
    public static final String INCOMPLETE_MARK = ".incomplete-";

    private CycleFiles()
    {
    }

    /**
     * @param file a path
     * @return true if its name is a cycle file's (whether or not the file exists)
     */
    public static boolean isCycleFile(Path file)
    {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(SUFFIX);
    }

    /**
     * The file Chronicle names a cycle's file after (its roll cycle's pattern in UTC, the queue's
     * default zone), computed rather than asked for: Chronicle has no store to ask when creating or
     * resizing the file failed, and asking it for a file whose header is not complete waits for one.
     *
     * @param queue the queue
     * @param cycle a cycle of it
     * @return the path of that cycle's file, whether or not it exists
     */
    static File fileOf(SingleChronicleQueue queue, int cycle)
    {
        RollCycle rollCycle = queue.rollCycle();
        String name = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(queue.epoch() + (long)cycle * rollCycle.lengthInMillis()));
        return new File(queue.file(), name + SUFFIX);
    }

    /**
     * @param directory a journal
     * @return the cycle files a writer's open moved aside because their Chronicle header was zero
     *         or not complete ({@code <name>.cq4.incomplete-<millis>}), in name order; kept for
     *         inspection, never read or removed by the journal
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> movedAsideIn(Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().contains(SUFFIX + INCOMPLETE_MARK)).sorted()
                .toList();
        }
    }

    /**
     * Whether a cycle file's Chronicle header is complete, read with plain file I/O: Chronicle waits
     * its timeout for the header of a file whose header is not complete each time it opens it (10 s
     * for a writer's queue, {@link Journal#READ_ONLY_HEADER_WAIT_MS} for a reader's), so open and
     * readers look first and step over such files.
     *
     * @param file a cycle file
     * @return true if its first document is a complete metadata header
     * @throws IOException if it cannot be read
     */
    static boolean hasCompleteHeader(Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            ByteBuffer first = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
            channel.read(first, 0);
            return first.position() == Integer.BYTES && Wires.isReadyMetaData(first.getInt(0));
        }
    }

    /**
     * @param directory a journal, an archive or a copy of either
     * @return its cycle files, in name order (which is cycle order within one roll cycle)
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> in(Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(CycleFiles::isCycleFile).sorted().toList();
        }
    }

    /**
     * @param directory a journal, an archive or a copy of either
     * @return true if it holds at least one cycle file
     * @throws IOException if the directory cannot be listed
     */
    public static boolean anyIn(Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.anyMatch(CycleFiles::isCycleFile);
        }
    }
}
