package io.stockflow.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
