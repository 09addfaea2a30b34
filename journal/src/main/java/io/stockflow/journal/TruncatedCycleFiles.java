package io.stockflow.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Refuses to read a journal that holds a truncated cycle file, before Chronicle maps it.
 *
 * <p>Chronicle Queue extends every cycle file it writes to its first mapping, one block plus the
 * overlap (80 MiB by default), before it writes a byte there, and only ever lengthens a file. A cycle
 * file shorter than that (but not empty: a file being created is empty for an instant) was cut
 * short after it was written: a partial copy, a full disk during a copy, a damaged file system. A
 * read-only queue maps the missing pages all the same, and the first read of one raises SIGBUS. The
 * JVM reports that fault as an {@link InternalError} at the next safepoint check of compiled code,
 * which may be deep inside Chronicle's reference counting, so the mapping and the descriptor
 * that read held may never be released. Checking the lengths first turns that fault into a
 * {@link JournalCorruptionException} that names the file, with nothing mapped.
 *
 * <p>A writer's open checks too, before it builds its queue: a writable queue would extend a short file
 * with zeros when it maps it, and the records past the cut would then look like a crashed writer's torn
 * tail, removed as if they had never been acknowledged.
 */
final class TruncatedCycleFiles
{
    private TruncatedCycleFiles()
    {
    }

    /**
     * @param directory a writer-locked journal directory, no queue built on it yet, whose metadata file's
     *                  first header was checked ({@link QueueMetadataCheck#requireIntact})
     * @param rollCycle its roll cycle
     * @throws JournalCorruptionException as {@link #refuse(SingleChronicleQueue)}
     */
    static void refuse(Path directory, JournalRollCycle rollCycle)
    {
        if (!Files.isRegularFile(directory.resolve(Journal.TABLE_STORE_FILE)) || !Journal.cycleFilesIn(directory))
        {
            // No cycle file to check, and no read-only queue to build over a header that may not be written yet.
            return;
        }
        try (SingleChronicleQueue queue = Journal.buildReadOnlyQueue(directory, rollCycle))
        {
            refuse(queue);
        }
    }

    /**
     * @param queue a read-only queue just built over the directory, no tailer created on it yet
     * @throws JournalCorruptionException naming the oldest cycle file shorter than Chronicle's first mapping,
     *                                    with its length as the position where it ends
     */
    static void refuse(SingleChronicleQueue queue)
    {
        File[] cycleFiles = queue.file().listFiles((dir, name) -> name.endsWith(CycleFiles.SUFFIX));
        if (cycleFiles == null)
        {
            return;
        }
        Arrays.sort(cycleFiles, Comparator.comparing(File::getName));
        long firstMapping = queue.blockSize() + queue.overlapSize();
        for (File file : cycleFiles)
        {
            long length = file.length();
            if (length > 0 && length < firstMapping)
            {
                throw JournalCorruptionException.atOpen("the cycle file " + file.getName() + " is " + length
                    + " bytes long, shorter than the " + firstMapping + " bytes Chronicle Queue gives every cycle file"
                    + " it writes: it was truncated after it was written (a partial copy, a full disk, a damaged file"
                    + " system), and any records past byte " + length + " are gone. Restore it from a backup or the"
                    + " archive; or, to read the records before the cut, extend a copy of the whole directory's file"
                    + " back to its size (truncate -s " + firstMapping + " FILE) and verify and salvage the copy",
                    file, length);
            }
        }
    }
}
