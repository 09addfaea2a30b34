package io.stockflow.perf.harness;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;

/**
 * {@code bench latency} in one run, one phase after the other at the same offered rate and
 * for the same seconds, with the OS-jitter probe running throughout: the engine (with its
 * stage probes and the state-hash check), the bare pipeline with the engine's threads and
 * wait strategies, and raw Chronicle Queue append plus tailer.
 */
public final class LatencyHarness
{
    private LatencyHarness()
    {
    }

    /**
     * @param phase    rate, warm-up and measured seconds.
     * @param settings engine settings (plan, durability, roll cycle).
     * @param scratch  where to create the scratch directories; null for the system's.
     * @return every histogram of the run, checked.
     */
    public static Result run(final LatencyPhase phase, final BenchEngine.Settings settings, final Path scratch)
    {
        final EngineLatencyRun.Result engine;
        final Histogram ring;
        final QueueLatencyRun.Result queue;
        final Histogram jitter;
        try (JitterProbe probe = JitterProbe.start())
        {
            try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-engine"))
            {
                engine = EngineLatencyRun.run(phase, settings, directory.path());
            }
            ring = RingLatencyRun.run(phase, engine.plan());
            try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-queue"))
            {
                queue = QueueLatencyRun.run(phase, settings.rollCycle(), directory.path());
            }
            jitter = probe.stop();
        }
        return new Result(engine, ring, queue, jitter);
    }

    /** Every histogram of one latency run. */
    public static final class Result
    {
        private final EngineLatencyRun.Result engine;
        private final Histogram ring;
        private final QueueLatencyRun.Result queue;
        private final Histogram jitter;

        Result(final EngineLatencyRun.Result engine, final Histogram ring, final QueueLatencyRun.Result queue,
            final Histogram jitter)
        {
            this.engine = engine;
            this.ring = ring;
            this.queue = queue;
            this.jitter = jitter;
        }

        /** @return the engine's run. */
        public EngineLatencyRun.Result engine()
        {
            return engine;
        }

        /** @return the bare pipeline, planned to released, ns. */
        public Histogram ring()
        {
            return ring;
        }

        /** @return the raw queue, append and tailer. */
        public QueueLatencyRun.Result queue()
        {
            return queue;
        }

        /** @return the jitter probe's wake-up delays, ns. */
        public Histogram jitter()
        {
            return jitter;
        }
    }
}
