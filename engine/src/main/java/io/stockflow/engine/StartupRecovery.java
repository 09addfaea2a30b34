package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.jfr.RecoveryEvent;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.FileDurability;
import io.stockflow.journal.FileErrors;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalDiskFullException;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The engine's start-up step before any stage exists: creates the directory,
 * resolves the affinity plan, opens the journal (tail recovery) and the counters,
 * writes the run record, removes incomplete and orphaned snapshots, recovers the
 * state (newest valid snapshot + journal tail, one {@link RecoveryEvent} in JFR) and
 * checks that the recovered state ends where the journal does.
 *
 * <p>It owns the resources it opened (journal, counters) until the engine closes
 * them through {@link #close}; when {@link #run()} fails part-way, what it opened so
 * far is still reachable, so the engine can close it.
 *
 * <p><b>Threading.</b> Used by the thread that starts or closes the engine only.
 */
final class StartupRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);

    private final EngineConfig config;
    private final ExpiryRelay expiryRelay;

    private EffectivePlan plan;
    private Journal journal;
    private CountersFile counters;
    private SnapshotStore snapshotStore;
    private Recovery.RecoveryResult recovery;
    private FulfillmentRules rules;
    // The sequence recovery ended at; the rules move on once the stages run.
    private long recoveredThrough;

    /**
     * @param config      the engine's configuration.
     * @param expiryRelay where the rules report expiries; pointed at the replayer while recovering.
     */
    StartupRecovery(final EngineConfig config, final ExpiryRelay expiryRelay)
    {
        this.config = config;
        this.expiryRelay = expiryRelay;
    }

    /*
     * A new directory on a file system below the journal's floor would be left half made: the
     * journal refuses its first record, and on a nearly full file system Chronicle's first write into
     * a mapped cycle file faults. So it is refused before anything is created.
     */
    private static void requireRoomForANewDirectory(final Path directory)
    {
        if (Files.isDirectory(EngineConfig.journalDirectoryOf(directory)))
        {
            return;
        }
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return;
        }
        final long usable;
        try
        {
            usable = Files.getFileStore(existing).getUsableSpace();
        }
        catch (final IOException e)
        {
            // Creating the directory reports what is wrong with the path.
            return;
        }
        if (usable < JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES)
        {
            throw new JournalDiskFullException("cannot create engine directory " + directory + ": its file system has "
                + usable + " bytes usable, below the " + JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES
                + " bytes the journal keeps free (minFreeDiskBytes); nothing was created");
        }
    }

    /**
     * Runs the whole step.
     *
     * @throws IllegalStateException when the recovered state does not end at the journal's end.
     * @throws UncheckedIOException  when the directory cannot be prepared.
     */
    void run()
    {
        final Path directory = config.directory();
        requireRoomForANewDirectory(directory);
        try
        {
            FileDurability.createDirectories(directory);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create engine directory " + directory + ": "
                + FileErrors.describe(e), e);
        }
        EngineDirectoryRecord.writeIfNew(config);
        final CpuInventory cpus = CpuInventory.detect();
        final AffinityPlan requested;
        if (config.affinityPlan() == null)
        {
            // The default plan gives isolated CPUs to the stages of the topology that will run.
            requested = config.pipeline() == null ? AffinityPlan.defaultFor(cpus)
                : AffinityPlan.defaultFor(cpus, config.pipeline().topology());
        }
        else
        {
            requested = config.pipeline() == null ? config.affinityPlan()
                : config.affinityPlan().withTopology(config.pipeline().topology());
        }
        plan = AffinityPlanner.resolve(requested, cpus);

        // Without an explicit choice an existing directory opens with the roll cycle it was created with.
        final JournalRollCycle rollCycle = config.rollCycleExplicit() ? config.rollCycle()
            : Journal.recordedRollCycle(config.journalDirectory()).orElse(config.rollCycle());
        final JournalConfig journalConfig = JournalConfig.builder(config.journalDirectory())
            .rollCycle(rollCycle)
            .durability(config.durability())
            .pretouch(config.pretouch())
            .backgroundThreadFactory(plan.threadFactoryFor(Stages.PRETOUCH))
            .build();
        writeParametersRecordIfNew(journalConfig);
        journal = Journal.open(journalConfig);
        counters = openCounters(directory.resolve(CountersLayout.FILE_NAME));
        EngineRunRecord.write(directory, config, rollCycle);

        snapshotStore = new SnapshotStore(config.snapshotDirectory(), journal::forceWritten);
        removeUnusableSnapshots();
        recover();
    }

    /**
     * A new directory's journal begins with its parameters record (docs/DOMAIN.md "Rule
     * parameters"). Written through a journal opened for this alone, so the engine's own
     * appender stays the journal stage's from its first append.
     *
     * <p>A journal a read-only reader finds a record in is not new, and is not opened twice: a
     * writer's open verifies the whole newest cycle file and warms the pages ahead of its end,
     * which made every restart pay for both twice (0.35 s of the demo's 1.5 s engine start, and
     * in proportion to the records in the newest cycle file, up to an hour of them).
     */
    private void writeParametersRecordIfNew(final JournalConfig journalConfig)
    {
        if (holdsARecord(journalConfig.directory()))
        {
            return;
        }
        try (Journal fresh = Journal.open(journalConfig))
        {
            if (fresh.lastSequence() == 0 && isEmpty(fresh))
            {
                refuseIfSnapshotsOutliveTheJournal(journalConfig.directory());
                ParametersRecord.write(fresh.appender(), config.retentionMs(), config.orderCapacity(),
                    config.skuCapacity());
                fresh.appender().commit();
            }
        }
    }

    /*
     * A journal that holds no record beside published snapshots lost every record they were taken
     * from (cycle files removed by hand, or lost by the disk: the journal is forced before a snapshot
     * is published). Starting would begin a new journal at sequence 1 and then remove every snapshot
     * as past its end: refuse instead, with the missing range, before anything is written.
     */
    private void refuseIfSnapshotsOutliveTheJournal(final Path journalDirectory)
    {
        final List<Path> snapshots = new SnapshotStore(config.snapshotDirectory()).listNewestFirst();
        if (!snapshots.isEmpty())
        {
            throw new JournalHistoryMissingException(journalDirectory, 1, SnapshotStore.sequenceOf(snapshots.get(0)),
                null, false);
        }
    }

    /**
     * @return true if a read-only reader reads a first record; false when it reads none, or meets
     *         anything the writer's open is there to deal with (no journal yet, a damaged or torn
     *         file), which then decides as it always did.
     */
    private static boolean holdsARecord(final Path journalDirectory)
    {
        if (!Files.isDirectory(journalDirectory))
        {
            return false;
        }
        try (JournalReader reader = Journal.openReader(journalDirectory))
        {
            return reader.readNext(new JournalRecord());
        }
        catch (final Exception e)
        {
            // Exception, not JournalException: Chronicle throws some checked exceptions undeclared.
            return false;
        }
    }

    private static boolean isEmpty(final Journal journal)
    {
        try (JournalReader reader = journal.newReader())
        {
            return !reader.readNext(new JournalRecord());
        }
    }

    private CountersFile openCounters(final Path file)
    {
        if (config.counters())
        {
            return CountersFile.createFile(file, System.currentTimeMillis());
        }
        try
        {
            // A counters file left by an earlier run would describe that run while this one works.
            Files.deleteIfExists(file);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete stale counters file " + file + ": " + e.getMessage(), e);
        }
        return CountersFile.inMemory();
    }

    private void removeUnusableSnapshots()
    {
        final int incomplete = snapshotStore.removeIncomplete();
        if (incomplete > 0)
        {
            LOG.warn("removed {} incomplete snapshot(s) left by an earlier crash in {}", incomplete,
                snapshotStore.directory());
        }
        // A snapshot past the journal's end holds events the journal lost (a power cut under
        // PROCESS_CRASH keeps the forced snapshot but not the journal's unwritten pages). Once new
        // commands took the journal past it, it would be loaded as if valid: remove it now.
        for (final String removed : snapshotStore.removeBeyond(journal.lastSequence()))
        {
            LOG.warn("removed snapshot {}: it is past the end of the journal (sequence {})", removed,
                journal.lastSequence());
        }
    }

    private void recover()
    {
        final RecoveryEvent recoveryEvent = new RecoveryEvent();
        recoveryEvent.begin();
        try (JournalReader reader = journal.newReader())
        {
            recovery = Recovery.recover(snapshotStore, reader, listener ->
            {
                expiryRelay.target(listener);
                return new FulfillmentRules(expiryRelay, config.expectedSkus(), config.expectedOrders());
            }, config.logicFailurePolicy(), JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                ReplayProgress.NONE, config.applyProbe(), JournalOrigin.of(config.directory()));
        }
        rules = recovery.replayer().rules();
        warnIfCapacitiesExceedTheHeap();
        // Every replayed event advanced the rules' sequence, including one on which the rules threw under
        // RECORD_AND_CONTINUE (the replayer skips it on the rules' clock).
        recoveredThrough = rules.view().lastSequence();
        commitRecoveryEvent(recoveryEvent, recoveredThrough);
        if (recoveredThrough != journal.lastSequence())
        {
            throw new IllegalStateException("recovered state ends at sequence " + recoveredThrough
                + " but the journal in " + config.journalDirectory() + " ends at " + journal.lastSequence());
        }
    }

    /** A capacity is a limit, not an allocation: say at start when full capacities would not fit this heap. */
    private void warnIfCapacitiesExceedTheHeap()
    {
        final StateView state = rules.view();
        final boolean snapshots = config.periodicSnapshots();
        final long needed = RuleParameters.bytesAtCapacity(state.orderCapacity(), state.skuCapacity(), snapshots);
        final long heap = Runtime.getRuntime().maxMemory();
        if (needed > heap)
        {
            LOG.warn("the capacities (orderCapacity {}, skuCapacity {}; 0 is no limit) cannot fit this heap of {} MiB"
                + " at {} B per held order ({}) and {} B per SKU: the heap may run out before the engine refuses"
                + " with LIMIT_EXCEEDED; lower them with a RULES command or give the JVM more heap",
                state.orderCapacity(), state.skuCapacity(), heap >> 20, RuleParameters.bytesPerHeldOrder(snapshots),
                snapshots ? "with snapshots: live and shadow state" : "snapshots off",
                RuleParameters.BYTES_PER_SKU * (snapshots ? 2 : 1));
        }
    }

    private void commitRecoveryEvent(final RecoveryEvent event, final long recoveredThrough)
    {
        event.end();
        if (event.shouldCommit())
        {
            event.directory = config.directory().toString();
            event.snapshot = recovery.snapshot() == null ? "" : recovery.snapshot().getFileName().toString();
            event.snapshotsSkipped = recovery.skippedSnapshots().size();
            event.eventsReplayed = recovery.replayed().events();
            event.lastSequence = recoveredThrough;
            event.commit();
        }
    }

    /**
     * Closes the journal and unmaps the counters file, keeping the counters' final
     * values readable. Late publishes (refused, but counted) write to the counters'
     * heap copy once detached; the file is unmapped only once no publish can still
     * hold the mapped buffer.
     *
     * @param clean          true to mark the counters file closed cleanly.
     * @param publishersIdle true once no publish is in flight any more.
     */
    void close(final boolean clean, final BooleanSupplier publishersIdle)
    {
        if (journal != null)
        {
            journal.close();
        }
        if (counters != null)
        {
            if (clean)
            {
                counters.markClosed();
            }
            counters.detach();
            if (publishersIdle.getAsBoolean())
            {
                counters.close();
            }
        }
    }

    /**
     * Builds the shadow state: the same state {@link #run()} recovered, rebuilt the same way
     * (the snapshot recovery used, then the journal up to the sequence recovery ended at) in
     * a second instance of the rules, which the snapshot thread then owns. Called once, on the
     * snapshot thread, after {@link #run()}; it reads only what {@link #run()} left (never the
     * live rules, which the logic stage owns by then).
     *
     * @param reader the shadow's own journal reader.
     * @return the replayer holding the shadow state, at the recovered sequence.
     * @throws IllegalStateException if the rebuilt state is not the recovered one (its hash).
     */
    JournalReplayer recoverShadow(final JournalReader reader)
    {
        final JournalReplayer shadow = new JournalReplayer(
            listener -> new FulfillmentRules(listener, config.expectedSkus(), config.expectedOrders()),
            config.logicFailurePolicy(), config.shadowApplyProbe(),
            recovery.snapshot() == null ? JournalOrigin.of(config.directory()) : JournalOrigin.UNRECORDED);
        if (recovery.snapshot() != null)
        {
            try
            {
                SnapshotStore.loadInto(recovery.snapshot(), new StateRestorer(shadow.rules()));
            }
            catch (final InvalidSnapshotException e)
            {
                throw new IllegalStateException("snapshot " + recovery.snapshot() + " loaded at start cannot be "
                    + "loaded again for the shadow state: " + e.getMessage(), e);
            }
        }
        shadow.replay(reader, recoveredThrough, JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
        if (shadow.state().lastSequence() != recoveredThrough)
        {
            throw new IllegalStateException("the shadow state ends at sequence " + shadow.state().lastSequence()
                + " but recovery ended at " + recoveredThrough);
        }
        return shadow;
    }

    /** @return the resolved affinity plan, or null before it was resolved. */
    EffectivePlan plan()
    {
        return plan;
    }

    /** @return the open journal, or null before it was opened. */
    Journal journal()
    {
        return journal;
    }

    /** @return the engine's counters, or null before they were opened. */
    CountersFile counters()
    {
        return counters;
    }

    /** @return the snapshot store, cleaned of unusable snapshots. */
    SnapshotStore snapshotStore()
    {
        return snapshotStore;
    }

    /** @return how the state was recovered. */
    Recovery.RecoveryResult recovery()
    {
        return recovery;
    }

    /** @return the recovered rules and state. */
    FulfillmentRules rules()
    {
        return rules;
    }
}
