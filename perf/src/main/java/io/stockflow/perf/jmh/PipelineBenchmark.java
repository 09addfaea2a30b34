package io.stockflow.perf.jmh;

import com.lmax.disruptor.RingBuffer;
import io.stockflow.engine.EngineConfig;
import io.stockflow.perf.harness.BarePipeline;
import io.stockflow.perf.harness.BareSlot;
import io.stockflow.perf.harness.BenchPlans;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The bare Disruptor hand-off with the engine's stage topology for the default plan (the
 * fused consumer on 2 CPUs; journal and logic in parallel, outcome gated on both, from 4),
 * ring size, threads and wait strategies, and no-op stages: the most the pipeline could carry if the stages cost nothing. The engine's
 * end-to-end figure is read against it.
 *
 * <p>Self-check: after each iteration every published event must have reached the
 * outcome stage, and the outcome stage must have seen exactly that many.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PipelineBenchmark
{
    private BarePipeline pipeline;
    private RingBuffer<BareSlot> ring;
    private final Counter counter = new Counter();
    private long published;
    private long lastSequence = -1;

    /** Starts the pipeline with the machine's default plan. */
    @Setup(Level.Trial)
    public void start()
    {
        pipeline = BarePipeline.start(BenchPlans.resolve(null), EngineConfig.DEFAULT_RING_SIZE, counter);
        ring = pipeline.ring();
    }

    /** @return the ring sequence published. */
    @Benchmark
    public long handOff()
    {
        final long sequence = ring.next();
        ring.get(sequence).payloadLength = (int)sequence & 127;
        ring.publish(sequence);
        published++;
        lastSequence = sequence;
        return sequence;
    }

    /** Waits for the outcome stage and checks it saw every event. */
    @TearDown(Level.Iteration)
    public void drainAndCheck()
    {
        if (lastSequence >= 0)
        {
            BenchmarkChecks.check(pipeline.awaitReleased(lastSequence, Duration.ofSeconds(30)),
                "outcome stage stuck at " + pipeline.releasedSequence() + " of " + lastSequence);
        }
        BenchmarkChecks.check(counter.released() == published, "outcome stage saw " + counter.released() + " of "
            + published + " events");
    }

    /** Stops the stage threads. */
    @TearDown(Level.Trial)
    public void stop()
    {
        pipeline.close();
    }

    /** Counts events on the outcome thread; read after the sequence hand-off. */
    private static final class Counter implements BarePipeline.ReleaseListener
    {
        private volatile long released;

        @Override
        public void onReleased(final BareSlot slot, final long releasedNs)
        {
            released++;
        }

        long released()
        {
            return released;
        }
    }
}
