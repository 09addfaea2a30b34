package io.stockflow.journal.internal;

import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.FileDurability;
import io.stockflow.journal.JournalException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Forces every record written to a journal directory so far to the device, from a thread that is
 * not the writer's: {@code fdatasync} of each cycle file that may hold pages not yet forced, then of
 * Chronicle's table store and of the directory.
 *
 * <p><b>Why.</b> Under {@code PROCESS_CRASH} a commit forces nothing, but a snapshot is forced before
 * it is published. Without this, a power cut could keep a snapshot at sequence S and lose journal
 * records before S: start-up would then drop the snapshot as past the journal's end, and if the
 * archiver had removed the older cycles on the snapshot's word, the history with it. Forcing the
 * journal before a snapshot is published makes "this snapshot survived" imply "the records it
 * covers survived". It also brings the older cycle files of a directory a {@code PROCESS_CRASH}
 * writer left behind to the device before an {@code OS_CRASH} writer releases its first outcome.
 *
 * <p><b>Which files.</b> The first call forces every cycle file. Later calls skip a file whose
 * modification time is still the one it had at its last force, if that time was more than
 * {@link #SETTLE_MILLIS} before the force began. A write to a shared mapping after its pages were
 * written back faults and updates the modification time, so a changed file is always forced again;
 * the margin covers a write in the same coarse clock tick as the force, which would not move it.
 * Chronicle's rolled files thus cost one {@code fdatasync} each, once.
 *
 * <p>A cycle file the archiver removes between the listing and its force is skipped: the archiver
 * forced its copy (or deleted it on purpose) before removing it.
 *
 * <p>One caller at a time (the snapshot thread, or the engine's closing thread once that has
 * stopped); {@link #forceWritten} is synchronized for that.
 */
public final class WrittenFilesForcer
{
    /** How long before a force a file must have last changed for an unchanged time to prove it clean. */
    static final long SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(1);

    private final Path directory;
    private final Path tableStore;
    private final LongSupplier wallClockMs;
    private final FileForce force;
    private final Map<Path, FileTime> settled = new HashMap<>();

    /** Forces one file; a seam for tests, which count the files forced. */
    @FunctionalInterface
    public interface FileForce
    {
        /**
         * @param file the file to force
         * @throws IOException if the device reports an error
         */
        void force(Path file) throws IOException;
    }

    /**
     * @param directory  the journal directory
     * @param tableStore Chronicle's table store in it
     */
    public WrittenFilesForcer(final Path directory, final Path tableStore)
    {
        this(directory, tableStore, System::currentTimeMillis, FileDurability::forceFile);
    }

    /**
     * @param directory   the journal directory
     * @param tableStore  Chronicle's table store in it
     * @param wallClockMs the clock file modification times are compared with
     * @param force       forces one file
     */
    public WrittenFilesForcer(final Path directory, final Path tableStore, final LongSupplier wallClockMs,
        final FileForce force)
    {
        this.directory = directory;
        this.tableStore = tableStore;
        this.wallClockMs = wallClockMs;
        this.force = force;
    }

    /**
     * Forces every record written so far, then the table store and the directory.
     *
     * @return the cycle files forced by this call
     * @throws JournalException if a file cannot be listed or forced
     */
    public synchronized List<Path> forceWritten()
    {
        final long startMs = wallClockMs.getAsLong();
        final List<Path> forced = new ArrayList<>();
        try
        {
            final List<Path> cycleFiles = cycleFiles();
            settled.keySet().retainAll(cycleFiles);
            for (final Path file : cycleFiles)
            {
                final FileTime modified;
                try
                {
                    modified = Files.getLastModifiedTime(file);
                    if (modified.equals(settled.get(file)))
                    {
                        continue;
                    }
                    force.force(file);
                }
                catch (final IOException e)
                {
                    if (removedMeanwhile(e))
                    {
                        // The archiver moved it away after the listing: its copy was forced before it went.
                        settled.remove(file);
                        continue;
                    }
                    throw e;
                }
                forced.add(file);
                if (modified.toMillis() < startMs - SETTLE_MILLIS)
                {
                    settled.put(file, modified);
                }
                else
                {
                    settled.remove(file);
                }
            }
            force.force(tableStore);
            FileDurability.forceDirectory(directory);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot force the records written to journal " + directory + ": "
                + e.getMessage(), e);
        }
        return forced;
    }

    private static boolean removedMeanwhile(final IOException e)
    {
        return e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException;
    }

    private List<Path> cycleFiles() throws IOException
    {
        return CycleFiles.in(directory);
    }
}
