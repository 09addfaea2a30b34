package io.stockflow.perf.harness;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineLifecycle;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.SnapshotSource;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalRollCycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * An engine as the harnesses run it: a fresh directory, the given plan, durability, roll
 * cycle and snapshot interval, and a publish that retries {@code BACKPRESSURE} (the
 * harness wants every generated command in, as a well-behaved client would) while
 * counting the refusals, backing off as {@link RetryBackoff#forPlan} says for the plan (parked on the
 * fused topology, spinning on the parallel one). {@link #finish} takes the state hash, closes, and checks it
 * against a replay of the journal.
 */
public final class BenchEngine implements AutoCloseable
{
    private final StockflowEngine engine;
    private final Path directory;
    private final StateCheck.Archive archive;
    private CommandPublisher publisher;
    private BackpressureRetry retry;
    private long lastSequence;
    private boolean closed;

    /** How long one command may be refused with BACKPRESSURE before the run fails. */
    private static final Duration BACKPRESSURE_TIMEOUT = Duration.ofMinutes(1);
    /** How long {@link #awaitShadow} parks between looks at the shadow state's sequence (100 µs). */
    private static final long SHADOW_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** SKUs the benchmark workloads use at most. */
    private static final int EXPECTED_SKUS = 16_384;
    /** Orders a benchmark run of a few million commands creates at most (PLACE is under half the mix). */
    private static final int EXPECTED_ORDERS = 4_000_000;

    private BenchEngine(final StockflowEngine engine, final Path directory, final StateCheck.Archive archive)
    {
        this.engine = engine;
        this.directory = directory;
        this.archive = archive;
    }

    /**
     * Starts an engine; the calling thread becomes its single writer.
     *
     * @param settings  the configuration the harness varies.
     * @param directory a fresh engine directory.
     * @param recorder  per-event stage timestamps, or {@link LatencyRecorder#NONE}.
     * @param listener  every outcome, or null.
     * @return the started engine.
     */
    public static BenchEngine start(
        final Settings settings, final Path directory, final LatencyRecorder recorder, final OutcomeListener listener)
    {
        final EngineConfig.Builder config = EngineConfig.builder(directory)
            .durability(settings.durability)
            .rollCycle(settings.rollCycle)
            .pretouch(settings.pretouch)
            .snapshotEveryEvents(settings.snapshotEveryEvents)
            .snapshotSource(settings.snapshotSource)
            .affinityPlan(settings.plan)
            .ruleParameters(settings.retentionMs, RuleParameters.DEFAULT_ORDER_CAPACITY,
                RuleParameters.DEFAULT_SKU_CAPACITY)
            .counters(settings.counters)
            .archiveInto(settings.archiveInto)
            .archiveByDeleting(settings.archiveByDeleting)
            .archiveOlderThan(settings.archiveOlderThan);
        if (settings.presized)
        {
            // Presized for the run, as a service sizes for its working set: growing a table
            // doubles an array on the logic thread, which would show as allocation per event.
            config.expectedState(EXPECTED_SKUS, EXPECTED_ORDERS);
        }
        final StockflowEngine.Builder builder = StockflowEngine.builder(config.build()).latencyRecorder(recorder);
        if (listener != null)
        {
            builder.outcomeListener(listener);
        }
        final StockflowEngine engine = builder.build();
        engine.start();
        final BenchEngine benchEngine = new BenchEngine(engine, directory, settings.archiveByDeleting
            ? StateCheck.Archive.deleting() : StateCheck.Archive.in(settings.archiveInto));
        benchEngine.publisher = engine.publisher();
        benchEngine.retry = new BackpressureRetry(benchEngine.publisher,
            RetryBackoff.forPlan(engine.affinityPlan()), BACKPRESSURE_TIMEOUT);
        return benchEngine;
    }

    /** @return the engine. */
    public StockflowEngine engine()
    {
        return engine;
    }

    /** @return the sequence the next accepted command gets. */
    public long nextSequence()
    {
        return publisher.nextSequence();
    }

    /**
     * Publishes one command, retrying while the engine answers BACKPRESSURE.
     *
     * @param command the command.
     * @return its sequence.
     * @throws BenchCheckException when the engine refuses for any other reason, or still answers
     *                             BACKPRESSURE after a minute.
     */
    public long publish(final GeneratedCommand command)
    {
        final long result = retry.publish(command, command.ts());
        if (result <= 0)
        {
            throw new BenchCheckException("engine refused a command: " + PublishRefusal.name(result) + " ("
                + engine.haltReason() + ")");
        }
        lastSequence = result;
        return result;
    }

    /**
     * Publishes any command, retrying while the engine answers BACKPRESSURE.
     *
     * @param command the command.
     * @param ts      its time.
     * @return its sequence.
     * @throws BenchCheckException as {@link #publish(GeneratedCommand)}.
     */
    public long publish(final CommandFields command, final long ts)
    {
        final long result = retry.publish(command, ts);
        if (result <= 0)
        {
            throw new BenchCheckException("engine refused a command: " + PublishRefusal.name(result) + " ("
                + engine.haltReason() + ")");
        }
        lastSequence = result;
        return result;
    }

    /** @return BACKPRESSURE answers retried so far. */
    public long refusals()
    {
        return retry.retries();
    }

    /** @return the last sequence published. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * Waits until the shadow state (the snapshot thread's copy of the rules, which follows the
     * journal on its own thread) has applied the given sequence. The wait parks between looks:
     * on 2 CPUs a spinning wait would take a core from the very thread it waits for.
     *
     * @param sequence the sequence to reach.
     * @param timeout  how long to wait.
     * @return the nanoTime at which the shadow state had reached it.
     * @throws BenchCheckException when it does not reach it in time or the engine halted.
     */
    public long awaitShadow(final long sequence, final Duration timeout)
    {
        if (engine.config().snapshotSource() != SnapshotSource.SHADOW_STATE)
        {
            // Snapshots captured from the live state: no shadow state to wait for.
            return System.nanoTime();
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (counter(EngineCounter.SHADOW_SEQUENCE) < sequence)
        {
            if (engine.lifecycle() == EngineLifecycle.HALTED)
            {
                throw new BenchCheckException("engine halted: " + engine.haltReason());
            }
            BenchCheckException.check(System.nanoTime() - deadline < 0, "the shadow state did not reach sequence "
                + sequence + " within " + timeout + ": it is at " + counter(EngineCounter.SHADOW_SEQUENCE));
            LockSupport.parkNanos(SHADOW_POLL_NS);
        }
        return System.nanoTime();
    }

    /**
     * Untimed, before a paced measurement: waits until the shadow state has been rebuilt (the
     * snapshot thread replays the journal once more at start, into tables presized like the live
     * ones), then collects the heap ({@link SettledHeap}). Both tables, a few hundred megabytes each when
     * presized, are then in the old generation, as in a service that has been up for minutes;
     * otherwise the young collections that copy them while they are new (up to 0.5 s each on a
     * slow machine) fall into the warm-up or the measurement, and the first snapshot can come after
     * a short measurement has ended.
     *
     * @param timeout how long to wait for the rebuild.
     * @throws BenchCheckException when the shadow state is not rebuilt in time.
     */
    public void settle(final Duration timeout)
    {
        try
        {
            BenchCheckException.check(engine.awaitShadowRebuilt(timeout),
                "the shadow state was not rebuilt within " + timeout);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new BenchCheckException("interrupted while waiting for the shadow state");
        }
        SettledHeap.collect();
    }

    /**
     * Waits until the outcome of the last published command is released.
     *
     * @param timeout how long to wait.
     * @throws BenchCheckException when it is not released in time or the engine halted.
     */
    public void awaitAllReleased(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (engine.releasedSequence() < lastSequence)
        {
            if (engine.lifecycle() == EngineLifecycle.HALTED)
            {
                throw new BenchCheckException("engine halted: " + engine.haltReason());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new BenchCheckException("engine released only up to " + engine.releasedSequence() + " of "
                    + lastSequence + " within " + timeout);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @param counter an engine counter.
     * @return its current value.
     */
    public long counter(final EngineCounter counter)
    {
        return engine.counters().get(counter);
    }

    /**
     * Takes the state hash through the ring, closes the engine and checks the hash against
     * a replay of the journal.
     *
     * @return the check's replay statistics.
     * @throws BenchCheckException when anything differs.
     */
    public ReplayStats finish()
    {
        awaitAllReleased(Duration.ofSeconds(60));
        final long hash;
        try
        {
            hash = engine.query(StateView::stateHash).get(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new BenchCheckException("interrupted while taking the state hash");
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new BenchCheckException("cannot take the engine's state hash: " + e);
        }
        close();
        return StateCheck.verify(directory, archive, hash, lastSequence);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            engine.close();
            BenchCheckException.check(engine.lifecycle() == EngineLifecycle.STOPPED,
                "engine ended " + engine.lifecycle() + ": " + engine.haltReason());
        }
    }

    /** What the harnesses vary between engine runs; defaults are the engine's own except the roll cycle. */
    public static final class Settings
    {
        private Durability durability = Durability.PROCESS_CRASH;
        private JournalRollCycle rollCycle = JournalRollCycle.TEST_SECONDLY;
        private boolean pretouch = true;
        private boolean counters = true;
        private long snapshotEveryEvents = 1_000_000;
        private SnapshotSource snapshotSource = SnapshotSource.SHADOW_STATE;
        private long preloadOrders;
        private boolean forcedCadence = true;
        private AffinityPlan plan;
        private long retentionMs = RuleParameters.DEFAULT_RETENTION_MS;
        private boolean presized = true;
        private Path archiveInto;
        private boolean archiveByDeleting;
        private Duration archiveOlderThan = Duration.ZERO;

        /** @param durability journal durability. @return this. */
        public Settings durability(final Durability durability)
        {
            this.durability = durability;
            return this;
        }

        /** @return journal durability. */
        public Durability durability()
        {
            return durability;
        }

        /** @param rollCycle journal roll cycle. @return this. */
        public Settings rollCycle(final JournalRollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        /** @return journal roll cycle. */
        public JournalRollCycle rollCycle()
        {
            return rollCycle;
        }

        /** @param pretouch journal pretouch. @return this. */
        public Settings pretouch(final boolean pretouch)
        {
            this.pretouch = pretouch;
            return this;
        }

        /** @param counters keep the engine's counters file (the default) or run without it. @return this. */
        public Settings counters(final boolean counters)
        {
            this.counters = counters;
            return this;
        }

        /** @return whether the engine keeps its counters. */
        public boolean counters()
        {
            return counters;
        }

        /** @return a copy of these settings. */
        public Settings copy()
        {
            final Settings copy = new Settings();
            copy.durability = durability;
            copy.rollCycle = rollCycle;
            copy.pretouch = pretouch;
            copy.counters = counters;
            copy.snapshotEveryEvents = snapshotEveryEvents;
            copy.snapshotSource = snapshotSource;
            copy.preloadOrders = preloadOrders;
            copy.forcedCadence = forcedCadence;
            copy.plan = plan;
            copy.retentionMs = retentionMs;
            copy.presized = presized;
            copy.archiveInto = archiveInto;
            copy.archiveByDeleting = archiveByDeleting;
            copy.archiveOlderThan = archiveOlderThan;
            return copy;
        }

        /**
         * @param retentionMs the new directory's order retention (its rule parameter {@code retentionMs});
         *                    the engine's default, 7 days, unless set.
         * @return this.
         */
        public Settings retentionMs(final long retentionMs)
        {
            this.retentionMs = retentionMs;
            return this;
        }

        /** @return the new directory's order retention, ms. */
        public long retentionMs()
        {
            return retentionMs;
        }

        /**
         * @param presized true (the default) to size the state's tables for a few million orders up front;
         *                 false for the engine's own default sizes, so the tables grow as a service's would
         *                 and a memory figure shows that growth.
         * @return this.
         */
        public Settings presized(final boolean presized)
        {
            this.presized = presized;
            return this;
        }

        /** @return orders a latency run places (and holds) before its timed phase. */
        public long preloadOrders()
        {
            return preloadOrders;
        }

        /**
         * @return true (the default) if a latency run snapshots a third of the way through its measurement
         *         and needs a snapshot and a roll-over inside it; false to run with the snapshot interval as set.
         */
        public boolean forcedCadence()
        {
            return forcedCadence;
        }

        /** @param forced whether a latency run forces its snapshots into the measurement. @return this. */
        public Settings forcedCadence(final boolean forced)
        {
            this.forcedCadence = forced;
            return this;
        }

        /** @param orders orders a latency run places (and holds) before its timed phase. @return this. */
        public Settings preloadOrders(final long orders)
        {
            this.preloadOrders = orders;
            return this;
        }

        /** @return snapshot every this many events (0: never). */
        public long snapshotEveryEvents()
        {
            return snapshotEveryEvents;
        }

        /** @param events snapshot every this many events (0: never). @return this. */
        public Settings snapshotEveryEvents(final long events)
        {
            this.snapshotEveryEvents = events;
            return this;
        }

        /** @param source where periodic snapshots come from. @return this. */
        public Settings snapshotSource(final SnapshotSource source)
        {
            this.snapshotSource = source;
            return this;
        }

        /** @return where periodic snapshots come from. */
        public SnapshotSource snapshotSource()
        {
            return snapshotSource;
        }

        /** @return true when a shadow state runs: periodic snapshots taken from it. */
        public boolean shadowState()
        {
            return snapshotEveryEvents > 0 && snapshotSource == SnapshotSource.SHADOW_STATE;
        }

        /** @param plan the affinity plan, or null for the machine's default. @return this. */
        public Settings plan(final AffinityPlan plan)
        {
            this.plan = plan;
            return this;
        }

        /** @return the affinity plan, or null for the machine's default. */
        public AffinityPlan plan()
        {
            return plan;
        }

        /**
         * Turns the engine's archiver on: cycle files behind the oldest retained snapshot move into
         * {@code archive} ({@link EngineConfig.Builder#archiveInto}); the self-check then replays
         * the archive and the journal together.
         *
         * @param archive the archive directory, or null for none.
         * @return this.
         */
        public Settings archiveInto(final Path archive)
        {
            this.archiveInto = archive;
            return this;
        }

        /**
         * Turns the engine's archiver on in delete mode ({@link EngineConfig.Builder#archiveByDeleting});
         * the self-check then recovers from the oldest snapshot the directory still has the journal for.
         *
         * @param delete true to delete archived cycle files.
         * @return this.
         */
        public Settings archiveByDeleting(final boolean delete)
        {
            this.archiveByDeleting = delete;
            return this;
        }

        /** @param age archive only cycle files whose cycle ended at least this long ago. @return this. */
        public Settings archiveOlderThan(final Duration age)
        {
            this.archiveOlderThan = age;
            return this;
        }

        /** @return whether the engine archives (moves or deletes) journal cycle files as it runs. */
        public boolean archives()
        {
            return archiveInto != null || archiveByDeleting;
        }

        /** @return the archive directory, or null. */
        public Path archiveInto()
        {
            return archiveInto;
        }
    }
}
