package io.stockflow.cli;

import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.JitTime;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.internal.FileTree;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code stockflow demo}: the main job on an embedded default. A seeded,
 * realistic workload runs through an engine on a temporary directory with a
 * progress bar; then throughput and latency percentiles, a clean stop, a restart
 * that recovers from the newest snapshot plus the journal after it, and a check
 * that the recovered state hash, and that of a full replay of the journal alone,
 * equal the hash before the stop.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a realistic seeded workload through an embedded engine, report throughput and latency, "
    + "stop, restart, recover, and check the state hash. Takes well under a minute with the defaults.")
final class DemoCommand implements Callable<Integer>
{
    /** The demo's retention: one minute of event time, the shortest allowed. */
    private static final long DEMO_RETENTION_MS = RuleParameters.MIN_RETENTION_MS;

    /**
     * The demo's orderCapacity. Under its retention the demo holds a bounded number of orders however
     * many commands it runs (see {@link #runDemo}; 105,656 at the end of the default run, fewer than the
     * roughly 400,000 placed in the 14 minutes of event time an order can stay); the default capacity (16M orders,
     * some 9 GB at the measured bytes per held order) would make the engine warn at start that the
     * heap cannot hold a full engine, which is true of the defaults and noise in a demo.
     */
    private static final int DEMO_ORDER_CAPACITY = 2_000_000;

    /**
     * The most orders the demo's workload holds at once under {@link #DEMO_RETENTION_MS}: those placed in
     * the last 14 minutes of event time (its longest reservation plus three retentions), about 400,000.
     * Presized for the 1.55 million a default run places, as it was before retention, the demo's restart
     * recovered in 0.99 to 1.07 s and the process peaked at 1.7 to 2.1 GB RSS; sized for this, 0.53 to
     * 0.64 s and 1.2 to 1.5 GB (three alternated pairs, BENCHMARKS.md "2026-12-05 14:25").
     */
    private static final int DEMO_MOST_HELD_ORDERS = 400_000;
    /** How long the demo waits for the shadow state before its steady phase, and how often it looks. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    /** Seconds sent at the steady rate before its measurement starts (see {@link #runSteadyRate}). */
    private static final long STEADY_LEAD_IN_SECONDS = 2;
    private static final long SETTLE_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    @Option(names = "--events", defaultValue = "3000000", paramLabel = "N", description = "Commands to run. Default: ${DEFAULT-VALUE}.")
    private long events;

    @Option(names = "--skus", defaultValue = ""
        + WorkloadGenerator.DEMO_SKUS, paramLabel = "N", description = "SKUs. Default: ${DEFAULT-VALUE}.")
    private int skus;

    @Option(names = "--seed", defaultValue = ""
        + WorkloadGenerator.DEMO_SEED, paramLabel = "N", description = "Workload seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Engine directory to use and keep (default: a temporary one, deleted afterwards).")
    private Path dir;

    @Option(names = "--plan", paramLabel = "FILE", description = "Affinity plan file (default: this machine's).")
    private Path planFile;

    @Option(names = "--rate", defaultValue = "20000", paramLabel = "N", description = "Commands per second of the steady-rate latency phase. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--latency-seconds", defaultValue = "5", paramLabel = "S", description = "Seconds of the steady-rate latency phase (0: skip it). Default: ${DEFAULT-VALUE}.")
    private int latencySeconds;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (events < 1 || skus < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--events and --skus must be >= 1");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final boolean temporary = dir == null;
        final Path directory = temporary ? Files.createTempDirectory("stockflow-demo-") : dir;
        if (!temporary && Files.isDirectory(directory) && !isEmpty(directory))
        {
            throw new UserException(ExitCodes.USAGE, "--dir " + directory
                + " is not empty; the demo needs a new or empty directory");
        }
        try
        {
            return runDemo(out, directory);
        }
        finally
        {
            if (temporary)
            {
                FileTree.deleteRecursivelyUnchecked(directory);
            }
        }
    }

