package io.stockflow.perf.harness;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench latency} in one run, one phase after the other at the same offered rate and
 * for the same seconds, with the OS-jitter probe running throughout: the engine (with its
 * stage probes and the state-hash check), the bare pipeline with the engine's threads and
 * wait strategies, and raw Chronicle Queue append plus tailer, once or twice (without and with
 * the journal's pretoucher, {@link RawPretouch}). Every phase sends under the same {@link
 * io.stockflow.engine.workload.Pacer}.
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
     * @param rawPretouch whether the raw-journal baseline runs without, with or both ways with pretouch.
     * @return every histogram of the run, checked.
     */
    public static Result run(
        final LatencyPhase phase, final BenchEngine.Settings settings, final Path scratch,
        final RawPretouch rawPretouch)
    {
        final EngineLatencyRun.Result engine;
        final Histogram ring;
        final List<QueueLatencyRun.Result> queues = new ArrayList<>();
        final Histogram jitter;
        try (JitterProbe probe = JitterProbe.start())
        {
            try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-engine"))
            {
                engine = EngineLatencyRun.run(phase, settings, directory.path());
            }
            ring = RingLatencyRun.run(phase, engine.plan());
            for (final boolean pretouch : rawPretouch.settings())
            {
                try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-queue"))
                {
                    queues.add(QueueLatencyRun.run(phase, settings.rollCycle(), directory.path(), pretouch));
                }
            }
            jitter = probe.stop();
        }
        return new Result(engine, ring, queues, jitter);
    }

    /** Every histogram of one latency run. */
    public static final class Result
    {
        private final EngineLatencyRun.Result engine;
        private final Histogram ring;
        private final List<QueueLatencyRun.Result> queues;
        private final Histogram jitter;

        Result(final EngineLatencyRun.Result engine, final Histogram ring, final List<QueueLatencyRun.Result> queues,
            final Histogram jitter)
        {
            this.engine = engine;
            this.ring = ring;
            this.queues = List.copyOf(queues);
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

        /** @return the raw queue's first phase (pretouch off unless only on was asked), append and tailer. */
        public QueueLatencyRun.Result queue()
        {
            return queues.get(0);
        }

        /** @return every raw queue phase, in the order {@link RawPretouch#settings()} gives. */
        public List<QueueLatencyRun.Result> queues()
        {
            return queues;
        }

        /** @return the jitter probe's wake-up delays, ns. */
        public Histogram jitter()
        {
            return jitter;
        }
    }
}
