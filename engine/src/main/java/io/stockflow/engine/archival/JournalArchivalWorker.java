package io.stockflow.engine.archival;

import io.stockflow.engine.BackgroundThreadStop;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalArchiver;
import io.stockflow.journal.JournalHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The engine's archiver thread: moves the journal's cycle files that lie wholly before the oldest
 * retained snapshot, and whose cycle ended at least the configured age ago, into the archive
 * directory (or deletes them in delete mode), while the engine runs.
 *
 * <p>Off the hot path: the thread is parked; the snapshot thread {@link #wake}s it after each
 * snapshot (a new snapshot and the retention behind it are what free cycles), and it also looks
 * every {@link #RECHECK_INTERVAL} on its own, since a cycle may come of age without a snapshot. No
 * stage does any of this work, and no stage waits for it: the file work runs against the engine's
 * open journal through {@link JournalArchiver#over}, which never takes the cycle being written nor
 * one a reader of the journal holds (Chronicle's store-file listener), so the appender is never
 * blocked. The engine already holds the directory's writer lock, which is why {@code stockflow
 * archive} is refused while it runs.
 *
 * <p>A pass that fails (an archive disk gone, say) is counted ({@code ARCHIVE_FAILURES}) and logged
 * once per distinct message; every file is then still in the journal or complete in the archive
 * ({@link JournalArchiver#execute}), and the next pass tries again.
 *
 * <p><b>Threading.</b> {@link #doWork} runs on the archiver thread (or a test's); {@link #wake} on any
 * thread; {@link #start} and {@link #close} on the engine's start/close thread.
 */
public final class JournalArchivalWorker implements AutoCloseable
{
    /** How often the archiver looks without being woken. */
    public static final Duration RECHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JournalArchivalWorker.class);
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

    private final Journal journal;
    private final JournalArchiver archiver;
    private final SnapshotStore snapshots;
    private final Path archive;
    private final long olderThanMs;
    private final CountersFile counters;
    private final LongSupplier clockMs;
    private final Thread thread;
    private volatile boolean running = true;

    // Archiver thread only.
    private String lastFailure;

    /**
     * @param journal       the engine's open journal; it outlives the worker.
     * @param snapshots     the engine's snapshots: the oldest usable one bounds what may go.
     * @param archive       the archive directory (checked by the caller at start), or null to delete.
     * @param olderThan     only cycles that ended at least this long ago.
     * @param counters      the engine's counters ({@code archiver} ones).
     * @param clockMs       wall clock, epoch ms (cycle ends are wall-clock times).
     * @param threadFactory makes the archiver thread (an unpinned helper).
     */
    public JournalArchivalWorker(final Journal journal, final SnapshotStore snapshots, final Path archive,
        final Duration olderThan, final CountersFile counters, final LongSupplier clockMs,
        final ThreadFactory threadFactory)
    {
        this.journal = journal;
        this.archiver = JournalArchiver.over(journal);
        this.snapshots = snapshots;
        this.archive = archive;
        this.olderThanMs = olderThan.toMillis();
        this.counters = counters;
        this.clockMs = clockMs;
        this.thread = threadFactory == null ? null : threadFactory.newThread(this::run);
        if (thread != null)
        {
            thread.setDaemon(true);
        }
    }

    /** Starts the archiver thread. */
    public void start()
    {
        thread.start();
    }

    /** Asks the archiver thread for a pass now (after a snapshot); any thread, never blocks. */
    public void wake()
    {
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    private void run()
    {
        final long recheckNs = RECHECK_INTERVAL.toNanos();
        while (running)
        {
            try
            {
                doWork();
                lastFailure = null;
            }
            catch (final RuntimeException e)
            {
                if (!String.valueOf(e.getMessage()).equals(lastFailure))
                {
                    lastFailure = String.valueOf(e.getMessage());
                    LOG.warn("journal archival failed, the cycle files stay in {} and the next pass tries again: {}",
                        journal.config().directory(), e.toString());
                }
            }
            if (running)
            {
                LockSupport.parkNanos(recheckNs);
            }
        }
    }

    /**
     * One pass: archives whatever the policy allows now. Every pass is counted when it begins
     * ({@code ARCHIVE_PASSES_STARTED}) and when it ends ({@code ARCHIVE_PASSES}), whether it moved
     * files, found nothing to do or failed ({@code ARCHIVE_FAILURES}, counted before the end): a
     * thread that read {@code ARCHIVE_PASSES_STARTED} as n after some change to the snapshots knows
     * that pass n + 1 began after it and saw that change once {@code ARCHIVE_PASSES} reaches n + 1.
     *
     * @return how many cycle files were archived.
     * @throws RuntimeException when the pass fails; the files are then where they were.
     */
    public int doWork()
    {
        counters.add(EngineCounter.ARCHIVE_PASSES_STARTED, 1);
        // The counters are release stores: without a full fence the snapshot listing below could be
        // read before the increment is visible, and a waiter that read n after a snapshot's retention
        // could count on pass n + 1 while that pass had listed the snapshots from before.
        VarHandle.fullFence();
        try
        {
            return archiveWhatThePolicyAllows();
        }
        catch (final RuntimeException e)
        {
            counters.add(EngineCounter.ARCHIVE_FAILURES, 1);
            throw e;
        }
        finally
        {
            counters.add(EngineCounter.ARCHIVE_PASSES, 1);
        }
    }

    private int archiveWhatThePolicyAllows()
    {
        final SnapshotMetadata oldest = snapshots.oldestUsable(journal.lastSequence(), (snapshot, why) ->
        {});
        if (oldest == null)
        {
            return 0;
        }
        final long startNs = System.nanoTime();
        final JournalArchiver.ArchivePlan plan = archiver.plan(oldest.lastSequence(), olderThanMs,
            clockMs.getAsLong());
        if (plan.cycles().isEmpty())
        {
            return 0;
        }
        final JournalHistory history = archiver.execute(plan, archive);
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        counters.set(EngineCounter.ARCHIVED_CYCLES, history.archivedCycles());
        counters.set(EngineCounter.ARCHIVED_BYTES, history.archivedBytes());
        counters.add(EngineCounter.ARCHIVE_RUNS, 1);
        LOG.info("{} {} cycle file(s) wholly before snapshot {} in {} ms; the history in {} now starts at sequence {}",
            archive == null ? "deleted" : "archived", plan.cycles().size(), oldest.lastSequence(), tookMs,
            journal.config().directory(), history.firstSequence());
        return plan.cycles().size();
    }

    /** Stops and joins the archiver thread; a pass under way finishes first. Idempotent. */
    @Override
    public void close()
    {
        running = false;
        if (thread == null || !thread.isAlive())
        {
            return;
        }
        if (!BackgroundThreadStop.wakeAndJoin(thread, JOIN_TIMEOUT_MS))
        {
            throw new IllegalStateException("journal archiver thread " + thread.getName() + " did not stop within "
                + JOIN_TIMEOUT_MS + " ms");
        }
    }
}