    private int runDemo(final PrintWriter out, final Path directory) throws IOException
    {
        final EngineConfig config = EngineConfig.builder(directory)
            // The workload's event time runs at about 1,000 commands per second and its longest reservation
            // is 11 minutes: with a one-minute retention every order leaves the state within about 14 minutes
            // of event time (840,000 commands) of its PLACE, so the default 3,000,000-command run holds a
            // bounded number of orders from then on instead of every order it ever placed.
            .ruleParameters(DEMO_RETENTION_MS, DEMO_ORDER_CAPACITY,
                RuleParameters.DEFAULT_SKU_CAPACITY)
            .snapshotEveryEvents(Math.max(1, events / 3))
            .snapshotOnClose(false)
            // Sized for the orders held at once, as a service sizes for its working set (README, "Sizing"),
            // not for every order the run places: the tables are presized in the live and the shadow state
            // alike, and each presized order is heap the JVM zeroes and faults in at every start.
            .expectedState(Math.max(1_024, skus * 2),
                (int)Math.min(DEMO_MOST_HELD_ORDERS, (events + rate * latencySeconds) / 2 + 1_024))
            .affinityPlan(planFile == null ? null : AffinityCommand.loadPlan(planFile,
                io.stockflow.affinity.CpuInventory.detect()))
            .build();
        out.printf("Stockflow demo: %,d commands over %,d SKUs (seed %d)%nengine directory %s%n%n", events, skus,
            seed, directory);
        out.flush();
        final DemoOutcomes outcomes = new DemoOutcomes();
        long hashBefore;
        final long lastSequence;
        final double seconds;
        try (StockflowEngine engine = StockflowEngine.builder(config).outcomeListener(outcomes)
            .latencyRecorder((published, journaled, applied, released) -> outcomes.latency
                .recordValue(Math.min(released - published, outcomes.latency.getHighestTrackableValue())))
            .build())
        {
            engine.start();
            out.print(engine.affinityPlan().toTable());
            out.println();
            out.flush();
            final WorkloadGenerator generator = new WorkloadGenerator(seed, skus);
            final GeneratedCommand command = new GeneratedCommand();
            final BackpressureRetry retry = waitingOutBackpressure(engine);
            final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "running", events);
            final long start = System.nanoTime();
            long last = 0;
            for (long i = 1; i <= events; i++)
            {
                generator.next(command);
                last = publishWaiting(retry, engine, command);
                if ((i & 0x3FFF) == 0)
                {
                    progress.update(i);
                }
            }
            awaitReleased(engine, last);
            seconds = (System.nanoTime() - start) / 1e9;
            progress.finish();
            hashBefore = engine.query(state -> state.stateHash()).join();
            final long[] sizes = engine.query(
                state -> new long[] {state.skuCount(), state.orderCount(), state.ordersForgotten()}).join();
            printRun(out, seconds, outcomes, sizes, hashBefore);
            if (latencySeconds > 0)
            {
                awaitShadowSettled(out, engine, last, config.snapshotEveryEvents());
                last = runSteadyRate(out, engine, retry, generator, command, outcomes);
                hashBefore = engine.query(state -> state.stateHash()).join();
                out.printf("state         after the steady phase: state hash %s%n", StatePrinter.hash(hashBefore));
            }
            lastSequence = last;
        }
        out.printf("stop          clean close at sequence %,d%n", lastSequence);
        out.flush();

