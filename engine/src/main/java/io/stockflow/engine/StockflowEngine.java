package io.stockflow.engine;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.archival.JournalArchivalWorker;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.CountersSampler;
import io.stockflow.engine.counters.DiskBudget;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.IntervalLatency;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.pipeline.ParallelPipeline;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.pipeline.PipelineParts;
import io.stockflow.engine.pipeline.PipelineTopology;
import io.stockflow.engine.pipeline.SharedLifecycle;
import io.stockflow.engine.pipeline.StateQueryTask;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.RowCapture;
import io.stockflow.engine.shadow.ShadowSnapshots;
import io.stockflow.engine.shadow.StateCheckpoints;
import io.stockflow.engine.snapshot.LiveCaptureSnapshots;
import io.stockflow.engine.snapshot.SnapshotSource;
import io.stockflow.engine.snapshot.SnapshotWrites;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An embedded Stockflow engine: the single-writer Disruptor pipeline of
 * DESIGN.md over one engine directory.
 *
 * <pre>
 *  caller thread (single writer): {@link CommandPublisher}
 *        │  ring (single producer)
 *        ├──► journal stage  ─┐
 *        └──► logic stage    ─┴──► outcome stage ──► {@link OutcomeListener}s
 * </pre>
 *
 * <p>Life cycle: {@link #start()} recovers (newest valid snapshot + journal tail)
 * and starts every stage before it returns, so the first publish already sees the
 * recovered state; {@link #close()} drains with a deadline, snapshots, and stops
 * every thread it started. A journal I/O failure or (by default) an exception from
 * the rules halts the engine fail-stop: publishers are refused with
 * {@link PublishRefusal#ENGINE_HALTED} at once and nothing unjournaled is released.
 *
 * <p>Observability: the counters live in {@code counters.dat} in the engine
 * directory ({@link #counters()}, {@code stockflow stat} from another process),
 * refreshed by the stages and by a sampler thread ({@link CountersSampler}); JFR
 * records recovery, snapshots, halts, back-pressure episodes and journal
 * roll-overs (package {@code io.stockflow.engine.jfr}). The sampler also keeps the journal's
 * disk budget ({@link DiskBudget}).
 *
 * <p>Archival (off by default): with {@link EngineConfig#archives()} a parked background thread
 * ({@link JournalArchivalWorker}), woken by each snapshot, moves or deletes the cycle files wholly
 * before the oldest retained snapshot.
 *
 * <p>Structure: this class is the facade and sequences start and close; the
 * start-up step ({@link StartupRecovery}) opens the directory and recovers the state,
 * the topology ({@link PipelineTopology}: {@link ParallelPipeline} by default,
 * {@link io.stockflow.engine.pipeline.FusedPipeline} on request) owns the
 * ring, the stages and their threads, and {@link CommandPublisher} is the ingress.
 *
 * <p><b>Threading.</b> {@link #start()} and {@link #close()} may be called from any
 * thread (they are serialised); {@link #publisher()} and {@link #query} belong to the
 * single writer; the other accessors may be called from any thread.
 */
public final class StockflowEngine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(StockflowEngine.class);
    private static final Duration FAILED_START_JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final EngineConfig config;
    private final OutcomeListener[] listeners;
    private final LatencyRecorder latencyRecorder;
    private final SharedLifecycle lifecycle = new SharedLifecycle();
    private final ExpiryRelay expiryRelay = new ExpiryRelay();
    private final StartupRecovery startup;

    private PipelineTopology pipeline;
    private CommandPublisher publisher;
    private ShadowSnapshots snapshots;
    private LiveCaptureSnapshots liveSnapshots;
    private CountersSampler sampler;
    private JournalArchivalWorker archiver;
    private boolean closedAfterFailedStart;

    private StockflowEngine(final Builder builder)
    {
        this.config = builder.config;
        this.listeners = builder.listeners.toArray(new OutcomeListener[0]);
        this.latencyRecorder = builder.latencyRecorder;
        this.startup = new StartupRecovery(config, expiryRelay);
    }

    /**
     * @param config the engine's configuration.
     * @return a builder for listeners and probes; {@link Builder#build()} then {@link #start()}.
     */
    public static Builder builder(final EngineConfig config)
    {
        return new Builder(config);
    }

    /**
     * Recovers the state and starts every stage. Returns once the engine takes
     * commands.
     *
     * @return how the state was recovered.
     * @throws IllegalStateException if called twice.
     */
    public synchronized Recovery.RecoveryResult start()
    {
        if (!lifecycle.moveToIf(EngineLifecycle.NEW, EngineLifecycle.STARTING))
        {
            throw new IllegalStateException("engine on " + config.directory() + " was already started (state "
                + lifecycle.get() + "); an engine starts once");
        }
        try
        {
            startup.run();
            startPipeline();
            return startup.recovery();
        }
        catch (final RuntimeException | Error e)
        {
            lifecycle.halt("start failed: " + e.getMessage(), e);
            shutdownAfterFailedStart();
            throw e;
        }
    }

    private void startPipeline()
    {
        final EffectivePlan plan = startup.plan();
        final Journal journal = startup.journal();
        final CountersFile counters = startup.counters();
        final FulfillmentRules rules = startup.rules();
        final boolean live = config.periodicSnapshots() && config.snapshotSource() == SnapshotSource.LIVE_STATE;
        final boolean shadow = config.periodicSnapshots() && !live;
        if (config.archiveDirectory() != null)
        {
            // A bad archive directory (a part of the engine directory, not writable, another journal's) stops the start.
            EngineConfig.checkArchive(config.directory(), config.archiveDirectory());
        }
        final StateCheckpoints checkpoints = shadow ? new StateCheckpoints(config.stateCheckpointEvery()) : null;
        final JournalReader shadowReader = shadow ? journal.newReader() : null;
        snapshots = new ShadowSnapshots(startup.snapshotStore(), counters,
            new ShadowSnapshots.ShadowSettings(config.snapshotEveryEvents(), config.snapshotEveryInterval().toMillis(),
                config.snapshotsRetained(), config.shadowDivergencePolicy()),
            System::currentTimeMillis, journal.appender()::committedSequence, plan.threadFactoryFor(Stages.SNAPSHOT),
            checkpoints, lifecycle, shadow ? () -> startup.recoverShadow(shadowReader) : null, shadowReader);
        if (live)
        {
            liveSnapshots = new LiveCaptureSnapshots(new RowCapture(rules),
                new SnapshotWrites(startup.snapshotStore(), counters, config.snapshotsRetained()), counters,
                config.snapshotEveryEvents(), config.snapshotEveryInterval().toMillis(), System::currentTimeMillis,
                journal.appender()::committedSequence, plan.threadFactoryFor(Stages.SNAPSHOT), rules.view(),
                config.expectedSkus(), config.expectedOrders());
        }
        final IntervalLatency intervalLatency = config.counters() ? new IntervalLatency() : null;
        pipeline = PipelineKind.of(plan.topology())
            .build(new PipelineParts(config.ringSize(), plan, lifecycle, journal, rules,
                config.logicFailurePolicy(), counters, config.counters(), checkpoints, liveSnapshots,
                config.applyProbe(),
                listeners,
                latencyRecorder, intervalLatency));
        expiryRelay.target(pipeline.expiryListener());
        // A query behind the event that halted a stage is never released: fail it at once rather than at close,
        // so a caller waiting on it (the publisher thread, typically) learns of the halt.
        lifecycle.onHalt(() -> pipeline.failUnansweredQueries(haltedBeforeTheAnswer()));

        publisher = new CommandPublisher(pipeline.ring(), lifecycle, counters, config, snapshots.appliedSequence());
        publisher.resumeAfter(journal.lastSequence(), journal.lastEventTime());

        if (config.archives())
        {
            archiver = new JournalArchivalWorker(journal, startup.snapshotStore(), config.archiveDirectory(),
                config.archiveOlderThan(), counters, System::currentTimeMillis, plan.helperThreadFactory("archiver"));
            snapshots.afterSnapshot(archiver::wake);
            if (liveSnapshots != null)
            {
                liveSnapshots.afterSnapshot(archiver::wake);
            }
        }
        counters.set(EngineCounter.ARCHIVED_CYCLES,
            journal.history().map(JournalHistory::archivedCycles).orElse(0L));
        counters.set(EngineCounter.ARCHIVED_BYTES, journal.history().map(JournalHistory::archivedBytes).orElse(0L));
        snapshots.start();
        if (liveSnapshots != null)
        {
            liveSnapshots.start();
        }
        pipeline.start();
        if (archiver != null)
        {
            archiver.start();
        }
        counters.set(EngineCounter.JOURNAL_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.JOURNAL_COMMITTED_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.LOGIC_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.OUTCOME_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.PUBLISHED, journal.lastSequence());
        if (intervalLatency != null)
        {
            startSampler(counters, intervalLatency, plan);
        }
        lifecycle.moveTo(EngineLifecycle.RUNNING);
        final Recovery.RecoveryResult recovery = startup.recovery();
        LOG.info("engine on {} running from sequence {} (recovered {} events in {} ms{})\n{}", config.directory(),
            publisher.nextSequence(), recovery.replayed().events(),
            TimeUnit.NANOSECONDS.toMillis(recovery.elapsedNs()),
            recovery.snapshot() == null ? ", full replay" : " after snapshot " + recovery.snapshot().getFileName(),
            plan.toTable());
    }

    private void startSampler(
        final CountersFile counters, final IntervalLatency intervalLatency, final EffectivePlan plan)
    {
        final PipelineTopology sampled = pipeline;
        final long ringSize = sampled.ring().getBufferSize();
        sampler = new CountersSampler(counters, intervalLatency,
            () -> ringSize - (sampled.ring().getCursor() - sampled.releasedSequence()), System::currentTimeMillis,
            System.nanoTime(), DiskBudget.of(counters, startup.journal(), config.diskFreeWarningBytes()));
        sampler.start(plan.helperThreadFactory("sampler"));
    }

    /**
     * @return the single writer's publisher; the first thread to publish owns it.
     */
    public CommandPublisher publisher()
    {
        requireStarted();
        return publisher;
    }

    /**
     * Runs a read-only query on the logic stage, between two commands, so it sees
     * the state as of every command published before it. The answer is released
     * with the outcomes, after the journal commit that covers those commands, so it
     * never shows a command a crash at the configured durability could undo.
     * Publisher thread only (the query travels through the ring).
     *
     * @param query what to compute.
     * @param <R>   the answer's type.
     * @return the answer, completed on the thread that releases outcomes; failed if the engine is
     *         not running, when a stage halts before the answer was released (at once, on the
     *         halting thread), or when the engine is closed first.
     */
    public <R> CompletableFuture<R> query(final StateQuery<R> query)
    {
        requireStarted();
        final StateQueryTask<R> task = new StateQueryTask<>(query);
        final long ringSequence = publisher.publishQuery(task);
        if (ringSequence < 0)
        {
            task.fail(new IllegalStateException("query refused: " + PublishRefusal.name(ringSequence)));
        }
        else if (lifecycle.get() == EngineLifecycle.HALTED)
        {
            // Claimed before a halt and published after the halt's scan of the ring: no stage answers it now.
            task.fail(haltedBeforeTheAnswer());
        }
        return task.result();
    }

    private IllegalStateException haltedBeforeTheAnswer()
    {
        return new IllegalStateException("query not answered: engine on " + config.directory() + " halted ("
            + lifecycle.haltReason() + ")");
    }

    /**
     * Waits until the outcome of {@code sequence} has been released to the
     * listeners, parking (not spinning) between checks.
     *
     * @param sequence a sequence returned by a publish.
     * @param timeout  how long to wait.
     * @return true once released; false on timeout or when the engine halted first.
     */
    public boolean awaitReleased(final long sequence, final Duration timeout)
    {
        requireStarted();
        final long deadline = System.nanoTime() + timeout.toNanos();
        final CountersFile counters = startup.counters();
        while (counters.get(EngineCounter.OUTCOME_SEQUENCE) < sequence)
        {
            if (lifecycle.get() == EngineLifecycle.HALTED || System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
        return true;
    }

    /**
     * Waits until the shadow state that periodic snapshots come from has been rebuilt at start: the
     * snapshot thread replays the newest snapshot and the journal after it once more, into tables
     * sized like the live ones, after {@link #start()} returned. Until then no periodic snapshot is
     * written and the shadow lag limit counts the whole rebuild. For benchmarks and tests that must
     * not time the rebuild; a service need not call it.
     *
     * @param timeout how long to wait.
     * @return true once rebuilt (or failed: see {@code snapshot_failures}), or with periodic snapshots
     *         off; false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitShadowRebuilt(final Duration timeout) throws InterruptedException
    {
        requireStarted();
        return snapshots.awaitRebuilt(timeout);
    }

    /** @return the last sequence whose outcome was released. */
    public long releasedSequence()
    {
        requireStarted();
        return startup.counters().get(EngineCounter.OUTCOME_SEQUENCE);
    }

    /** @return the current life-cycle state. */
    public EngineLifecycle lifecycle()
    {
        return lifecycle.get();
    }

    /** @return why the engine halted, or null. */
    public String haltReason()
    {
        return lifecycle.haltReason();
    }

    /** @return the exception that halted the engine, or null. */
    public Throwable haltCause()
    {
        return lifecycle.haltCause();
    }

    /** @return the configuration. */
    public EngineConfig config()
    {
        return config;
    }

    /** @return the effective affinity plan (CPUs obtained, wait strategies, fallbacks). */
    public EffectivePlan affinityPlan()
    {
        requireStarted();
        return startup.plan();
    }

    /** @return the engine's live counters. */
    public CountersFile counters()
    {
        requireStarted();
        return startup.counters();
    }

    /** @return how {@link #start()} recovered the state. */
    public Recovery.RecoveryResult recovery()
    {
        requireStarted();
        return startup.recovery();
    }

    /**
     * Drains and stops: closes ingress (moves to DRAINING, then waits until no
     * publish is in flight, so every sequence a publish returned is in the ring),
     * waits (up to the drain timeout) until every stage reached the ring's cursor,
     * takes a snapshot when configured, stops every thread the engine started, fails
     * any query left unanswered, closes the journal and unmaps the counters file
     * (their final values stay readable through {@link #counters()}). Never hangs;
     * idempotent; may be called from any thread.
     *
     * @throws IllegalStateException if a stage did not drain or a thread did not stop in time.
     */
    @Override
    public synchronized void close()
    {
        final EngineLifecycle state = lifecycle.get();
        if (state == EngineLifecycle.NEW)
        {
            lifecycle.moveTo(EngineLifecycle.STOPPED);
            return;
        }
        if (state == EngineLifecycle.STOPPED || (state == EngineLifecycle.HALTED && closedAfterFailedStart))
        {
            return;
        }
        final long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        lifecycle.moveTo(EngineLifecycle.DRAINING);
        final boolean ingressClosed = publisher.awaitIdle(deadline);
        final boolean drained = ingressClosed && lifecycle.get() != EngineLifecycle.HALTED && pipeline.drain(deadline);
        final boolean stopped = pipeline.stop(config.drainTimeout());
        if (liveSnapshots != null)
        {
            // Before the close's snapshot, which supersedes a capture the stages left unfinished.
            liveSnapshots.close();
        }
        if (ingressClosed)
        {
            publisher.finishBackpressureEpisode();
        }
        String problem = closeSampler();
        final String archiverProblem = closeArchiver();
        problem = problem == null ? archiverProblem : problem;
        try
        {
            if (drained && stopped && config.snapshotOnClose() && lifecycle.get() != EngineLifecycle.HALTED)
            {
                snapshots.snapshotNow(startup.rules().view());
            }
        }
        catch (final RuntimeException e)
        {
            problem = "snapshot on close failed: " + e.getMessage();
        }
        finally
        {
            snapshots.close();
            if (stopped)
            {
                pipeline.failUnansweredQueries(new IllegalStateException("query not answered: engine on "
                    + config.directory() + " stopped (" + lifecycle.get() + ") before its answer was released"));
            }
            startup.close(drained && stopped, this::publisherIdleWithinASecond);
        }
        lifecycle.moveTo(EngineLifecycle.STOPPED);
        if (!stopped)
        {
            throw new IllegalStateException("engine on " + config.directory()
                + ": stage threads did not stop within the drain timeout: " + pipeline.aliveThreads());
        }
        if (!drained && lifecycle.get() != EngineLifecycle.HALTED)
        {
            LOG.warn("engine on {} closed before every stage reached the cursor (drain timeout {})",
                config.directory(), config.drainTimeout());
        }
        if (problem != null)
        {
            LOG.warn("engine on {}: {}", config.directory(), problem);
        }
    }

    /** @return true once no publish holds the mapped counters any more (waiting up to a second). */
    private boolean publisherIdleWithinASecond()
    {
        return publisher == null || publisher.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /** @return a problem to report, or null. */
    private String closeSampler()
    {
        if (sampler == null)
        {
            return null;
        }
        try
        {
            sampler.close();
            return null;
        }
        catch (final IllegalStateException e)
        {
            return e.getMessage();
        }
    }

    /** @return a problem to report, or null. */
    private String closeArchiver()
    {
        if (archiver == null)
        {
            return null;
        }
        try
        {
            archiver.close();
            return null;
        }
        catch (final IllegalStateException e)
        {
            return e.getMessage();
        }
    }

    private void shutdownAfterFailedStart()
    {
        if (pipeline != null)
        {
            pipeline.stop(FAILED_START_JOIN_TIMEOUT);
        }
        if (snapshots != null)
        {
            snapshots.close();
        }
        if (liveSnapshots != null)
        {
            liveSnapshots.close();
        }
        closeSampler();
        closeArchiver();
        startup.close(false, this::publisherIdleWithinASecond);
        closedAfterFailedStart = true;
    }

    private void requireStarted()
    {
        if (publisher == null)
        {
            throw new IllegalStateException("engine on " + config.directory() + " is not started");
        }
    }

    /** Collects what an engine reports to; {@link #build()} returns an engine ready to {@link #start()}. */
    public static final class Builder
    {
        private final EngineConfig config;
        private final List<OutcomeListener> listeners = new ArrayList<>();
        private LatencyRecorder latencyRecorder = LatencyRecorder.NONE;

        private Builder(final EngineConfig config)
        {
            this.config = config;
        }

        /** @param listener receives every outcome on the outcome stage's thread. @return this. */
        public Builder outcomeListener(final OutcomeListener listener)
        {
            listeners.add(listener);
            return this;
        }

        /** @param recorder receives per-event stage timestamps. @return this. */
        public Builder latencyRecorder(final LatencyRecorder recorder)
        {
            this.latencyRecorder = recorder;
            return this;
        }

        /** @return an engine, not yet started. */
        public StockflowEngine build()
        {
            return new StockflowEngine(this);
        }
    }
}
