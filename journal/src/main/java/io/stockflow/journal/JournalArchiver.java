package io.stockflow.journal;

import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.internal.JournalMetadata;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves (or deletes) the cycle files of a journal that lie wholly before a sequence the caller
 * no longer needs in the directory (the oldest retained snapshot's), so the journal stops growing
 * without bound.
 *
 * <p>It holds the journal's writer lock from {@link #open} to {@link #close}, so no engine starts
 * while files move, and opens the journal as a writer would (tail recovery, end-of-file markers),
 * so every archived file is a finished cycle a reader walks through. It never takes the newest
 * cycle file, nor the cycle holding the kept sequence or any later one, and only a prefix of the
 * cycles: the journal never gets a hole.
 *
 * <p>A move is a copy to a hidden temporary name in the archive, forced, renamed to the final name
 * and the archive directory forced; then the journal's {@link JournalHistory} is rewritten; only
 * then are the files deleted from the journal and its directory forced. A {@code kill -9} or power
 * cut at any point leaves every file in at least one of the two directories, and never a partial
 * file under a cycle file's name in the archive. Chronicle's table stores of both directories are
 * refreshed from their listings so read-only readers see where the cycles now are.
 */
public final class JournalArchiver implements AutoCloseable
{
    /** The marker file in an archive directory naming the journal whose cycles it holds. */
    public static final String MARKER_FILE = ArchiveDirectory.MARKER_FILE;

    private static final int COPY_BLOCK = 64 * 1024;

    private final Path directory;
    private final Journal journal;
    private final JournalReader reader;
    private final SingleChronicleQueue queue;
    private final JournalRollCycle rollCycle;
    private final boolean journalShared;

    private JournalArchiver(final Path directory, final Journal journal, final JournalReader reader,
        final SingleChronicleQueue queue, final JournalRollCycle rollCycle, final boolean journalShared)
    {
        this.directory = directory;
        this.journal = journal;
        this.reader = reader;
        this.queue = queue;
        this.rollCycle = rollCycle;
        this.journalShared = journalShared;
    }

    /**
     * An archiver over a journal its caller holds open for writing (the engine's), so the engine
     * archives while it runs: the caller already holds the writer lock. Besides the rules of
     * {@link #plan}, it never takes a cycle at or after the lowest one the journal's queue holds
     * mapped (Chronicle's store-file listener: the appender, the pretoucher and every reader made
     * by {@link Journal#newReader}), so not the cycle being written nor one a reader has open.
     * {@link #close} leaves the journal open.
     *
     * @param journal the open journal; it must outlive the archiver
     * @return the archiver
     */
    public static JournalArchiver over(final Journal journal)
    {
        final Path normalised = journal.config().directory().toAbsolutePath().normalize();
        return new JournalArchiver(normalised, journal, null, journal.queue(), journal.config().rollCycle(), true);
    }

    /**
     * Takes the journal's writer lock and opens it as its writer would, with its recorded roll
     * cycle and last writer's durability.
     *
     * @param journalDirectory an existing journal directory
     * @return the archiver, holding the lock until closed
     * @throws JournalNotFoundException if there is no journal there
     * @throws JournalLockedException   if an engine holds it
     */
    public static JournalArchiver open(final Path journalDirectory)
    {
        final Path normalised = journalDirectory.toAbsolutePath().normalize();
        final JournalMetadata metadata = JournalMetadata.read(normalised);
        final Durability durability =
            metadata.writerDurability() == null ? Durability.PROCESS_CRASH : metadata.writerDurability();
        final Journal journal = Journal.open(JournalConfig.builder(normalised).rollCycle(metadata.rollCycle())
            .durability(durability).pretouch(false).build());
        return new JournalArchiver(normalised, journal, null, journal.queue(), metadata.rollCycle(), false);
    }

    /**
     * Opens the journal read-only, without the lock, to plan an archival and check an archive
     * directory (a dry run): nothing in the journal is written, not even an end-of-file marker, and
     * {@link #execute} is refused.
     *
     * @param journalDirectory an existing journal directory
     * @return the archiver, for {@link #plan} and {@link #checkArchive} only
     * @throws JournalNotFoundException if there is no journal there
     */
    public static JournalArchiver inspect(final Path journalDirectory)
    {
        final Path normalised = journalDirectory.toAbsolutePath().normalize();
        final JournalMetadata metadata = JournalMetadata.read(normalised);
        final JournalReader reader = Journal.openReader(normalised);
        return new JournalArchiver(normalised, null, reader, ((ChronicleJournalReader)reader).queue(),
            metadata.rollCycle(), false);
    }

    /** @return the journal's last sequence */
    public long lastSequence()
    {
        return journal != null ? journal.lastSequence() : reader.lastSequence();
    }

    /** @return the journal's history record, empty if nothing was archived yet */
    public Optional<JournalHistory> history()
    {
        return JournalHistory.read(directory);
    }

    /**
     * @param keepFromSequence the oldest sequence the directory must keep (the oldest retained
     *                         snapshot's); its cycle and every later one stay
     * @param olderThanMillis  only cycles that ended at least this long before {@code nowMillis}
     * @param nowMillis        the current time, epoch ms
     * @return the cycle files to archive, oldest first, and where the history then starts
     */
    public ArchivePlan plan(final long keepFromSequence, final long olderThanMillis, final long nowMillis)
    {
        final List<CycleFile> cycles = cycleFiles();
        final List<CycleFile> chosen = new ArrayList<>();
        long firstKept = -1;
        final int keepCycle = cycleHolding(cycles, keepFromSequence);
        final int heldCycle = journalShared ? journal.cycleFileUsage().lowestHeldCycle() : Integer.MAX_VALUE;
        for (int i = 0; i < cycles.size(); i++)
        {
            final CycleFile cycle = cycles.get(i);
            final boolean newest = i == cycles.size() - 1;
            if (newest || keepCycle == Integer.MIN_VALUE || cycle.cycle() >= keepCycle || cycle.cycle() >= heldCycle
                || cycle.endMillis() > nowMillis - olderThanMillis)
            {
                firstKept = firstSequenceFrom(cycles, i);
                break;
            }
            chosen.add(cycle);
        }
        return new ArchivePlan(List.copyOf(chosen), firstKept);
    }

    /**
     * Checks an archive directory before anything moves; see {@link ArchiveDirectory#check}.
     *
     * @param journalDirectory the journal directory
     * @param archive          the archive directory, which may not exist yet
     * @throws JournalArchiveRefusedException naming what is wrong
     */
    public static void checkArchive(final Path journalDirectory, final Path archive)
    {
        ArchiveDirectory.check(journalDirectory, archive);
    }

    /**
     * Archives the planned cycles into {@code archive}, or deletes them when it is null.
     *
     * @param plan    from {@link #plan}
     * @param archive the archive directory (checked again here), or null to delete
     * @return the history record now in force
     * @throws JournalException if a file cannot be copied, forced, renamed or deleted; every file
     *                          is then still in the journal or complete in the archive
     */
    public JournalHistory execute(final ArchivePlan plan, final Path archive)
    {
        if (journal == null)
        {
            throw new IllegalStateException("journal " + directory + " was opened read-only, to inspect");
        }
        final Optional<JournalHistory> previous = history();
        if (plan.cycles().isEmpty())
        {
            return previous.orElse(null);
        }
        if (archive != null)
        {
            checkArchive(directory, archive);
        }
        final Path target = archive == null ? null : FileTree.realOrNormalised(archive);
        final String journalId = previous.map(JournalHistory::journalId).orElseGet(JournalHistory::newJournalId);
        long bytes = previous.map(JournalHistory::archivedBytes).orElse(0L);
        for (final CycleFile cycle : plan.cycles())
        {
            bytes += cycle.bytesOnDisk();
        }
        try
        {
            if (target != null)
            {
                FileDurability.createDirectories(target);
                if (previous.isEmpty())
                {
                    new JournalHistory(journalId, firstPresentSequence(), target, 0, 0).write(directory);
                }
                ArchiveDirectory.writeMarker(target, journalId, directory, rollCycle);
                // The archive is a readable (empty) queue before any cycle arrives, so a kill during the first
                // copy leaves a directory that --archive readers accept (kill -9 trials during archival found it).
                refreshListing(target);
                for (final CycleFile cycle : plan.cycles())
                {
                    copyDurably(cycle.file(), target.resolve(cycle.file().getFileName()));
                }
                FileDurability.forceDirectory(target);
                refreshListing(target);
            }
            final JournalHistory history = new JournalHistory(journalId, plan.firstSequenceKept(),
                target == null ? previous.map(JournalHistory::archive).orElse(null) : target,
                previous.map(JournalHistory::archivedCycles).orElse(0L) + plan.cycles().size(), bytes);
            history.write(directory);
            journal.historyMoved(history);
            for (final CycleFile cycle : plan.cycles())
            {
                Files.delete(cycle.file());
            }
            FileDurability.forceDirectory(directory);
            queue.refreshDirectoryListing();
            return history;
        }
        catch (final IOException e)
        {
            throw new JournalException("archiving cycle files of " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** @return every cycle file of the journal, oldest first, with its first sequence */
    public List<CycleFile> cycleFiles()
    {
        queue.refreshDirectoryListing();
        final int first = queue.firstCycle();
        final List<CycleFile> files = new ArrayList<>();
        if (first == Integer.MAX_VALUE)
        {
            return files;
        }
        final RollCycle chronicle = queue.rollCycle();
        final RecordDecoder decoder = new RecordDecoder();
        final JournalRecord record = new JournalRecord();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            for (final long cycle : QueueCycles.existing(queue, first, queue.lastCycle()))
            {
                final Path file = fileOf((int)cycle);
                if (file == null)
                {
                    continue;
                }
                long firstSequence = -1;
                if (tailer.moveToIndex(chronicle.toIndex((int)cycle, 0)))
                {
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        if (dc.isPresent() && tailer.cycle() == cycle)
                        {
                            decoder.decode(dc.wire().bytes(), record, tailer.currentFile(), dc.index());
                            firstSequence = record.sequence();
                        }
                    }
                }
                files.add(new CycleFile(file, (int)cycle, firstSequence, DiskUsage.allocatedBytes(file),
                    (cycle + 1) * rollCycle.lengthMillis()));
            }
        }
        return files;
    }

    private Path fileOf(final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            return store.file().toPath();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    /** The cycle holding {@code sequence}: the last one whose first record is at or before it. */
    private static int cycleHolding(final List<CycleFile> cycles, final long sequence)
    {
        int holding = Integer.MIN_VALUE;
        for (final CycleFile cycle : cycles)
        {
            if (cycle.firstSequence() >= 0 && cycle.firstSequence() <= sequence)
            {
                holding = cycle.cycle();
            }
        }
        return holding;
    }

    private static long firstSequenceFrom(final List<CycleFile> cycles, final int from)
    {
        for (int i = from; i < cycles.size(); i++)
        {
            if (cycles.get(i).firstSequence() >= 0)
            {
                return cycles.get(i).firstSequence();
            }
        }
        return -1;
    }

    private long firstPresentSequence()
    {
        return firstSequenceFrom(cycleFiles(), 0);
    }

    /*
     * Cycle files are sparse (Chronicle maps far more than it fills), so blocks of zeros are skipped
     * rather than written: the copy takes the space the original does, not its apparent size. The
     * zero test is ByteBuffer.mismatch (vectorised), since most of an apparent size is holes.
     */
    private static void copyDurably(final Path source, final Path target) throws IOException
    {
        final Path temporary = target.resolveSibling("." + target.getFileName() + ".partial");
        Files.deleteIfExists(temporary);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
            FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final long size = in.size();
            final ByteBuffer block = ByteBuffer.allocateDirect(COPY_BLOCK);
            final ByteBuffer zeros = ByteBuffer.allocateDirect(COPY_BLOCK);
            long position = 0;
            while (position < size)
            {
                block.clear();
                final int read = in.read(block, position);
                if (read < 0)
                {
                    break;
                }
                block.flip();
                if (block.mismatch(zeros.clear().limit(block.remaining())) >= 0)
                {
                    while (block.hasRemaining())
                    {
                        out.write(block, position + block.position());
                    }
                }
                position += read;
            }
            if (out.size() < size)
            {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
            out.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Chronicle's table store in the archive learns which cycles it holds, for read-only readers. */
    private void refreshListing(final Path archive)
    {
        try (SingleChronicleQueue archived = SingleChronicleQueueBuilder.binary(archive)
            .rollCycle(rollCycle.chronicleRollCycle()).build())
        {
            archived.refreshDirectoryListing();
        }
    }

    /** Releases the journal and its writer lock, unless the journal is its caller's ({@link #over}). */
    @Override
    public void close()
    {
        if (journalShared)
        {
            return;
        }
        if (journal != null)
        {
            journal.close();
        }
        else
        {
            reader.close();
        }
    }

    /**
     * One cycle file.
     *
     * @param file          its path
     * @param cycle         Chronicle's cycle number
     * @param firstSequence the sequence of its first record, -1 if it holds none
     * @param bytesOnDisk   blocks allocated to it, in bytes
     * @param endMillis     when its cycle ended (or will end), epoch ms
     */
    public record CycleFile(Path file, int cycle, long firstSequence, long bytesOnDisk, long endMillis)
    {}

    /**
     * What {@link #plan} chose.
     *
     * @param cycles            the cycle files to archive, oldest first
     * @param firstSequenceKept the first sequence left in the journal directory afterwards
     */
    public record ArchivePlan(List<CycleFile> cycles, long firstSequenceKept)
    {}
}