        final long restartStart = System.nanoTime();
        final long hashAfter;
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            final Recovery.RecoveryResult recovery = engine.start();
            final double restartSeconds = (System.nanoTime() - restartStart) / 1e9;
            hashAfter = engine.query(state -> state.stateHash()).join();
            out.printf("restart       recovered %s + %,d journal events in %.2f s (engine start %.2f s)%n",
                recovery.snapshot() == null ? "without a snapshot" : "from " + recovery.snapshot().getFileName(),
                recovery.replayed().events(), recovery.elapsedNs() / 1e9, restartSeconds);
            out.printf("              state hash %s %s the hash before the stop%n", StatePrinter.hash(hashAfter),
                hashAfter == hashBefore ? "equals" : "DIFFERS FROM");
        }
        final Recovery.RecoveryResult full;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            full = Recovery.recover(null, reader, JournalReplayer.RulesFactory.DEFAULT,
                EngineDirectoryRecord.logicFailurePolicy(directory),
                JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED, ReplayProgress.NONE, JournalOrigin.of(directory));
        }
        final long fullHash = full.replayer().state().stateHash();
        out.printf("full replay   %,d events from the journal alone in %.2f s (%,.0f events/s)%n",
            full.replayed().events(), full.elapsedNs() / 1e9, full.replayed().eventsPerSecond());
        out.printf("              state hash %s %s the hash before the stop%n", StatePrinter.hash(fullHash),
            fullHash == hashBefore ? "equals" : "DIFFERS FROM");
        final boolean ok = hashAfter == hashBefore && fullHash == hashBefore;
        out.printf("%n%s%n", ok ? "demo OK: recovery is deterministic (same state hash after restart and after a "
            + "full replay)" : "demo FAILED: recovered state differs");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    /**
     * Before the steady phase: waits until the shadow state has applied the run phase's last command and
     * written the snapshot due at or before it. The run phase sends as fast as the engine takes, and the
     * shadow state follows behind: started at once, the steady phase would share the two CPUs with its
     * catch-up (about a million events and a snapshot of the whole state), and measure that backlog rather
     * than the engine at a steady rate (BENCHMARKS.md, 2026-12-05 17:40). The wait is printed.
     */
    private static void awaitShadowSettled(
        final PrintWriter out, final StockflowEngine engine, final long last, final long snapshotEvery)
    {
        final long dueSnapshot = snapshotEvery > 0 ? last / snapshotEvery * snapshotEvery : 0;
        final ShadowSettle.Result settle = ShadowSettle.await(
            () -> engine.counters().get(EngineCounter.SHADOW_SEQUENCE),
            () -> engine.counters().get(EngineCounter.SNAPSHOT_LAST_SEQUENCE),
            () -> engine.counters().get(EngineCounter.SNAPSHOT_FAILURES),
            last, dueSnapshot, SETTLE_TIMEOUT.toNanos(), SETTLE_POLL_NS);
        out.println(settleLine(settle, last, dueSnapshot));
    }

    /** The demo's {@code settle} line for a wait that ended as {@code settle} says. */
    static String settleLine(final ShadowSettle.Result settle, final long last, final long dueSnapshot)
    {
        return switch (settle.outcome())
        {
            case SETTLED -> String.format("settle        %.2f s until the shadow state caught up and wrote its "
                + "snapshot at %,d; the steady phase starts after it", settle.elapsedNs() / 1e9, dueSnapshot);
            case TIMED_OUT -> String.format("settle        the shadow state did not catch up within %d s (at "
                + "sequence %,d of %,d); the steady phase starts anyway", SETTLE_TIMEOUT.toSeconds(),
                settle.shadowSequence(), last);
            case SNAPSHOT_FAILED -> String.format("settle        a snapshot failed after %.2f s (the shadow state at "
                + "sequence %,d of %,d; see the log); the steady phase starts without waiting for the snapshot "
                + "at %,d", settle.elapsedNs() / 1e9, settle.shadowSequence(), last, dueSnapshot);
        };
    }

    /**
     * Sends the workload at a steady rate, each command at its planned time, and measures
     * from that planned time to the outcome's release, so a stall counts against every
     * command it delays (no coordinated omission). The first {@link #STEADY_LEAD_IN_SECONDS}
     * at the same rate are not measured: they are where the JIT compiles the paced path (the
     * pacer, single-event batches), which the full-speed phase never ran, and on 2 CPUs its
     * compiler thread took about half a CPU for the phase's first second or two
     * (BENCHMARKS.md, the section of 2026-12-06 02:45).
     *
     * <p>The lead-in runs the code the measured phase runs, so that the JIT has compiled it before
     * the measurement starts: both send through {@link PacedSender}, and the outcome path records the
     * lead-in's latencies too, into a histogram that is not reported, chosen without a branch. A
     * branch first taken at the measured phase's first command or first result made the JIT
     * deoptimize the sending loop and the release path (the listener is inlined into it) and compile
     * them again inside the measured window (BENCHMARKS.md, the section of 2026-12-07 20:26).
     */
    private long runSteadyRate(
        final PrintWriter out, final StockflowEngine engine, final BackpressureRetry retry,
        final WorkloadGenerator generator,
        final GeneratedCommand command, final DemoOutcomes outcomes)
    {
        final long leadIn = rate * STEADY_LEAD_IN_SECONDS;
        final long count = rate * latencySeconds;
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "steady rate", leadIn + count);
        final PacedSender sender = new PacedSender(new Pacer(System.nanoTime() + 1_000_000, rate), engine, retry,
            generator, command, outcomes, progress);
        final long jitAtStart = JitTime.totalMs();
        outcomes.startPacedPhase(engine.publisher().nextSequence());
        sender.send(0, leadIn);
        final long jitAtMeasureStart = JitTime.totalMs();
        outcomes.startMeasuring(engine.publisher().nextSequence());
        final long last = sender.send(leadIn, leadIn + count);
        awaitReleased(engine, last);
        final long jitAtEnd = JitTime.totalMs();
        progress.finish();
        final Histogram h = outcomes.steadyLatency;
        out.printf("steady rate   %,d commands/s for %d s, after %d s at that rate not measured: planned time -> "
            + "outcome released (no coordinated omission):%n", rate, latencySeconds, STEADY_LEAD_IN_SECONDS);
        out.printf("              p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s  (%,d commands)%n",
            micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
            micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)),
            micros(h.getValueAtPercentile(99.99)), micros(h.getMaxValue()), h.getTotalCount());
        // On 2 CPUs a compiler thread takes a CPU from the engine, so a tail measured while the JIT still worked is
        // partly the JIT's: say how much it worked (-1 where the JVM does not keep the figure).
        out.printf("              the JIT compiled %d ms in the lead-in and %d ms in the measured %d s%n",
            JitTime.between(jitAtStart, jitAtMeasureStart), JitTime.between(jitAtMeasureStart, jitAtEnd),
            latencySeconds);
        return last;
    }

    /** Sends the steady phase's commands at their planned times (the sending thread's). */
    private static final class PacedSender
    {
        private static final int CHUNK = 16;
        private final Pacer pacer;
        private final StockflowEngine engine;
        private final BackpressureRetry retry;
        private final WorkloadGenerator generator;
        private final GeneratedCommand command;
        private final DemoOutcomes outcomes;
        private final Progress progress;

        PacedSender(final Pacer pacer, final StockflowEngine engine, final BackpressureRetry retry,
            final WorkloadGenerator generator, final GeneratedCommand command, final DemoOutcomes outcomes,
            final Progress progress)
        {
            this.pacer = pacer;
            this.engine = engine;
            this.retry = retry;
            this.generator = generator;
            this.command = command;
            this.outcomes = outcomes;
            this.progress = progress;
        }

        /**
         * Sends commands {@code from} to {@code to - 1}, each at its planned time or at once when that has passed,
         * {@value #CHUNK} per call of {@link #sendChunk}. The JIT compiles a method after far fewer calls than
         * loop iterations: at 20,000 commands/s, a loop over the whole phase was compiled 3 to 5 s into it, inside
         * the measured window; a method called every {@value #CHUNK} commands is compiled within the lead-in's
         * first second.
         *
         * @return the last one's sequence.
         */
        long send(final long from, final long to)
        {
            long last = 0;
            for (long chunk = from; chunk < to; chunk += CHUNK)
            {
                last = sendChunk(chunk, Math.min(to, chunk + CHUNK));
            }
            return last;
        }

        private long sendChunk(final long from, final long to)
        {
            long last = 0;
            for (long i = from; i < to; i++)
            {
                final long planned = pacer.awaitPlanned(i);
                generator.next(command);
                final long sequence = engine.publisher().nextSequence();
                outcomes.planned[(int)(sequence & DemoOutcomes.PLANNED_MASK)] = planned;
                last = publishWaiting(retry, engine, command);
                if ((i & 0x3FF) == 0)
                {
                    progress.update(i);
                }
            }
            return last;
        }
    }

    /**
     * @return a retry that waits out back-pressure, parking between tries: the demo wants every
     *         command in, as a batch client does, and it shares the machine's few CPUs with the stages.
     */
    private static BackpressureRetry waitingOutBackpressure(final StockflowEngine engine)
    {
        return new BackpressureRetry(engine.publisher(), RetryBackoff.parkNanos(1_000), Duration.ofMinutes(5));
    }

    /** Publishes, waiting out back-pressure; any refusal left is an internal error. */
    private static long publishWaiting(
        final BackpressureRetry retry, final StockflowEngine engine, final GeneratedCommand command)
    {
        final long result = retry.publish(command, command.ts());
        if (result < 0)
        {
            throw new UserException(ExitCodes.INTERNAL, "engine refused a command: "
                + PublishRefusal.name(result) + " " + engine.haltReason());
        }
        return result;
    }

    private static void awaitReleased(final StockflowEngine engine, final long sequence)
    {
        if (!engine.awaitReleased(sequence, Duration.ofMinutes(5)))
        {
            throw new UserException(ExitCodes.INTERNAL, "outcomes were not all released: " + engine.haltReason());
        }
    }

    private void printRun(
        final PrintWriter out, final double seconds, final DemoOutcomes outcomes, final long[] sizes, final long hash)
    {
        out.printf("throughput    %,.0f commands/s (%,d commands in %.2f s)%n", events / seconds, events, seconds);
        final Histogram h = outcomes.latency;
        out.printf("latency       publish -> outcome released, under full load (includes time queued in the ring):%n");
        out.printf("              p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
            micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
            micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)),
            micros(h.getValueAtPercentile(99.99)), micros(h.getMaxValue()));
        final StringBuilder reasons = new StringBuilder();
        long rejected = 0;
        for (final RejectReason reason : RejectReason.values())
        {
            final long count = outcomes.rejected[reason.code()];
            rejected += count;
            if (count > 0)
            {
                reasons.append(reasons.length() == 0 ? "" : ", ").append(reason.name()).append(' ')
                    .append(String.format("%,d", count));
            }
        }
        final StringBuilder types = new StringBuilder();
        for (final CommandType type : CommandType.values())
        {
            types.append(types.length() == 0 ? "" : ", ").append(type.name()).append(' ')
                .append(String.format("%,d", outcomes.byType[type.code()]));
        }
        out.printf("commands      %s%n", types);
        out.printf("outcomes      accepted %,d; rejected %,d (%s); reservations expired %,d%n", outcomes.accepted,
            rejected, reasons, outcomes.expiries);
        out.printf("state         %,d SKUs, %,d orders held, %,d forgotten (retention %,d s), state hash %s%n",
            sizes[0], sizes[1], sizes[2], DEMO_RETENTION_MS / 1_000, StatePrinter.hash(hash));
    }

    private static String micros(final long nanos)
    {
        return nanos < 10_000 ? String.format("%.1fus", nanos / 1e3)
            : nanos < 10_000_000 ? String.format("%.0fus", nanos / 1e3) : String.format("%.1fms", nanos / 1e6);
    }

    private static boolean isEmpty(final Path directory) throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isEmpty();
        }
    }

    /** Counts outcomes on the outcome thread; read after the engine is closed or drained. */
    private static final class DemoOutcomes implements OutcomeListener
    {
        /** Planned send times of the steady phase, by sequence; larger than the ring, so never overwritten early. */
        static final int PLANNED_MASK = (1 << 17) - 1;

        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram steadyLatency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        /** The steady phase's lead-in [0], recorded and not reported, and its measured part [1]. */
        private final Histogram[] pacedLatency = {new Histogram(TimeUnit.SECONDS.toNanos(60), 3), steadyLatency};
        final long[] planned = new long[PLANNED_MASK + 1];
        /** The first sequence of the steady phase's lead-in; none until it starts. */
        private volatile long pacedFrom = Long.MAX_VALUE;
        /** The first sequence of the measured steady phase; none until it starts. */
        private volatile long measuredFrom = Long.MAX_VALUE;
        final long[] rejected = new long[RejectReason.MAX_CODE + 1];
        final long[] byType = new long[CommandType.MAX_CODE + 1];
        long accepted;
        long expiries;

        @Override
        public void onResult(
            final long sequence, final long eventTimeMs, final CommandType type, final long entityId,
            final RejectReason rejectReason, final boolean logicError)
        {
            byType[type.code()]++;
            if (sequence >= pacedFrom)
            {
                final long sincePlanned = System.nanoTime() - planned[(int)(sequence & PLANNED_MASK)];
                // [1] from measuredFrom on, chosen without a branch, so the code the lead-in compiled is the code
                // measured (see runSteadyRate).
                final Histogram into = pacedLatency[(int)((measuredFrom - 1 - sequence) >>> 63)];
                into.recordValue(Math.min(Math.max(0, sincePlanned), into.getHighestTrackableValue()));
            }
            if (rejectReason == null)
            {
                accepted++;
            }
            else
            {
                rejected[rejectReason.code()]++;
            }
        }

        @Override
        public void onOrderExpired(final long sequence, final long orderId)
        {
            expiries++;
        }

        /**
         * Results from {@code firstSequence} on are timed from their planned time, for the lead-in (publisher
         * thread, before that command is published).
         */
        void startPacedPhase(final long firstSequence)
        {
            pacedFrom = firstSequence;
        }

        /**
         * Results from {@code firstSequence} on are the measured steady phase's (publisher thread, before that
         * command is published).
         */
        void startMeasuring(final long firstSequence)
        {
            measuredFrom = firstSequence;
        }
    }
}
