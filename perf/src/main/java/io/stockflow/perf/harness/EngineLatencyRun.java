package io.stockflow.perf.harness;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.JitTime;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.CycleFiles;
import io.stockflow.perf.report.Histograms;
import io.stockflow.perf.report.RunNoise;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine under a constant offered rate of the demo's mix. Each command is sent at its
 * planned time; its latency is measured from that planned time to the release of its
 * outcome (so queueing behind a stall counts), and the engine's own stage timestamps give
 * the probes publish to journaled, to applied and to released. The journal uses the
 * fastest roll cycle and, unless the settings turn snapshots off, snapshots are
 * frequent, so the measurement crosses roll-overs and at least one snapshot; with
 * {@link BenchEngine.Settings#forcedCadence()} false, both are as configured instead. With
 * {@link BenchEngine.Settings#preloadOrders()} orders, those are placed and held
 * before the warm-up ({@link OrderPreload}), so the state is that large while it is
 * measured. The run ends with the state-hash check.
 */
public final class EngineLatencyRun
{
    private EngineLatencyRun()
    {
    }

    /**
     * @param phase     rate, warm-up and measured seconds.
     * @param settings  engine settings; unless they turn snapshots off, the snapshot interval is set here to
     *                  a third of the run.
     * @param directory a fresh engine directory.
     * @return the histograms, checked.
     * @throws BenchCheckException when a count or the state hash does not match.
     */
    public static Result run(final LatencyPhase phase, final BenchEngine.Settings settings, final Path directory)
    {
        final long preload = OrderPreload.commandsFor(settings.preloadOrders());
        final long total = phase.totalEvents();
        final long[] plannedBySequence = new long[Math.toIntExact(preload + total + 1)];
        final Probe probe = new Probe(plannedBySequence);
        SnapshotWarmUp.warmOnce(directory.getParent());
        // A third of the measured events: whatever the warm-up, at least two snapshots fall inside the measurement.
        // As configured instead, the interval and the roll cycle are the caller's, and none need fall inside.
        final boolean snapshots = settings.snapshotEveryEvents() > 0;
        final boolean forced = settings.forcedCadence();
        if (snapshots && forced)
        {
            settings.snapshotEveryEvents(Math.max(100, phase.measuredEvents() / 3));
        }
        final EffectivePlan plan;
        final Result result = new Result(probe);
        final BenchEngine engine = BenchEngine.start(settings, directory, probe, probe);
        try
        {
            plan = engine.engine().affinityPlan();
            result.plan = plan;
            BenchPlans.confinePublisher(plan);
            BenchCheckException.check(engine.nextSequence() == 1, "the engine directory was not fresh");
            preload(engine, settings, probe, settings.preloadOrders(), preload);
            engine.settle(Duration.ofMinutes(5));
            final WorkloadGenerator generator = DemoWorkload.generator();
            final GeneratedCommand command = new GeneratedCommand();
            final ThreadCpuMeter threadCpu = ThreadCpuMeter.start();
            final RunNoise noise = RunNoise.start();
            final PacerCost pacerCost = PacerCost.start();
            final Pacer pacer = phase.pacer(System.nanoTime() + 1_000_000);
            probe.measureFromNs = pacer.plannedNs(phase.warmupEvents());
            final long jitAtStart = JitTime.totalMs();
            long jitAtMeasureStart = JitTime.UNKNOWN;
            long snapshotsAtStart = 0;
            long rollOversAtStart = 0;
            for (long i = 0; i < total; i++)
            {
                if (i == phase.warmupEvents())
                {
                    snapshotsAtStart = engine.counter(EngineCounter.SNAPSHOTS);
                    rollOversAtStart = engine.counter(EngineCounter.JOURNAL_ROLL_OVERS);
                    jitAtMeasureStart = JitTime.totalMs();
                }
                final long planned = pacer.awaitPlanned(i);
                generator.next(command);
                plannedBySequence[(int)engine.nextSequence()] = planned;
                engine.publish(command);
            }
            result.pacer = pacerCost.stop(pacer);
            engine.awaitAllReleased(Duration.ofSeconds(60));
            result.threadCpu = threadCpu.stop();
            final long jitAtEnd = JitTime.totalMs();
            result.jitMsWarmup = JitTime.between(jitAtStart, jitAtMeasureStart);
            result.jitMsMeasured = JitTime.between(jitAtMeasureStart, jitAtEnd);
            result.noise = noise.stop();
            result.snapshotsMeasured = engine.counter(EngineCounter.SNAPSHOTS) - snapshotsAtStart;
            result.snapshotFailures = engine.counter(EngineCounter.SNAPSHOT_FAILURES);
            result.shadowLagMax = engine.counter(EngineCounter.SHADOW_LAG_MAX);
            result.expired = engine.counter(EngineCounter.ORDERS_EXPIRED);
            result.refusals = engine.refusals();
            engine.finish();
            // Read after close: the journal stage samples its roll-overs once more as it stops.
            result.rollOversMeasured = engine.counter(EngineCounter.JOURNAL_ROLL_OVERS) - rollOversAtStart;
        }
        finally
        {
            BenchPlans.releasePublisher();
            engine.close();
        }
        BenchCheckException.check(probe.engine.getTotalCount() == phase.measuredEvents(), "engine recorded "
            + probe.engine.getTotalCount() + " latencies for " + phase.measuredEvents() + " measured commands");
        BenchCheckException.check(probe.outcomes == preload + total, "engine released " + probe.outcomes
            + " outcomes for " + (preload + total) + " commands");
        result.journalFiles = countJournalFiles(directory);
        BenchCheckException.check(
            !forced || (result.snapshotsMeasured >= 1 || !snapshots) && result.rollOversMeasured >= 1,
            "the measurement crossed " + result.snapshotsMeasured + " snapshot(s) and " + result.rollOversMeasured
                + " journal roll-over(s) (" + result.snapshotFailures + " snapshot(s) failed); it must cross at least"
                + " one of each: measure for longer (--seconds)");
        return result;
    }

    /** Places the preloaded orders and checks that every one of them was accepted (so is held, RESERVED). */
    private static void preload(
        final BenchEngine engine, final BenchEngine.Settings settings, final Probe probe, final long orders,
        final long commands)
    {
        if (orders == 0)
        {
            return;
        }
        OrderPreload.publish(engine, orders);
        engine.awaitAllReleased(Duration.ofMinutes(10));
        if (settings.snapshotEveryEvents() > 0)
        {
            // A service's state grows over hours, with its shadow state keeping pace; a preload builds
            // it in seconds, and the shadow state applies it behind the live one. Untimed, so the
            // measurement sees the held state and its snapshots, not the shadow's catching up.
            engine.awaitShadow(engine.lastSequence(), Duration.ofMinutes(10));
        }
        BenchCheckException.check(probe.outcomes == commands && probe.rejected == 0, "preloading " + orders
            + " orders released " + probe.outcomes + " outcomes of " + commands + ", " + probe.rejected + " rejected");
    }

    private static long countJournalFiles(final Path engineDirectory)
    {
        try
        {
            return CycleFiles.in(engineDirectory.resolve("journal")).size();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** What one engine run measured. */
    public static final class Result
    {
        private final Probe probe;
        private EffectivePlan plan;
        private Map<String, Object> threadCpu = Map.of();
        private Map<String, Object> noise = Map.of();
        private Map<String, Object> pacer = Map.of();
        private long snapshotsMeasured;
        private long rollOversMeasured;
        private long snapshotFailures;
        private long shadowLagMax;
        private long journalFiles;
        private long refusals;
        private long expired;
        private long jitMsWarmup = JitTime.UNKNOWN;
        private long jitMsMeasured = JitTime.UNKNOWN;

        Result(final Probe probe)
        {
            this.probe = probe;
        }

        /** @return CPU time per engine thread over the engine phase, idle included ({@link ThreadCpuMeter}). */
        public Map<String, Object> threadCpu()
        {
            return threadCpu;
        }

        /**
         * @return what sending at the offered rate cost the sending thread over the engine phase: the
         *         pacer's spinning and parking, and the thread's CPU time ({@link PacerCost}).
         */
        public Map<String, Object> pacer()
        {
            return pacer;
        }

        /**
         * @return the JIT compilers' time in ms during the engine phase's warm-up and during its
         *         measured window ({@link JitTime}; -1 where the JVM does not keep it).
         */
        public Map<String, Object> jitCompileMs()
        {
            final Map<String, Object> jit = new LinkedHashMap<>();
            jit.put("warmup", jitMsWarmup);
            jit.put("measured", jitMsMeasured);
            return jit;
        }

        /** @return steal time, context switches and page faults of the engine phase ({@link RunNoise}). */
        public Map<String, Object> noise()
        {
            return noise;
        }

        /** @return planned time to outcome released, ns. */
        public Histogram engine()
        {
            return probe.engine;
        }

        /** @return publish to journaled, ns. */
        public Histogram journaled()
        {
            return probe.journaled;
        }

        /** @return publish to applied, ns. */
        public Histogram applied()
        {
            return probe.applied;
        }

        /** @return publish to released, ns. */
        public Histogram released()
        {
            return probe.released;
        }

        /** @return the plan the engine ran with. */
        public EffectivePlan plan()
        {
            return plan;
        }

        /** @return the shadow state's largest lag behind the journal's committed sequence over the run, events. */
        public long shadowLagMax()
        {
            return shadowLagMax;
        }

        /** @return snapshots taken while recording. */
        public long snapshotsMeasured()
        {
            return snapshotsMeasured;
        }

        /** @return journal roll-overs while recording. */
        public long rollOversMeasured()
        {
            return rollOversMeasured;
        }

        /** @return journal cycle files at the end. */
        public long journalFiles()
        {
            return journalFiles;
        }

        /** @return BACKPRESSURE refusals retried. */
        public long refusals()
        {
            return refusals;
        }

        /** @return reservations expired during the run. */
        public long expired()
        {
            return expired;
        }

        /** @return outcomes that were rejections. */
        public long rejected()
        {
            return probe.rejected;
        }
    }

    /**
     * Records on the outcome stage's thread: the listener learns the sequence, then the
     * recorder gets that event's stage timestamps. Allocation-free.
     */
    static final class Probe implements LatencyRecorder, OutcomeListener
    {
        private final long[] plannedBySequence;
        private final Histogram engine = Histograms.nanos();
        private final Histogram journaled = Histograms.nanos();
        private final Histogram applied = Histograms.nanos();
        private final Histogram released = Histograms.nanos();
        private volatile long measureFromNs = Long.MAX_VALUE;
        private long sequence;
        private long outcomes;
        private long rejected;

        Probe(final long[] plannedBySequence)
        {
            this.plannedBySequence = plannedBySequence;
        }

        @Override
        public void onResult(
            final long sequence,
            final long eventTimeMs,
            final CommandType type,
            final long entityId,
            final RejectReason rejectReason,
            final boolean logicError)
        {
            this.sequence = sequence;
            outcomes++;
            if (rejectReason != null)
            {
                rejected++;
            }
        }

        @Override
        public void record(
            final long publishedNs, final long journaledNs, final long appliedNs, final long releasedNs)
        {
            final long planned = plannedBySequence[(int)sequence];
            if (planned >= measureFromNs)
            {
                Histograms.record(engine, releasedNs - planned);
                Histograms.record(journaled, journaledNs - publishedNs);
                Histograms.record(applied, appliedNs - publishedNs);
                Histograms.record(released, releasedNs - publishedNs);
            }
        }
    }
}
