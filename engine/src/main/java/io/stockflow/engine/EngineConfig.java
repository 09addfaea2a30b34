package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.shadow.DivergencePolicy;
import io.stockflow.engine.snapshot.SnapshotSource;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalArchiveRefusedException;
import io.stockflow.journal.JournalArchiver;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.FileTree;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The engine's configuration: immutable, built once by {@link Builder#build()},
 * which validates every field and fails with {@code field=value: why}.
 *
 * <p>The engine directory holds {@code journal/} (the source of truth) and
 * {@code snapshots/} (shortcuts for recovery).
 *
 * <p>Why one class of over 700 lines: it is the engine's one configuration object
 * (Agrona's one {@code Context} per component), and its size is thirty-odd settings, each
 * a final field, an accessor, a builder field with its default, a documented builder
 * method and one validation line, with nothing else in it. Splitting it by concern
 * (journal, admission, snapshots) would make callers build and pass several objects,
 * spread the defaults and cross-field checks ({@code normalWatermark >= highWatermark})
 * over them, and change every caller's builder chain, for no behaviour of its own.
 */
public final class EngineConfig
{
    /** The default bound on how far ahead of the engine clock a command's ts may be: one day. */
    public static final long DEFAULT_MAX_CLOCK_AHEAD_MS = 86_400_000L;

    /** The default free-space warning level: 1 GiB, well above the journal's 64 MiB halt level. */
    public static final long DEFAULT_DISK_FREE_WARNING_BYTES = 1L << 30;

    /** Default ring size: a power of two large enough to absorb bursts, small enough to stay in cache. */
    public static final int DEFAULT_RING_SIZE = 16_384;

    /** The default {@link #snapshotEveryEvents()}: a snapshot every million events. */
    public static final long DEFAULT_SNAPSHOT_EVERY_EVENTS = 1_000_000;

    /**
     * Default {@link #shadowLagLimit()}: as many events as the default snapshot interval, so the newest
     * snapshot is never more than about two intervals behind the journal, however long the overload.
     */
    public static final long DEFAULT_SHADOW_LAG_LIMIT = DEFAULT_SNAPSHOT_EVERY_EVENTS;

    private final Path directory;
    private final int ringSize;
    private final Durability durability;
    private final JournalRollCycle rollCycle;
    private final boolean rollCycleExplicit;
    private final boolean pretouch;
    private final double normalWatermark;
    private final double highWatermark;
    private final Duration publishTimeout;
    private final Duration drainTimeout;
    private final LogicFailurePolicy logicFailurePolicy;
    private final long snapshotEveryEvents;
    private final Duration snapshotEveryInterval;
    private final int snapshotsRetained;
    private final boolean snapshotOnClose;
    private final LongSupplier clockMs;
    private final AffinityPlan affinityPlan;
    private final int expectedSkus;
    private final int expectedOrders;
    private final ApplyProbe applyProbe;
    private final boolean counters;
    private final PipelineKind pipeline;
    private final long stateCheckpointEvery;
    private final DivergencePolicy shadowDivergencePolicy;
    private final SnapshotSource snapshotSource;
    private final long shadowLagLimit;
    private final ApplyProbe shadowApplyProbe;
    private final long retentionMs;
    private final long orderCapacity;
    private final long skuCapacity;
    private final long maxClockAheadMs;
    private final Path archiveDirectory;
    private final boolean archiveByDeleting;
    private final Duration archiveOlderThan;
    private final long diskFreeWarningBytes;

    private EngineConfig(final Builder builder)
    {
        this.directory = builder.directory;
        this.ringSize = builder.ringSize;
        this.durability = builder.durability;
        this.rollCycle = builder.rollCycle;
        this.rollCycleExplicit = builder.rollCycleExplicit;
        this.pretouch = builder.pretouch;
        this.normalWatermark = builder.normalWatermark;
        this.highWatermark = builder.highWatermark;
        this.publishTimeout = builder.publishTimeout;
        this.drainTimeout = builder.drainTimeout;
        this.logicFailurePolicy = builder.logicFailurePolicy;
        this.snapshotEveryEvents = builder.snapshotEveryEvents;
        this.snapshotEveryInterval = builder.snapshotEveryInterval;
        this.snapshotsRetained = builder.snapshotsRetained;
        this.snapshotOnClose = builder.snapshotOnClose;
        this.clockMs = builder.clockMs;
        this.affinityPlan = builder.affinityPlan;
        this.expectedSkus = builder.expectedSkus;
        this.expectedOrders = builder.expectedOrders;
        this.applyProbe = builder.applyProbe;
        this.counters = builder.counters;
        this.pipeline = builder.pipeline;
        this.stateCheckpointEvery = builder.stateCheckpointEvery;
        this.shadowDivergencePolicy = builder.shadowDivergencePolicy;
        this.snapshotSource = builder.snapshotSource;
        this.shadowLagLimit = builder.shadowLagLimit;
        this.shadowApplyProbe = builder.shadowApplyProbe == null ? builder.applyProbe : builder.shadowApplyProbe;
        this.retentionMs = builder.retentionMs;
        this.orderCapacity = builder.orderCapacity;
        this.skuCapacity = builder.skuCapacity;
        this.maxClockAheadMs = builder.maxClockAheadMs;
        this.archiveDirectory = builder.archiveDirectory;
        this.archiveByDeleting = builder.archiveByDeleting;
        this.archiveOlderThan = builder.archiveOlderThan;
        this.diskFreeWarningBytes = builder.diskFreeWarningBytes;
    }

    /**
     * @return where the engine's archiver moves the journal's cycle files it no longer needs, or
     *         null (then it deletes them if {@link #archiveByDeleting()}, else archives nothing).
     */
    public Path archiveDirectory()
    {
        return archiveDirectory;
    }

    /** @return whether the engine's archiver deletes the cycle files instead of moving them. */
    public boolean archiveByDeleting()
    {
        return archiveByDeleting;
    }

    /** @return whether the engine archives its journal while it runs (off by default: keep everything). */
    public boolean archives()
    {
        return archiveDirectory != null || archiveByDeleting;
    }

    /** @return only cycle files whose cycle ended at least this long ago are archived. */
    public Duration archiveOlderThan()
    {
        return archiveOlderThan;
    }

    /**
     * @return below this many free bytes on the journal's file system the engine warns (a log line,
     *         a JFR event, a counter); 0: never.
     */
    public long diskFreeWarningBytes()
    {
        return diskFreeWarningBytes;
    }

    /** @return the retention a new directory's journal records (docs/DOMAIN.md "Rule parameters"). */
    public long retentionMs()
    {
        return retentionMs;
    }

    /** @return the order capacity a new directory's journal records. */
    public long orderCapacity()
    {
        return orderCapacity;
    }

    /** @return the SKU capacity a new directory's journal records. */
    public long skuCapacity()
    {
        return skuCapacity;
    }

    /**
     * @return how far ahead of the engine clock a command's {@code ts} may be before the publish
     *         call refuses it ({@link PublishRefusal#CLOCK_AHEAD}); 0: no bound.
     */
    public long maxClockAheadMs()
    {
        return maxClockAheadMs;
    }

    /**
     * @param directory the engine directory; created when absent.
     * @return a builder with the defaults.
     */
    public static Builder builder(final Path directory)
    {
        return new Builder(directory);
    }

    /** @return the engine directory. */
    public Path directory()
    {
        return directory;
    }

    /** @return the journal directory inside the engine directory. */
    public Path journalDirectory()
    {
        return journalDirectoryOf(directory);
    }

    /** @return the snapshot directory inside the engine directory. */
    public Path snapshotDirectory()
    {
        return snapshotDirectoryOf(directory);
    }

    /**
     * @param engineDirectory an engine directory.
     * @return where its journal lives.
     */
    public static Path journalDirectoryOf(final Path engineDirectory)
    {
        return engineDirectory.resolve("journal");
    }

    /**
     * @param engineDirectory an engine directory.
     * @return where its snapshots live.
     */
    public static Path snapshotDirectoryOf(final Path engineDirectory)
    {
        return engineDirectory.resolve("snapshots");
    }

    /**
     * Checks a directory to archive an engine's journal cycles into, before anything moves: not the engine
     * directory itself (its cycle files would lie beside the journal, where nothing reads them as its
     * history), not inside its snapshots (whose directory the snapshot store owns), and then everything
     * {@link JournalArchiver#checkArchive} checks. A directory of its own inside the engine directory
     * ({@code ENGINE/archive}) is allowed.
     *
     * @param engineDirectory the engine directory.
     * @param archive         the archive directory.
     * @throws JournalArchiveRefusedException naming what is wrong; nothing was created or moved.
     */
    public static void checkArchive(final Path engineDirectory, final Path archive)
    {
        final Path engine = FileTree.realOrNormalised(engineDirectory);
        final Path target = FileTree.realOrNormalised(archive);
        if (target.equals(engine) || target.startsWith(FileTree.realOrNormalised(snapshotDirectoryOf(engineDirectory))))
        {
            throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.ENGINE_PART, "archive "
                + archive + " is the engine directory " + engineDirectory + " or inside its snapshots; give a"
                + " directory of its own (" + engineDirectory.resolve("archive") + " or one outside the engine)");
        }
        JournalArchiver.checkArchive(journalDirectoryOf(engineDirectory), archive);
    }

    /** @return ring size in slots, a power of two. */
    public int ringSize()
    {
        return ringSize;
    }

    /** @return the journal durability level. */
    public Durability durability()
    {
        return durability;
    }

    /**
     * @return the journal roll cycle a new directory is created with; an existing directory opens
     *         with the one recorded at its creation unless {@link #rollCycleExplicit()}.
     */
    public JournalRollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * @return whether {@link Builder#rollCycle} was called: then an existing directory created with
     *         another roll cycle is refused rather than opened with its own, because the caller asked
     *         for this one.
     */
    public boolean rollCycleExplicit()
    {
        return rollCycleExplicit;
    }

    /** @return whether the journal pretouches pages ahead of the writer. */
    public boolean pretouch()
    {
        return pretouch;
    }

    /** @return fraction of the ring that must be free to admit a normal-class command (PLACE). */
    public double normalWatermark()
    {
        return normalWatermark;
    }

    /** @return fraction of the ring that must be free to admit a high-class command (RESTOCK, ADJUST). */
    public double highWatermark()
    {
        return highWatermark;
    }

    /** @return how long a blocking publish of a critical command waits for a free slot. */
    public Duration publishTimeout()
    {
        return publishTimeout;
    }

    /** @return how long {@code close()} waits for every stage to reach the cursor. */
    public Duration drainTimeout()
    {
        return drainTimeout;
    }

    /** @return what happens when the rules throw. */
    public LogicFailurePolicy logicFailurePolicy()
    {
        return logicFailurePolicy;
    }

    /** @return take a snapshot after this many events (0: never by count). */
    public long snapshotEveryEvents()
    {
        return snapshotEveryEvents;
    }

    /** @return take a snapshot when this much time has passed since the last (zero: never by time). */
    public Duration snapshotEveryInterval()
    {
        return snapshotEveryInterval;
    }

    /** @return how many snapshots to keep; older ones are deleted. */
    public int snapshotsRetained()
    {
        return snapshotsRetained;
    }

    /** @return whether a clean close takes a snapshot. */
    public boolean snapshotOnClose()
    {
        return snapshotOnClose;
    }

    /** @return the clock that stamps commands published without a time, epoch milliseconds. */
    public LongSupplier clockMs()
    {
        return clockMs;
    }

    /** @return the affinity plan, or null for the default plan computed from this machine. */
    public AffinityPlan affinityPlan()
    {
        return affinityPlan;
    }

    /** @return SKUs the state holds before its SKU table first grows. */
    public int expectedSkus()
    {
        return expectedSkus;
    }

    /** @return orders the state holds before its order tables first grow. */
    public int expectedOrders()
    {
        return expectedOrders;
    }

    /**
     * @return whether the engine keeps its counters file (see {@link Builder#counters(boolean)}).
     */
    public boolean counters()
    {
        return counters;
    }

    /**
     * @return the topology override, or null (the default) for the affinity plan's topology
     *         (see {@link Builder#pipeline}).
     */
    public PipelineKind pipeline()
    {
        return pipeline;
    }

    /** @return the probe called before each apply: the test seam for logic failures, NONE otherwise. */
    ApplyProbe applyProbe()
    {
        return applyProbe;
    }

    /**
     * @return the live state publishes its hash for the shadow state's check at every sequence that is a
     *         multiple of this.
     */
    public long stateCheckpointEvery()
    {
        return stateCheckpointEvery;
    }

    /** @return what a divergence of the live state from the shadow state does. */
    public DivergencePolicy shadowDivergencePolicy()
    {
        return shadowDivergencePolicy;
    }

    /** @return where periodic snapshots come from. */
    public SnapshotSource snapshotSource()
    {
        return snapshotSource;
    }

    /**
     * @return the most events the shadow state may be behind the publisher before PLACE, RESTOCK and ADJUST
     *         are refused with BACKPRESSURE; 0 for no limit. Applies only with periodic snapshots.
     */
    public long shadowLagLimit()
    {
        return shadowLagLimit;
    }

    /** @return the probe the shadow state's replay calls: {@link #applyProbe()} unless a test set another. */
    ApplyProbe shadowApplyProbe()
    {
        return shadowApplyProbe;
    }

    /**
     * @return true when snapshots are taken while running (by count or time), which is when the engine
     *         keeps a shadow state to take them from.
     */
    public boolean periodicSnapshots()
    {
        return snapshotEveryEvents > 0 || !snapshotEveryInterval.isZero();
    }

    /** Fluent, mutable builder; {@link #build()} validates. */
    public static final class Builder
    {
        private final Path directory;
        private int ringSize = DEFAULT_RING_SIZE;
        private Durability durability = Durability.PROCESS_CRASH;
        private JournalRollCycle rollCycle = JournalRollCycle.HOURLY;
        private boolean rollCycleExplicit;
        private boolean pretouch = true;
        private double normalWatermark = 0.25;
        private double highWatermark = 0.10;
        private Duration publishTimeout = Duration.ofSeconds(5);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private LogicFailurePolicy logicFailurePolicy = LogicFailurePolicy.HALT;
        private long snapshotEveryEvents = DEFAULT_SNAPSHOT_EVERY_EVENTS;
        private Duration snapshotEveryInterval = Duration.ZERO;
        private int snapshotsRetained = 3;
        private boolean snapshotOnClose = true;
        private LongSupplier clockMs = System::currentTimeMillis;
        private AffinityPlan affinityPlan;
        private int expectedSkus = 1024;
        private int expectedOrders = 64 * 1024;
        private long retentionMs = RuleParameters.DEFAULT_RETENTION_MS;
        private long orderCapacity = RuleParameters.DEFAULT_ORDER_CAPACITY;
        private long skuCapacity = RuleParameters.DEFAULT_SKU_CAPACITY;
        private long maxClockAheadMs = DEFAULT_MAX_CLOCK_AHEAD_MS;
        private ApplyProbe applyProbe = ApplyProbe.NONE;
        private boolean counters = true;
        private PipelineKind pipeline;
        private long stateCheckpointEvery = 1_024;
        private DivergencePolicy shadowDivergencePolicy = DivergencePolicy.ALARM;
        private SnapshotSource snapshotSource = SnapshotSource.SHADOW_STATE;
        private long shadowLagLimit = DEFAULT_SHADOW_LAG_LIMIT;
        private ApplyProbe shadowApplyProbe;
        private Path archiveDirectory;
        private boolean archiveByDeleting;
        private Duration archiveOlderThan = Duration.ZERO;
        private long diskFreeWarningBytes = DEFAULT_DISK_FREE_WARNING_BYTES;

        private Builder(final Path directory)
        {
            this.directory = directory;
        }

        /** @param ringSize slots in the ring, a power of two from 64. @return this. */
        public Builder ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        /** @param durability journal durability level. @return this. */
        public Builder durability(final Durability durability)
        {
            this.durability = durability;
            return this;
        }

        /**
         * @param rollCycle journal roll cycle of a new directory (default HOURLY); an existing
         *                  directory created with another one is then refused.
         * @return this.
         */
        public Builder rollCycle(final JournalRollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            this.rollCycleExplicit = true;
            return this;
        }

        /** @param pretouch pretouch journal pages ahead of the writer. @return this. */
        public Builder pretouch(final boolean pretouch)
        {
            this.pretouch = pretouch;
            return this;
        }

        /** @param fraction free ring fraction below which PLACE is shed (default 0.25). @return this. */
        public Builder normalWatermark(final double fraction)
        {
            this.normalWatermark = fraction;
            return this;
        }

        /** @param fraction free ring fraction below which RESTOCK and ADJUST are shed (default 0.10). @return this. */
        public Builder highWatermark(final double fraction)
        {
            this.highWatermark = fraction;
            return this;
        }

        /** @param timeout how long a blocking critical publish waits for a slot. @return this. */
        public Builder publishTimeout(final Duration timeout)
        {
            this.publishTimeout = timeout;
            return this;
        }

        /** @param timeout how long close waits for the stages to drain. @return this. */
        public Builder drainTimeout(final Duration timeout)
        {
            this.drainTimeout = timeout;
            return this;
        }

        /** @param policy what to do when the rules throw. @return this. */
        public Builder logicFailurePolicy(final LogicFailurePolicy policy)
        {
            this.logicFailurePolicy = policy;
            return this;
        }

        /** @param events snapshot every this many events (0: never by count). @return this. */
        public Builder snapshotEveryEvents(final long events)
        {
            this.snapshotEveryEvents = events;
            return this;
        }

        /** @param interval snapshot when this much time has passed (zero: never by time). @return this. */
        public Builder snapshotEveryInterval(final Duration interval)
        {
            this.snapshotEveryInterval = interval;
            return this;
        }

        /** @param count snapshots to retain, at least 1. @return this. */
        public Builder snapshotsRetained(final int count)
        {
            this.snapshotsRetained = count;
            return this;
        }

        /** @param enabled take a snapshot on clean close. @return this. */
        public Builder snapshotOnClose(final boolean enabled)
        {
            this.snapshotOnClose = enabled;
            return this;
        }

        /** @param clock epoch-millisecond clock for commands published without a time. @return this. */
        public Builder clockMs(final LongSupplier clock)
        {
            this.clockMs = clock;
            return this;
        }

        /** @param plan the stage-to-CPU plan; null for the machine's default plan. @return this. */
        public Builder affinityPlan(final AffinityPlan plan)
        {
            this.affinityPlan = plan;
            return this;
        }

        /**
         * Sizes the state's tables up front, for the live state and the shadow state alike.
         * A table that outgrows its size grows a page at a time (the order index drains
         * into one twice its size, 16 slots per change), never copying itself, so growth
         * costs no pause, only small allocations while it lasts: an engine that must not
         * allocate at all sizes these for the orders it will hold (see the README's sizing
         * rule: forgotten orders free their rows for reuse).
         *
         * @param skus   SKUs to hold without growing (default 1,024).
         * @param orders orders to hold without growing (default 65,536).
         * @return this.
         */
        public Builder expectedState(final int skus, final int orders)
        {
            this.expectedSkus = skus;
            this.expectedOrders = orders;
            return this;
        }

        /**
         * Turns the counters on (the default) or off. On: the engine keeps
         * {@code counters.dat} in its directory, updated by every stage and read by
         * {@code stockflow stat}, and runs a small sampler thread (ring free
         * capacity, latency percentiles per second, heartbeat). Off, the baseline of
         * the counters' overhead benchmark: no counters file (a stale one is
         * deleted) and no sampler thread; the hot path skips every per-event and
         * per-batch counter and the latency histogram, keeping only the released
         * sequence (which {@link StockflowEngine#awaitReleased} reads) in memory.
         * Rare events (refusals, back-pressure episodes, expiries, logic errors,
         * snapshots) are still counted in memory, and JFR events are unaffected.
         *
         * @param enabled false to turn the counters off.
         * @return this.
         */
        public Builder counters(final boolean enabled)
        {
            this.counters = enabled;
            return this;
        }

        /**
         * An explicit override of the affinity plan's topology. The plan (its {@code topology}
         * line, or the default for the usable CPUs) decides when this is not set; set, this
         * rewrites the plan's topology before it is resolved, so the printed plan shows what
         * runs. It stays because the tests and benchmarks run both topologies on one machine
         * without writing a plan file for each.
         *
         * @param kind the topology: {@link PipelineKind#PARALLEL} (journal ∥ logic → outcome on
         *             three threads), {@link PipelineKind#FUSED} (one thread journals, applies,
         *             commits per batch, then releases), or null for the plan's.
         * @return this.
         */
        public Builder pipeline(final PipelineKind kind)
        {
            this.pipeline = kind;
            return this;
        }

        /**
         * @param every with periodic snapshots on, the live logic stage publishes its state hash (an O(1)
         *              read: the hash is kept incrementally) at every sequence that is a multiple of this,
         *              and the shadow state compares its own when it gets there (default 1,024).
         * @return this.
         */
        public Builder stateCheckpointEvery(final long every)
        {
            this.stateCheckpointEvery = every;
            return this;
        }

        /**
         * @param policy what a divergence of the live state from the shadow state does: {@link
         *               DivergencePolicy#ALARM} (the default: counted, a JFR event, logged once) or
         *               {@link DivergencePolicy#HALT} (also halts the engine fail-stop).
         * @return this.
         */
        public Builder shadowDivergencePolicy(final DivergencePolicy policy)
        {
            this.shadowDivergencePolicy = policy;
            return this;
        }

        /**
         * @param source where periodic snapshots come from: {@link SnapshotSource#SHADOW_STATE} (the default)
         *               or {@link SnapshotSource#LIVE_STATE}; see {@link SnapshotSource} for what each costs.
         * @return this.
         */
        public Builder snapshotSource(final SnapshotSource source)
        {
            this.snapshotSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Bounds how far the shadow state, and with it the newest snapshot, may fall behind. Under a
         * load the machine cannot sustain with a second pass of the rules (a burst at full speed on a
         * small machine, say), the live engine would run ahead of the shadow state without end: every
         * snapshot older, every recovery longer, every journal cycle kept longer for the archiver. With
         * a limit, once the shadow state is {@code events} or more behind the next sequence, PLACE,
         * RESTOCK and ADJUST are refused with BACKPRESSURE ({@code refused_shadow_lag}) until it catches
         * up; the critical commands (CANCEL, SHIP, DELIVER, RETURN, RULES) are never refused for it. A
         * shadow state that stopped (it failed) lifts the limit. No effect without periodic snapshots.
         *
         * @param events the limit (default {@value #DEFAULT_SHADOW_LAG_LIMIT}), or 0 for none.
         * @return this.
         */
        public Builder shadowLagLimit(final long events)
        {
            this.shadowLagLimit = events;
            return this;
        }

        /**
         * Test seam, package-private on purpose: the probe the shadow state's replay calls
         * instead of {@link #applyProbe}, so a test can make the live state and the shadow
         * state apply the same journal differently (a divergence).
         *
         * @param probe the probe.
         * @return this.
         */
        Builder shadowApplyProbe(final ApplyProbe probe)
        {
            this.shadowApplyProbe = probe;
            return this;
        }

        /**
         * The rule parameters a new directory's journal begins with (its parameters record);
         * an existing directory keeps the parameters its journal holds, and a RULES command
         * changes them (docs/DOMAIN.md "Rule parameters").
         *
         * @param retention     0 or 60000..31536000000 ms (default 604800000, 7 days).
         * @param orders        0 (no limit) or 1..268435456 held orders (default 16777216).
         * @param skus          0 (no limit) or 1..16777216 SKUs (default 1048576).
         * @return this.
         */
        public Builder ruleParameters(final long retention, final long orders, final long skus)
        {
            this.retentionMs = retention;
            this.orderCapacity = orders;
            this.skuCapacity = skus;
            return this;
        }

        /**
         * @param aheadMs how far ahead of the engine clock a command's {@code ts} may be (default
         *                86400000, one day); a command further ahead is refused by the publish call
         *                with {@link PublishRefusal#CLOCK_AHEAD}, before anything is journaled. 0 turns
         *                the bound off (replaying synthetic timelines).
         * @return this.
         */
        public Builder maxClockAheadMs(final long aheadMs)
        {
            this.maxClockAheadMs = aheadMs;
            return this;
        }

        /**
         * Turns the engine's archiver on: a background thread that moves the journal's cycle files
         * lying wholly before the oldest retained snapshot (and older than {@link #archiveOlderThan})
         * into {@code archive}, woken by every snapshot and every few seconds. The default keeps
         * every cycle file in the engine directory. The archive directory is checked at start: not
         * inside the engine directory, writable, holding no other journal's cycles.
         *
         * @param archive the archive directory (created if absent; another disk, say), or null for none.
         * @return this.
         */
        public Builder archiveInto(final Path archive)
        {
            this.archiveDirectory = archive;
            return this;
        }

        /**
         * Turns the engine's archiver on in delete mode: the cycle files it would move are deleted,
         * and the history before the oldest snapshot is gone. Only where a configuration asks for it.
         *
         * @param delete true to delete rather than keep.
         * @return this.
         */
        public Builder archiveByDeleting(final boolean delete)
        {
            this.archiveByDeleting = delete;
            return this;
        }

        /**
         * @param age archive only cycle files whose cycle ended at least this long ago (default 0).
         * @return this.
         */
        public Builder archiveOlderThan(final Duration age)
        {
            this.archiveOlderThan = age;
            return this;
        }

        /**
         * @param bytes warn below this many free bytes on the journal's file system (default 1 GiB);
         *              0 never warns; otherwise above the journal's halt level (64 MiB).
         * @return this.
         */
        public Builder diskFreeWarningBytes(final long bytes)
        {
            this.diskFreeWarningBytes = bytes;
            return this;
        }

        /**
         * Test seam, package-private on purpose: a probe the logic stage and replay
         * call before each apply, so a test can make "the rules" throw at a chosen
         * event (see {@link ApplyProbe}).
         *
         * @param probe the probe.
         * @return this.
         */
        Builder applyProbe(final ApplyProbe probe)
        {
            this.applyProbe = probe;
            return this;
        }

        /**
         * @return the validated configuration.
         * @throws IllegalArgumentException naming the first invalid field and its value.
         */
        public EngineConfig build()
        {
            require(directory != null, "directory", null, "must be set");
            require(ringSize >= 64 && Integer.bitCount(ringSize) == 1, "ringSize", ringSize,
                "must be a power of two >= 64");
            require(durability != null, "durability", null, "must be set");
            require(rollCycle != null, "rollCycle", null, "must be set");
            require(highWatermark >= 0 && highWatermark < 1, "highWatermark", highWatermark, "must be in [0, 1)");
            require(normalWatermark >= highWatermark && normalWatermark < 1, "normalWatermark", normalWatermark,
                "must be in [highWatermark, 1)");
            require(publishTimeout != null && !publishTimeout.isNegative(), "publishTimeout", publishTimeout,
                "must be >= 0");
            require(drainTimeout != null && !drainTimeout.isNegative() && !drainTimeout.isZero(), "drainTimeout",
                drainTimeout, "must be > 0");
            require(logicFailurePolicy != null, "logicFailurePolicy", null, "must be set");
            require(snapshotEveryEvents >= 0, "snapshotEveryEvents", snapshotEveryEvents, "must be >= 0");
            require(snapshotEveryInterval != null && !snapshotEveryInterval.isNegative(), "snapshotEveryInterval",
                snapshotEveryInterval, "must be >= 0");
            require(snapshotsRetained >= 1, "snapshotsRetained", snapshotsRetained, "must be >= 1");
            Objects.requireNonNull(clockMs, "clockMs");
            require(expectedSkus >= 0, "expectedSkus", expectedSkus, "must be >= 0");
            require(expectedOrders >= 0, "expectedOrders", expectedOrders, "must be >= 0");
            Objects.requireNonNull(applyProbe, "applyProbe");
            require(stateCheckpointEvery >= 1, "stateCheckpointEvery", stateCheckpointEvery, "must be >= 1");
            require(shadowDivergencePolicy != null, "shadowDivergencePolicy", null, "must be set");
            require(shadowLagLimit >= 0, "shadowLagLimit", shadowLagLimit, "must be >= 0 (0: no limit)");
            require(RuleParameters.validRetention(retentionMs), "retentionMs", retentionMs,
                "must be " + RuleParameters.retentionValues());
            require(RuleParameters.validOrderCapacity(orderCapacity), "orderCapacity", orderCapacity,
                "must be " + RuleParameters.orderCapacityValues());
            require(RuleParameters.validSkuCapacity(skuCapacity), "skuCapacity", skuCapacity,
                "must be " + RuleParameters.skuCapacityValues());
            require(maxClockAheadMs >= 0 && maxClockAheadMs <= RuleParameters.MAX_TIME_MS, "maxClockAheadMs",
                maxClockAheadMs, "must be in 0.." + RuleParameters.MAX_TIME_MS);
            require(archiveDirectory == null || !archiveByDeleting, "archiveByDeleting", archiveByDeleting,
                "cannot be combined with archiveInto=" + archiveDirectory + ": move or delete, not both");
            require(archiveOlderThan != null && !archiveOlderThan.isNegative(), "archiveOlderThan", archiveOlderThan,
                "must be >= 0");
            require(diskFreeWarningBytes == 0 || diskFreeWarningBytes > JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES,
                "diskFreeWarningBytes", diskFreeWarningBytes,
                "must be 0 (never warn) or above the journal's halt level "
                    + JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES + " (minFreeDiskBytes)");
            return new EngineConfig(this);
        }

        private static void require(final boolean condition, final String field, final Object value, final String why)
        {
            if (!condition)
            {
                throw new IllegalArgumentException(field + "=" + value + ": " + why);
            }
        }
    }
}
