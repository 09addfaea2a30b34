package io.stockflow.perf.harness;

import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.JitTime;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench throughput}: the demo's mix pushed as fast as admission allows, and in the
 * same run the same events through each baseline. Every phase starts on a settled heap
 * (untimed, {@link SettledHeap}, after the shadow state's rebuild for an engine phase), so none
 * pays for the garbage of the one before; then it sends a warm-up and times the measured events:
 * <ul>
 *   <li><b>engine</b>: publish (retrying BACKPRESSURE) until the last outcome is released;
 *       then the state hash is checked against a replay, and that replay is timed too; with
 *       snapshots on (the default), the longest hold-up of the logic stage by snapshot work
 *       is read from the counters and the shadow state must have matched the live state at
 *       every checkpoint;</li>
 *   <li><b>engine, snapshots off</b>: the same run again with snapshots off (the same
 *       figure when the settings already have them off), after the engine phase or, when the
 *       caller asks (every other run of {@code bench throughput --runs}), before it;</li>
 *   <li><b>raw journal</b>: our journal's appender alone, same payloads, a commit every
 *       {@value #COMMIT_EVERY} records (the engine commits once per Disruptor batch), with its
 *       pretoucher on (the journal's default), off, or both ways one after the other
 *       ({@link RawPretouch}; with both, the pretouched figure is the main one);</li>
 *   <li><b>raw queue</b>: raw Chronicle Queue, same payload bytes, no framing;</li>
 *   <li><b>bare ring</b>: the engine's topology and waits with no-op stages;</li>
 *   <li><b>replay</b> and <b>raw read</b>: the engine's journal through the rules, and read
 *       (and checked) without them;</li>
 *   <li><b>allocation</b>: heap bytes of the publisher and the three stage threads over the
 *       measured events.</li>
 * </ul>
 */
public final class ThroughputHarness
{
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    /** Records per commit in the raw-journal phase. */
    public static final int COMMIT_EVERY = 64;

    private ThroughputHarness()
    {
    }

    /**
     * @param events       measured events.
     * @param warmupEvents events sent first, not timed.
     * @param settings     engine settings.
     * @param scratch      where to create scratch directories; null for the system's.
     * @return the run's figures, checked.
     */
    public static ThroughputRun run(
        final long events, final long warmupEvents, final BenchEngine.Settings settings, final Path scratch)
    {
        return run(events, warmupEvents, settings, scratch, false, RawPretouch.ON, false);
    }

    /**
     * @param events          measured events per phase.
     * @param warmupEvents    events before timing, per phase.
     * @param settings        engine settings.
     * @param scratch         where to create scratch directories; null for the system's.
     * @param compareCounters also run the engine with its counters off, right after it with them on.
     * @param rawPretouch     whether the raw-journal phase runs with the journal's pretoucher, without, or both.
     * @param snapshotsOffFirst run the snapshots-off phase before the engine's instead of after it: a caller
     *                        repeating runs alternates, so neither phase always takes the first place in the JVM.
     * @return the run's figures, checked.
     */
    public static ThroughputRun run(
        final long events,
        final long warmupEvents,
        final BenchEngine.Settings settings,
        final Path scratch,
        final boolean compareCounters,
        final RawPretouch rawPretouch,
        final boolean snapshotsOffFirst)
    {
        final ThroughputRun run = new ThroughputRun();
        final boolean snapshots = settings.snapshotEveryEvents() > 0;
        if (snapshots && snapshotsOffFirst)
        {
            snapshotsOff(run, events, warmupEvents, settings, scratch);
        }
        final EffectivePlan plan;
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-tput-engine"))
        {
            plan = engine(run, events, warmupEvents, settings, directory.path());
        }
        if (!snapshots)
        {
            run.engineNosnapEps = run.engineEps;
        }
        else if (!snapshotsOffFirst)
        {
            snapshotsOff(run, events, warmupEvents, settings, scratch);
        }
        if (compareCounters)
        {
            final ThroughputRun countersOff = new ThroughputRun();
            try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-tput-nocounters"))
            {
                engine(countersOff, events, warmupEvents, settings.copy().counters(!settings.counters()),
                    directory.path());
            }
            run.engineOtherCountersEps = countersOff.engineEps;
            run.allocOtherCountersBytesPerEvent = countersOff.allocBytesPerEvent;
        }
        run.rawJournalPretouch = rawPretouch != RawPretouch.OFF;
        for (final boolean pretouch : rawPretouch.settings())
        {
            SettledHeap.collect();
            try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-tput-journal"))
            {
                final double eps = rawJournal(events, warmupEvents, settings, directory.path(), pretouch);
                if (pretouch == run.rawJournalPretouch)
                {
                    run.rawJournalEps = eps;
                }
                else
                {
                    run.rawJournalOtherPretouchEps = eps;
                }
            }
        }
        SettledHeap.collect();
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-tput-queue"))
        {
            run.rawQueueEps = rawQueue(events, warmupEvents, settings, directory.path());
        }
        SettledHeap.collect();
        run.rawRingEps = ring(events, warmupEvents, plan);
        return run;
    }

    /** The same engine phase with snapshots off: its rate goes into {@code run} beside the engine's. */
    private static void snapshotsOff(final ThroughputRun run, final long events, final long warmupEvents,
        final BenchEngine.Settings settings, final Path scratch)
    {
        final ThroughputRun snapshotsOff = new ThroughputRun();
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-tput-nosnap"))
        {
            engine(snapshotsOff, events, warmupEvents, settings.copy().snapshotEveryEvents(0), directory.path());
        }
        run.engineNosnapEps = snapshotsOff.engineEps;
        run.jitMsEngineNosnap = snapshotsOff.jitMsEngine;
    }

    private static EffectivePlan engine(
        final ThroughputRun run,
        final long events,
        final long warmupEvents,
        final BenchEngine.Settings settings,
        final Path directory)
    {
        final EffectivePlan plan;
        final long total = warmupEvents + events;
        final BenchEngine engine = BenchEngine.start(settings, directory, LatencyRecorder.NONE, null);
        try
        {
            // Every phase starts with its presized tables in the old generation and the previous
            // phase's collected, so no phase pays for another's garbage (as in bench latency).
            engine.settle(SETTLE_TIMEOUT);
            plan = engine.engine().affinityPlan();
            BenchPlans.confinePublisher(plan);
            final WorkloadGenerator generator = DemoWorkload.generator();
            final GeneratedCommand command = new GeneratedCommand();
            for (long i = 0; i < warmupEvents; i++)
            {
                generator.next(command);
                engine.publish(command);
            }
            engine.awaitAllReleased(Duration.ofSeconds(60));
            final List<Thread> threads = new ArrayList<>();
            threads.add(Thread.currentThread());
            threads.addAll(plan.threadFactoryFor(Stages.JOURNAL).liveThreads());
            threads.addAll(plan.threadFactoryFor(Stages.LOGIC).liveThreads());
            threads.addAll(plan.threadFactoryFor(Stages.OUTCOME).liveThreads());
            final AllocationMeter allocation = AllocationMeter.start(threads);
            final long jitAtStart = JitTime.totalMs();
            final long start = System.nanoTime();
            for (long i = 0; i < events; i++)
            {
                generator.next(command);
                engine.publish(command);
            }
            engine.awaitAllReleased(Duration.ofSeconds(120));
            final long elapsed = System.nanoTime() - start;
            run.jitMsEngine = JitTime.between(jitAtStart, JitTime.totalMs());
            run.allocByThread = allocation.bytesByThread();
            run.allocBytesPerEvent = allocation.bytes() / (double)events;
            run.engineEps = events * 1e9 / elapsed;
            run.shadowLagAtEnd = settings.shadowState()
                ? Math.max(0, total - engine.counter(EngineCounter.SHADOW_SEQUENCE)) : 0;
            run.engineWithShadowEps = events * 1e9 / (awaitShadow(engine, total, settings) - start);
            run.engineRefusals = engine.refusals();
            run.snapshotHoldMaxUs = engine.counter(EngineCounter.SNAPSHOT_HOLD_MAX_NS) / 1e3;
            BenchCheckException.check(engine.counter(EngineCounter.SHADOW_DIVERGENCES) == 0,
                "the live state diverged from the shadow state (the journal's replay) at "
                    + engine.counter(EngineCounter.SHADOW_DIVERGENCES) + " checkpoint(s)");
            BenchCheckException.check(engine.lastSequence() == total, "engine published " + engine.lastSequence()
                + " of " + total + " events");
            final ReplayStats replay = engine.finish();
            run.replayEps = replay.eventsPerSecond();
        }
        finally
        {
            BenchPlans.releasePublisher();
            engine.close();
        }
        run.rawReadEps = rawRead(directory, total);
        return plan;
    }

    /**
     * Waits until the shadow state has applied the last event: with snapshots on it follows the
     * journal on its own (background) thread and may still be behind when the last outcome is
     * released; the time it takes to catch up is the part of the run a faster engine figure
     * would otherwise leave out.
     *
     * @return the nanoTime at which it had caught up (now, with snapshots off).
     */
    private static long awaitShadow(final BenchEngine engine, final long last, final BenchEngine.Settings settings)
    {
        if (settings.snapshotEveryEvents() <= 0)
        {
            return System.nanoTime();
        }
        return engine.awaitShadow(last, Duration.ofMinutes(2));
    }

    private static double rawRead(final Path engineDirectory, final long expected)
    {
        final JournalRecord record = new JournalRecord();
        long count = 0;
        long bytes = 0;
        final long start = System.nanoTime();
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            while (reader.readNext(record))
            {
                // The parameters record before sequence 1 is read like the rest but is not a command.
                if (record.sequence() > 0)
                {
                    count++;
                    bytes += record.payloadLength();
                }
            }
        }
        final long elapsed = System.nanoTime() - start;
        BenchCheckException.check(count == expected && bytes > 0, "raw read found " + count + " records of "
            + expected);
        return count * 1e9 / elapsed;
    }

    private static double rawJournal(
        final long events,
        final long warmupEvents,
        final BenchEngine.Settings settings,
        final Path directory,
        final boolean pretouch)
    {
        final WorkloadGenerator generator = DemoWorkload.generator();
        final GeneratedCommand command = new GeneratedCommand();
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final long total = warmupEvents + events;
        long start = System.nanoTime();
        long last = 0;
        try (Journal journal = Journal.open(JournalConfig.builder(directory)
            .rollCycle(settings.rollCycle())
            .durability(settings.durability())
            .pretouch(pretouch)
            .build()))
        {
            final JournalAppender appender = journal.appender();
            for (long i = 0; i < total; i++)
            {
                if (i == warmupEvents)
                {
                    start = System.nanoTime();
                }
                generator.next(command);
                final int length = command.encode(payload, 0);
                last = appender.append(command.ts(), command.type().code(), CommandCodec.SCHEMA_VERSION, payload, 0,
                    length);
                if ((i & (COMMIT_EVERY - 1)) == COMMIT_EVERY - 1)
                {
                    appender.commit();
                }
            }
            appender.commit();
            BenchCheckException.check(appender.committedSequence() == total, "raw journal committed "
                + appender.committedSequence() + " of " + total);
        }
        final long elapsed = System.nanoTime() - start;
        BenchCheckException.check(last == total, "raw journal appended " + last + " of " + total);
        return events * 1e9 / elapsed;
    }

    private static double rawQueue(
        final long events, final long warmupEvents, final BenchEngine.Settings settings, final Path directory)
    {
        final WorkloadGenerator generator = DemoWorkload.generator();
        final GeneratedCommand command = new GeneratedCommand();
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final long total = warmupEvents + events;
        long start = System.nanoTime();
        long lastIndex;
        try (SingleChronicleQueue queue = RawQueue.open(directory, settings.rollCycle());
            ExcerptAppender appender = queue.createAppender())
        {
            for (long i = 0; i < total; i++)
            {
                if (i == warmupEvents)
                {
                    start = System.nanoTime();
                }
                generator.next(command);
                final int length = command.encode(payload, 0);
                try (DocumentContext document = appender.writingDocument())
                {
                    document.wire().bytes().write(payload, 0, length);
                }
            }
            lastIndex = appender.lastIndexAppended();
            BenchCheckException.check(queue.entryCount() == total, "raw queue holds " + queue.entryCount()
                + " of " + total + " documents");
        }
        BenchCheckException.check(lastIndex >= 0, "raw queue appended nothing");
        return events * 1e9 / (System.nanoTime() - start);
    }

    private static double ring(final long events, final long warmupEvents, final EffectivePlan plan)
    {
        final WorkloadGenerator generator = DemoWorkload.generator();
        final GeneratedCommand command = new GeneratedCommand();
        final Counter counter = new Counter();
        final long total = warmupEvents + events;
        final double eps;
        try (BarePipeline pipeline = BarePipeline.start(plan, EngineConfig.DEFAULT_RING_SIZE, counter))
        {
            BenchPlans.confinePublisher(plan);
            final RingBuffer<BareSlot> ring = pipeline.ring();
            long start = System.nanoTime();
            long sequence = -1;
            for (long i = 0; i < total; i++)
            {
                if (i == warmupEvents)
                {
                    BenchCheckException.check(pipeline.awaitReleased(sequence, Duration.ofSeconds(60)),
                        "bare pipeline did not drain the warm-up");
                    start = System.nanoTime();
                }
                generator.next(command);
                sequence = ring.next();
                final BareSlot slot = ring.get(sequence);
                slot.payloadLength = command.encode(slot.payload, 0);
                ring.publish(sequence);
            }
            BenchCheckException.check(pipeline.awaitReleased(sequence, Duration.ofSeconds(120)),
                "bare pipeline released only up to " + pipeline.releasedSequence() + " of " + sequence);
            eps = events * 1e9 / (System.nanoTime() - start);
        }
        finally
        {
            BenchPlans.releasePublisher();
        }
        BenchCheckException.check(counter.released == total, "bare pipeline released " + counter.released + " of "
            + total);
        return eps;
    }

    /** Counts released events on the outcome thread. */
    private static final class Counter implements BarePipeline.ReleaseListener
    {
        private long released;

        @Override
        public void onReleased(final BareSlot slot, final long releasedNs)
        {
            released++;
        }
    }
}
