package io.stockflow.engine;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersSampler;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.IntervalLatency;
import io.stockflow.engine.jfr.RecoveryEvent;
import io.stockflow.engine.pipeline.CommandSlot;
import io.stockflow.engine.pipeline.JournalStage;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.pipeline.LogicStage;
import io.stockflow.engine.pipeline.OutcomeStage;
import io.stockflow.engine.pipeline.SharedLifecycle;
import io.stockflow.engine.pipeline.StageFailures;
import io.stockflow.engine.pipeline.StateQueryTask;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.snapshot.SnapshotScheduler;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.FileDurability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * roll-overs (package {@code io.stockflow.engine.jfr}).
 */
public final class StockflowEngine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(StockflowEngine.class);

    private final EngineConfig config;
    private final OutcomeListener[] listeners;
    private final LatencyRecorder latencyRecorder;
    private final SharedLifecycle lifecycle = new SharedLifecycle();
    private final ExpiryRelay expiryRelay = new ExpiryRelay();
    private final List<Thread> stageThreads = new ArrayList<>();

    private Journal journal;
    private CountersFile counters;
    private EffectivePlan plan;
    private FulfillmentRules rules;
    private RingBuffer<CommandSlot> ring;
    private CommandPublisher publisher;
    private SnapshotScheduler snapshots;
    private CountersSampler sampler;
    private Recovery.RecoveryResult recovery;
    private final List<BatchEventProcessor<CommandSlot>> processors = new ArrayList<>();
    private BatchEventProcessor<CommandSlot> logicProcessor;
    private BatchEventProcessor<CommandSlot> outcomeProcessor;

    private StockflowEngine(final Builder builder)
    {
        this.config = builder.config;
        this.listeners = builder.listeners.toArray(new OutcomeListener[0]);
        this.latencyRecorder = builder.latencyRecorder;
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
            startStages();
            return recovery;
        }
        catch (final RuntimeException | Error e)
        {
            lifecycle.halt("start failed: " + e.getMessage(), e);
            shutdownAfterFailedStart();
            throw e;
        }
    }

    private void startStages()
    {
        final Path directory = config.directory();
        try
        {
            FileDurability.createDirectories(directory);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create engine directory " + directory + ": " + e.getMessage(), e);
        }
        final CpuInventory cpus = CpuInventory.detect();
        final AffinityPlan requested = config.affinityPlan() != null ? config.affinityPlan()
            : AffinityPlan.defaultFor(cpus);
        plan = AffinityPlanner.resolve(requested, cpus);

        journal = Journal.open(JournalConfig.builder(config.journalDirectory())
            .rollCycle(config.rollCycle())
            .durability(config.durability())
            .pretouch(config.pretouch())
            .backgroundThreadFactory(plan.threadFactoryFor(Stages.PRETOUCH))
            .build());
        counters = openCounters(directory.resolve(CountersLayout.FILE_NAME));
        EngineRunRecord.write(directory, config);

        final SnapshotStore snapshotStore = new SnapshotStore(config.snapshotDirectory());
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
        final RecoveryEvent recoveryEvent = new RecoveryEvent();
        recoveryEvent.begin();
        try (JournalReader reader = journal.newReader())
        {
            recovery = Recovery.recover(snapshotStore, reader, listener ->
            {
                expiryRelay.target(listener);
                return new FulfillmentRules(expiryRelay, config.expectedSkus(), config.expectedOrders());
            }, config.logicFailurePolicy(), JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                ReplayProgress.NONE, config.applyProbe());
        }
        rules = recovery.replayer().rules();
        commitRecoveryEvent(recoveryEvent);
        // An event on which the rules threw (RECORD_AND_CONTINUE) may not have advanced the rules' own
        // last sequence, but the replay went through it: compare what was applied or recorded.
        final long recoveredThrough = Math.max(rules.lastSequence(), recovery.replayed().lastSequence());
        if (recoveredThrough != journal.lastSequence())
        {
            throw new IllegalStateException("recovered state ends at sequence " + recoveredThrough
                + " but the journal in " + config.journalDirectory() + " ends at " + journal.lastSequence());
        }

        snapshots = new SnapshotScheduler(snapshotStore, counters, config.snapshotEveryEvents(),
            config.snapshotEveryInterval().toMillis(), config.snapshotsRetained(), System::currentTimeMillis,
            journal.appender()::committedSequence, plan.threadFactoryFor(Stages.SNAPSHOT));

        ring = RingBuffer.createSingleProducer(CommandSlot::new, config.ringSize(), plan.ringWaitStrategy());
        final IntervalLatency intervalLatency = config.counters() ? new IntervalLatency() : null;
        final JournalStage journalStage = new JournalStage(journal, counters, config.counters());
        final LogicStage logicStage = new LogicStage(rules, config.logicFailurePolicy(), counters, snapshots,
            config.applyProbe(), config.counters());
        final OutcomeStage outcomeStage = new OutcomeStage(listeners, counters, latencyRecorder, intervalLatency);
        expiryRelay.target(logicStage);

        final BatchEventProcessorBuilder processorBuilder = new BatchEventProcessorBuilder();
        final SequenceBarrier inputBarrier = ring.newBarrier();
        final BatchEventProcessor<CommandSlot> journalProcessor =
            processorBuilder.build(ring, inputBarrier, journalStage);
        logicProcessor = processorBuilder.build(ring, ring.newBarrier(), logicStage);
        outcomeProcessor = processorBuilder.build(ring,
            ring.newBarrier(journalProcessor.getSequence(), logicProcessor.getSequence()), outcomeStage);
        journalProcessor.setExceptionHandler(StageFailures.haltOn(Stages.JOURNAL, lifecycle));
        logicProcessor.setExceptionHandler(StageFailures.haltOn(Stages.LOGIC, lifecycle));
        outcomeProcessor.setExceptionHandler(StageFailures.haltOn(Stages.OUTCOME, lifecycle));
        ring.addGatingSequences(outcomeProcessor.getSequence());
        processors.add(journalProcessor);
        processors.add(logicProcessor);
        processors.add(outcomeProcessor);

        publisher = new CommandPublisher(ring, lifecycle, counters, config);
        publisher.resumeAfter(journal.lastSequence(), journal.lastEventTime());

        startThread(Stages.JOURNAL, journalProcessor);
        startThread(Stages.LOGIC, logicProcessor);
        startThread(Stages.OUTCOME, outcomeProcessor);
        snapshots.start(rules.events());
        awaitStagesRunning();
        counters.set(EngineCounter.JOURNAL_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.JOURNAL_COMMITTED_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.LOGIC_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.OUTCOME_SEQUENCE, journal.lastSequence());
        counters.set(EngineCounter.PUBLISHED, journal.lastSequence());
        if (intervalLatency != null)
        {
            startSampler(intervalLatency);
        }
        lifecycle.moveTo(EngineLifecycle.RUNNING);
        LOG.info("engine on {} running from sequence {} (recovered {} events in {} ms{})\n{}", directory,
            publisher.nextSequence(), recovery.replayed().events(),
            TimeUnit.NANOSECONDS.toMillis(recovery.elapsedNs()),
            recovery.snapshot() == null ? ", full replay" : " after snapshot " + recovery.snapshot().getFileName(),
            plan.toTable());
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

    private void commitRecoveryEvent(final RecoveryEvent event)
    {
        event.end();
        if (event.shouldCommit())
        {
            event.directory = config.directory().toString();
            event.snapshot = recovery.snapshot() == null ? "" : recovery.snapshot().getFileName().toString();
            event.snapshotsSkipped = recovery.skippedSnapshots().size();
            event.eventsReplayed = recovery.replayed().events();
            event.lastSequence = Math.max(rules.lastSequence(), recovery.replayed().lastSequence());
            event.commit();
        }
    }

    private void startSampler(final IntervalLatency intervalLatency)
    {
        final long ringSize = ring.getBufferSize();
        final Sequence released = outcomeProcessor.getSequence();
        final RingBuffer<CommandSlot> sampledRing = ring;
        sampler = new CountersSampler(counters, intervalLatency,
            () -> ringSize - (sampledRing.getCursor() - released.get()), System::currentTimeMillis, System.nanoTime());
        sampler.start(plan.helperThreadFactory("sampler"));
    }

    private void startThread(final String stage, final Runnable processor)
    {
        final Thread thread = plan.threadFactoryFor(stage).newThread(processor);
        stageThreads.add(thread);
        thread.start();
    }

    private void awaitStagesRunning()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final BatchEventProcessor<CommandSlot> processor : processors)
        {
            while (!processor.isRunning())
            {
                if (lifecycle.get() == EngineLifecycle.HALTED)
                {
                    throw new IllegalStateException("a stage failed to start: " + lifecycle.haltReason(),
                        lifecycle.haltCause());
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("stages did not start within 10 s");
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        try
        {
            plan.awaitBindings(Duration.ofSeconds(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stage threads bound to their CPUs", e);
        }
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
     * the state as of every command published before it. Publisher thread only
     * (the query travels through the ring).
     *
     * @param query what to compute.
     * @param <R>   the answer's type.
     * @return the answer, completed on the logic thread; failed if the engine is not running, or
     *         when it is closed before the logic stage reached the query (after a halt of the
     *         logic stage, that is at {@link #close()}).
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
        return task.result();
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

    /** @return the last sequence whose outcome was released. */
    public long releasedSequence()
    {
        requireStarted();
        return counters.get(EngineCounter.OUTCOME_SEQUENCE);
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
        return plan;
    }

    /** @return the engine's live counters. */
    public CountersFile counters()
    {
        requireStarted();
        return counters;
    }

    /** @return how {@link #start()} recovered the state. */
    public Recovery.RecoveryResult recovery()
    {
        requireStarted();
        return recovery;
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
        if (state == EngineLifecycle.STOPPED || (state == EngineLifecycle.HALTED && journal == null))
        {
            return;
        }
        final long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        lifecycle.moveTo(EngineLifecycle.DRAINING);
        final boolean ingressClosed = publisher.awaitIdle(deadline);
        final boolean drained = ingressClosed && lifecycle.get() != EngineLifecycle.HALTED && drain(deadline);
        final boolean stopped = stopStageThreads();
        if (ingressClosed)
        {
            publisher.finishBackpressureEpisode();
        }
        String problem = closeSampler();
        try
        {
            if (drained && stopped && config.snapshotOnClose() && lifecycle.get() != EngineLifecycle.HALTED)
            {
                snapshots.snapshotNow(rules);
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
                failUnansweredQueries();
            }
            closeJournalAndCounters(drained && stopped);
        }
        lifecycle.moveTo(EngineLifecycle.STOPPED);
        if (!stopped)
        {
            throw new IllegalStateException("engine on " + config.directory()
                + ": stage threads did not stop within the drain timeout: " + aliveStageThreads());
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

    /**
     * Fails the queries still in the ring after the stages stopped (the logic stage
     * halted, or the drain timed out), so no caller waits on them forever.
     */
    private void failUnansweredQueries()
    {
        final long cursor = ring.getCursor();
        final IllegalStateException stopped = new IllegalStateException("query not answered: engine on "
            + config.directory() + " stopped (" + lifecycle.get() + ") before its logic stage reached it");
        for (long ringSequence = logicProcessor.getSequence().get() + 1; ringSequence <= cursor; ringSequence++)
        {
            ring.get(ringSequence).failQuery(stopped);
        }
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

    private boolean drain(final long deadline)
    {
        while (outcomeProcessor.getSequence().get() < ring.getCursor())
        {
            if (lifecycle.get() == EngineLifecycle.HALTED || System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return true;
    }

    private boolean stopStageThreads()
    {
        for (final BatchEventProcessor<CommandSlot> processor : processors)
        {
            processor.halt();
        }
        final long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        for (final Thread thread : stageThreads)
        {
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try
            {
                thread.join(Math.max(1, remainingMs));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return aliveStageThreads().isEmpty();
    }

    private List<String> aliveStageThreads()
    {
        final List<String> alive = new ArrayList<>();
        for (final Thread thread : stageThreads)
        {
            if (thread.isAlive())
            {
                alive.add(thread.getName());
            }
        }
        return alive;
    }

    private void closeJournalAndCounters(final boolean clean)
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
            // Late publishes (refused, but counted) write to the heap copy once detached; wait for the
            // one that may still hold the mapped buffer before unmapping it.
            counters.detach();
            if (publisher == null || publisher.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(1)))
            {
                counters.close();
            }
        }
    }

    private void shutdownAfterFailedStart()
    {
        for (final BatchEventProcessor<CommandSlot> processor : processors)
        {
            processor.halt();
        }
        for (final Thread thread : stageThreads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (snapshots != null)
        {
            snapshots.close();
        }
        closeSampler();
        closeJournalAndCounters(false);
        journal = null;
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
