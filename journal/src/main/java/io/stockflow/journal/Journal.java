package io.stockflow.journal;

import io.stockflow.journal.internal.BackgroundWorker;
import io.stockflow.journal.internal.CycleFileSyncer;
import io.stockflow.journal.internal.CycleFilesAhead;
import io.stockflow.journal.internal.DiskSpaceGuard;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.internal.JournalMetadata;
import io.stockflow.journal.internal.Pretoucher;
import io.stockflow.journal.internal.WriterLock;
import io.stockflow.journal.internal.WrittenFilesForcer;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A journal directory open for writing: typed, versioned, CRC-framed records on Chronicle Queue,
 * one writer at a time.
 *
 * <p>{@link #open} takes the directory's writer lock, checks the JVM flags and the recorded roll
 * cycle, recovers the crash tail ({@link #tailRecovery()}), gives every cycle file before the
 * current cycle its end-of-file marker (a previous run that stopped, or whose pretoucher created a
 * file it then never wrote to, leaves finished cycles without one, and readers stop at such a
 * cycle), warms the writer's next pages and starts the one background thread (pretouch and
 * free-space checks). {@link #close} undoes all of it, leaving no thread, mapping or file
 * descriptor behind.
 */
public final class Journal implements AutoCloseable
{
    static final String TABLE_STORE_FILE = "metadata.cq4t";

    /**
     * How long a read-only queue waits for a cycle file's first header, ms (Chronicle's default is
     * 10 s). A read-only queue waits only there (it takes no lock). A writer writes a new file's
     * header right after creating it, on the same thread, so a reader that meets a file mid-creation
     * waits microseconds; when the wait runs out, Chronicle treats the cycle as not there yet and the
     * reader reports nothing new, to be read at its next call. A file whose header never comes (its
     * pages lost in a power cut) cost the full wait at every read that crossed it, twice: verifying
     * or salvaging a journal with one lost file between two others took about 47 s
     * ({@code LostOlderCycleFileTest}), where the journal readers' own checks name the lost file
     * anyway.
     */
    static final long READ_ONLY_HEADER_WAIT_MS = 100;

    private final JournalConfig config;
    private final WriterLock writerLock;
    private final SingleChronicleQueue queue;
    private final CycleFileUsage cycleFileUsage;
    // Replaced by an archiver running inside the engine, so readers made afterwards start where it left the history.
    private volatile Optional<JournalHistory> history;
    private final TailRecoveryReport tailRecovery;
    private final ChronicleJournalAppender appender;
    private final Pretoucher pretoucher;
    private final BackgroundWorker backgroundWorker;
    private final WrittenFilesForcer writtenFiles;
    private final Set<ChronicleJournalReader> openReaders = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private Journal(JournalConfig config, WriterLock writerLock, SingleChronicleQueue queue,
        CycleFileUsage cycleFileUsage, Optional<JournalHistory> history, TailRecoveryReport tailRecovery,
        ChronicleJournalAppender appender, Pretoucher pretoucher, BackgroundWorker backgroundWorker,
        WrittenFilesForcer writtenFiles)
    {
        this.config = config;
        this.writerLock = writerLock;
        this.queue = queue;
        this.cycleFileUsage = cycleFileUsage;
        this.history = history;
        this.tailRecovery = tailRecovery;
        this.appender = appender;
        this.pretoucher = pretoucher;
        this.backgroundWorker = backgroundWorker;
        this.writtenFiles = writtenFiles;
    }

    /**
     * Opens a journal for writing, creating the directory if absent.
     *
     * @param config the writer's configuration
     * @return the open journal
     * @throws IllegalStateException      if the JVM lacks a flag Chronicle needs (names it)
     * @throws JournalLockedException     if another writer holds the directory
     * @throws JournalException           if the roll cycle differs from the recorded one
     * @throws JournalCorruptionException if a complete record in the newest file is bad, a damaged
     *                                    document header hides records after it, or an older cycle
     *                                    file's last documents are damaged
     */
    public static Journal open(JournalConfig config)
    {
        JvmFlags.checkChronicleAccess();
        Path directory = config.directory();
        try
        {
            FileDurability.createDirectories(directory);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot create journal directory " + directory + ": " + e.getMessage(), e);
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try
        {
            WriterLock writerLock = WriterLock.acquire(directory);
            opened.add(writerLock);
            JournalMetadata previous =
                JournalMetadata.createOrVerify(directory, RecordDescriptor.CURRENT_FORMAT_VERSION,
                    config.rollCycle(), config.durability());
            QueueMetadataCheck.requireIntact(directory);
            TruncatedCycleFiles.refuse(directory, config.rollCycle());
            List<Path> quarantined = new ArrayList<>(TailRecovery.quarantineIncompleteCycleFiles(directory));
            // Closed before the writer lock and after the queue, on a refusal only.
            opened.add(0, () -> TailRecovery.putBackQuarantined(quarantined));
            boolean repaired = false;
            if (previous.writerDurability() == Durability.OS_CRASH)
            {
                Path aside = PowerCutTail.repair(directory, config.rollCycle());
                if (aside != null)
                {
                    quarantined.add(aside);
                    repaired = true;
                }
            }
            CycleFileUsage cycleFileUsage = new CycleFileUsage();
            SingleChronicleQueue queue = buildQueue(directory, config.rollCycle(), config.timeProvider(), false,
                config.durability() == Durability.OS_CRASH ? SyncMode.ASYNC : SyncMode.NONE, cycleFileUsage);
            opened.add(0, () -> closeQueue(queue));
            Path tableStore = directory.resolve(TABLE_STORE_FILE);
            forceAtOpen(directory, tableStore);
            Optional<JournalHistory> history = JournalHistory.read(directory);
            TailRecoveryReport report = TailRecovery.recover(queue, quarantined, history);
            DiskSpaceGuard diskSpaceGuard = new DiskSpaceGuard(directory, config.minFreeDiskBytes());
            int openCycle = queue.cycle();
            // Below the free-space threshold nothing is written, not even a marker; readers then step
            // over unmarked cycle ends by themselves, and the next open marks them.
            if (diskSpaceGuard.writable())
            {
                CycleEnds.markAllBefore(queue, openCycle, config.durability() == Durability.OS_CRASH, repaired);
            }
            boolean osCrash = config.durability() == Durability.OS_CRASH;
            WrittenFilesForcer writtenFiles = new WrittenFilesForcer(directory, tableStore);
            if (osCrash && previous.writerDurability() != Durability.OS_CRASH)
            {
                // An OS_CRASH commit forces only the cycle it writes to: the older cycles a PROCESS_CRASH
                // writer left may still be in the page cache, and the records released from now on must
                // not sit behind pages a power cut can lose.
                writtenFiles.forceWritten();
                previous.recordOsCrashWriter(directory);
            }
            CycleFilesAhead ahead = osCrash && config.pretouch() ? new CycleFilesAhead(directory, tableStore) : null;
            CycleFileSyncer rangeSyncer = osCrash ? new CycleFileSyncer(queue, directory, tableStore, ahead) : null;
            ChronicleJournalAppender appender = new ChronicleJournalAppender(queue, openCycle, diskSpaceGuard,
                rangeSyncer, report.lastGoodSequence(), report.lastGoodEventTime());
            opened.add(0, appender::close);
            Pretoucher pretoucher = null;
            if (config.pretouch())
            {
                pretoucher =
                    new Pretoucher(queue, config.timeProvider(), diskSpaceGuard, config.pretouchAheadBytes(), ahead);
                opened.add(0, pretoucher);
                pretoucher.warmUp();
            }
            BackgroundWorker worker = new BackgroundWorker(diskSpaceGuard, config.diskCheckIntervalMillis(), pretoucher,
                config.backgroundThreadFactory());
            return new Journal(config, writerLock, queue, cycleFileUsage, history, report, appender, pretoucher,
                worker, writtenFiles);
        }
        catch (Throwable e)
        {
            // Throwable: Chronicle throws some checked exceptions undeclared (StreamCorruptedException from
            // a damaged header), and they must not leave the writer lock and the queue open either.
            for (AutoCloseable resource : opened)
            {
                try
                {
                    resource.close();
                }
                catch (Exception suppressed)
                {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Opens a read-only reader on a journal directory, without the writer lock; it works while a
     * writer (in this or another process) appends, reading up to the current end.
     *
     * @param directory the journal directory
     * @return a reader positioned before the first record
     * @throws JournalNotFoundException if the directory is missing or is not a journal
     */
    public static JournalReader openReader(Path directory)
    {
        JvmFlags.checkChronicleAccess();
        Path normalised = directory.toAbsolutePath().normalize();
        JournalMetadata metadata = JournalMetadata.read(normalised);
        if (!Files.isRegularFile(normalised.resolve(TABLE_STORE_FILE)))
        {
            throw new JournalNotFoundException("no journal at " + normalised + ": the queue metadata is missing");
        }
        if (!cycleFilesIn(normalised))
        {
            // Garbage in the metadata file is refused now; a first header not written yet is the writer's to write.
            QueueMetadataCheck.requireIntact(normalised);
            return new DeferredQueueReader(normalised,
                () -> openReadOnly(normalised, metadata.rollCycle(), JournalHistory.read(normalised)));
        }
        return openReadOnly(normalised, metadata.rollCycle(), JournalHistory.read(normalised));
    }

    /**
     * @param directory a journal directory
     * @return true if it holds at least one cycle file
     * @throws JournalException if the directory cannot be listed
     */
    static boolean cycleFilesIn(Path directory)
    {
        try
        {
            return CycleFiles.anyIn(directory);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot list the journal directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a read-only reader over the whole history: the cycle files archived into
     * {@code archive}, read where they are, then the journal directory's own. Nothing is moved
     * back and neither directory is written.
     *
     * @param directory the journal directory
     * @param archive   its archive directory ({@code stockflow archive --into})
     * @return a reader positioned before the first record of the archive
     * @throws JournalNotFoundException       if either directory is missing or not what it should be
     * @throws JournalArchiveRefusedException if the archive holds another journal's cycles
     */
    public static JournalReader openReader(Path directory, Path archive)
    {
        JvmFlags.checkChronicleAccess();
        Path normalised = directory.toAbsolutePath().normalize();
        JournalMetadata metadata = JournalMetadata.read(normalised);
        Optional<JournalHistory> history = JournalHistory.read(normalised);
        Path archived = FileTree.realOrNormalised(archive);
        if (!Files.isDirectory(archived))
        {
            throw new JournalNotFoundException("no archive at " + archive + ": the directory does not exist");
        }
        String owner = ArchiveDirectory.markerJournalId(archived);
        if (owner == null || history.isEmpty() || !owner.equals(history.get().journalId()))
        {
            throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.FOREIGN, "archive " + archive
                + (owner == null ? " is not a Stockflow archive (no " + JournalArchiver.MARKER_FILE + ")"
                    : " holds the cycles of another journal, not of " + normalised));
        }
        if (!Files.isRegularFile(archived.resolve(TABLE_STORE_FILE)))
        {
            throw new JournalNotFoundException("no archive at " + archive + ": the queue metadata is missing");
        }
        ChronicleJournalReader journal = openReadOnly(normalised, metadata.rollCycle(), history);
        try
        {
            ChronicleJournalReader early = openReadOnly(archived, metadata.rollCycle(), Optional.empty());
            return new ArchivedHistoryReader(early, journal);
        }
        catch (RuntimeException e)
        {
            journal.close();
            throw e;
        }
    }

    private static ChronicleJournalReader openReadOnly(Path directory, JournalRollCycle rollCycle,
        Optional<JournalHistory> history)
    {
        QueueMetadataCheck.requireReadable(directory);
        SingleChronicleQueue queue = buildReadOnlyQueue(directory, rollCycle);
        try
        {
            TruncatedCycleFiles.refuse(queue);
        }
        catch (JournalCorruptionException e)
        {
            closeQueue(queue);
            throw e;
        }
        return new ChronicleJournalReader(queue, history, true, () ->
        {});
    }

    /**
     * The roll cycle an existing journal was created with, so a caller that did not choose one
     * explicitly opens the directory as it was made instead of being refused for a mismatch.
     *
     * @param directory the journal directory
     * @return its recorded roll cycle, or empty when no journal exists there yet
     * @throws JournalException if the metadata file exists but cannot be read
     */
    public static Optional<JournalRollCycle> recordedRollCycle(final Path directory)
    {
        final Path normalised = directory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(normalised.resolve(JournalMetadata.FILE_NAME)))
        {
            return Optional.empty();
        }
        return Optional.of(JournalMetadata.read(normalised).rollCycle());
    }

    /*
     * Once per open, at every durability level: the metadata file, Chronicle's table store and the
     * directory entries of both (and of files recovery moved aside) reach the device before any
     * record is appended, so a power cut can never leave records without the files that read them.
     */
    private static void forceAtOpen(Path directory, Path tableStore)
    {
        try
        {
            FileDurability.forceFile(tableStore);
            FileDurability.forceFile(directory.resolve(JournalMetadata.FILE_NAME));
            FileDurability.forceDirectory(directory);
        }
        catch (IOException e)
        {
            throw new JournalException("cannot make journal " + directory + " durable: " + e.getMessage(), e);
        }
    }

    /**
     * A read-only queue over a journal or archive directory: a reader's, or one for a check that
     * reads the cycle files without a reader. The caller has checked the metadata file's first header.
     */
    static SingleChronicleQueue buildReadOnlyQueue(Path directory, JournalRollCycle rollCycle)
    {
        return buildQueue(directory, rollCycle, null, true, SyncMode.NONE, null);
    }

    /* The caller has checked the metadata file's first header (QueueMetadataCheck) before this builds over it. */
    private static SingleChronicleQueue buildQueue(Path directory, JournalRollCycle rollCycle,
        TimeProvider timeProvider,
        boolean readOnly, SyncMode syncOnUnmap, CycleFileUsage cycleFileUsage)
    {
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(rollCycle.chronicleRollCycle())
            .syncMode(syncOnUnmap)
            .readOnly(readOnly);
        if (readOnly)
        {
            builder.timeoutMS(READ_ONLY_HEADER_WAIT_MS);
        }
        if (cycleFileUsage != null)
        {
            builder.storeFileListener(cycleFileUsage);
        }
        if (timeProvider != null)
        {
            builder.timeProvider(timeProvider);
        }
        return builder.build();
    }

    /*
     * Unmapping a chunk msyncs it first unless the sync mode is NONE. PROCESS_CRASH promises nothing
     * beyond the page cache, so the whole-chunk msync at close would only slow it down; OS_CRASH
     * keeps Chronicle's asynchronous msync on unmap on top of its own per-commit fdatasync.
     */
    private static void closeQueue(SingleChronicleQueue queue)
    {
        queue.close();
        BackgroundResourceReleaser.releasePendingResources();
    }

    /**
     * @return the journal's single appender; it belongs to the first thread that appends
     */
    public JournalAppender appender()
    {
        return appender;
    }

    /**
     * @return a new reader over this journal, positioned before the first record; closed with the
     *         journal if still open then
     */
    public synchronized JournalReader newReader()
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + config.directory() + " is closed");
        }
        ChronicleJournalReader[] holder = new ChronicleJournalReader[1];
        holder[0] = new ChronicleJournalReader(queue, history, false, () -> openReaders.remove(holder[0]));
        openReaders.add(holder[0]);
        return holder[0];
    }

    /** @return the writer's queue, for maintenance under the writer lock ({@link JournalArchiver}) */
    SingleChronicleQueue queue()
    {
        return queue;
    }

    /** @return which cycle files the writer's queue holds mapped (appender, pretoucher, readers) */
    CycleFileUsage cycleFileUsage()
    {
        return cycleFileUsage;
    }

    /** @return where the history in the directory starts now, empty if nothing was archived; any thread */
    public Optional<JournalHistory> history()
    {
        return history;
    }

    /** An archiver moved the start of the history; readers made from now on start there. */
    void historyMoved(JournalHistory moved)
    {
        history = Optional.of(moved);
    }

    /**
     * Forces every record written so far to the device, whatever the durability: {@code fdatasync} of
     * each cycle file that may hold unforced pages, the table store and the directory. For the
     * snapshot thread before it publishes a snapshot, so a snapshot that survives a power cut never
     * covers journal records that did not (see {@link WrittenFilesForcer}). The force write-protects
     * the pages the pretoucher had touched ahead of the writer, so it is asked to touch them again.
     * Works after
     * {@link #close()} too (the files stay); one caller at a time.
     *
     * @throws JournalException if a file cannot be forced
     */
    public void forceWritten()
    {
        writtenFiles.forceWritten();
        if (pretoucher != null)
        {
            pretoucher.retouch();
        }
    }

    /** @return the sequence of the last record appended or recovered, 0 if empty; any thread */
    public long lastSequence()
    {
        return appender.lastSequence();
    }

    /** @return the event time of the last record appended or recovered, 0 if empty; any thread */
    public long lastEventTime()
    {
        return appender.lastEventTime();
    }

    /** @return what {@link #open} found at the end of the journal and removed */
    public TailRecoveryReport tailRecovery()
    {
        return tailRecovery;
    }

    /** @return the configuration the journal was opened with */
    public JournalConfig config()
    {
        return config;
    }

    /** @return pages touched by the pretoucher since open, 0 when pretouch is off; any thread */
    public long pretouchedPages()
    {
        return pretoucher == null ? 0 : pretoucher.pagesTouched();
    }

    /**
     * @return how many times appending moved to a new cycle file since open; any thread
     */
    public long rollOvers()
    {
        return appender.rollOvers();
    }

    /**
     * Stops the background thread, closes open readers and the appender, unmaps every file and
     * releases the writer lock. Idempotent. Call it after the appender's thread has stopped
     * appending.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            backgroundWorker.close();
        }
        finally
        {
            try
            {
                for (ChronicleJournalReader reader : List.copyOf(openReaders))
                {
                    reader.close();
                }
                appender.close();
            }
            finally
            {
                try
                {
                    closeQueue(queue);
                }
                finally
                {
                    writerLock.close();
                }
            }
        }
    }
}
