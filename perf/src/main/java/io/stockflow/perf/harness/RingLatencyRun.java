package io.stockflow.perf.harness;

import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.perf.report.Histograms;
import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * The bare-pipeline latency baseline: the same mix at the same offered rate through a
 * {@link BarePipeline} (the engine's topology, ring size, threads and wait strategies,
 * stages doing nothing), measured from each command's planned time to its outcome stage.
 */
public final class RingLatencyRun
{
    private RingLatencyRun()
    {
    }

    /**
     * @param phase rate, warm-up and measured seconds.
     * @param plan  the plan the engine ran with, so the threads and waits are the same.
     * @return planned time to outcome stage, ns, checked.
     * @throws BenchCheckException when an event is missing.
     */
    public static Histogram run(final LatencyPhase phase, final EffectivePlan plan)
    {
        final Recorder recorder = new Recorder();
        final long total = phase.totalEvents();
        try (BarePipeline pipeline = BarePipeline.start(plan, EngineConfig.DEFAULT_RING_SIZE, recorder))
        {
            BenchPlans.confinePublisher(plan);
            final RingBuffer<BareSlot> ring = pipeline.ring();
            final WorkloadGenerator generator = DemoWorkload.generator();
            final GeneratedCommand command = new GeneratedCommand();
            final Pacer pacer = phase.pacer(System.nanoTime() + 1_000_000);
            recorder.measureFromNs = pacer.plannedNs(phase.warmupEvents());
            long ringSequence = -1;
            for (long i = 0; i < total; i++)
            {
                final long planned = pacer.awaitPlanned(i);
                generator.next(command);
                ringSequence = ring.next();
                final BareSlot slot = ring.get(ringSequence);
                slot.plannedNs = planned;
                slot.payloadLength = command.encode(slot.payload, 0);
                ring.publish(ringSequence);
            }
            BenchCheckException.check(pipeline.awaitReleased(ringSequence, Duration.ofSeconds(60)),
                "bare pipeline released only up to " + pipeline.releasedSequence() + " of " + ringSequence);
        }
        finally
        {
            BenchPlans.releasePublisher();
        }
        BenchCheckException.check(recorder.released == total, "bare pipeline released " + recorder.released
            + " of " + total + " events");
        BenchCheckException.check(recorder.latency.getTotalCount() == phase.measuredEvents(), "bare pipeline recorded "
            + recorder.latency.getTotalCount() + " latencies for " + phase.measuredEvents() + " measured events");
        return recorder.latency;
    }

    /** Records planned-to-released on the outcome stage's thread. */
    private static final class Recorder implements BarePipeline.ReleaseListener
    {
        private final Histogram latency = Histograms.nanos();
        private volatile long measureFromNs = Long.MAX_VALUE;
        private long released;

        @Override
        public void onReleased(final BareSlot slot, final long releasedNs)
        {
            released++;
            if (slot.plannedNs >= measureFromNs)
            {
                Histograms.record(latency, releasedNs - slot.plannedNs);
            }
        }
    }
}
