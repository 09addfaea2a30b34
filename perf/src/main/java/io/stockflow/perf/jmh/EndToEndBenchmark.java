package io.stockflow.perf.jmh;

import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.DemoWorkload;
import io.stockflow.perf.harness.TempDirectory;
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
 * The engine end to end on the demo's mix, default plan, fresh directory:
 * {@code roundTrip} publishes one command and waits (spinning) until its outcome is
 * released, the single-command latency through journal, rules and outcome stage;
 * {@code publish} publishes without waiting (retrying BACKPRESSURE), the rate the
 * pipeline sustains. Read against {@link PipelineBenchmark}.
 *
 * <p>Self-check: after each iteration every published command has its outcome; at the
 * end of the trial the engine's state hash must equal a replay of its journal.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class EndToEndBenchmark
{
    private TempDirectory directory;
    private BenchEngine engine;
    private final Released released = new Released();
    private final WorkloadGenerator generator = DemoWorkload.generator();
    private final GeneratedCommand command = new GeneratedCommand();

    /** Starts the engine; the benchmark thread becomes its publisher at the first publish. */
    @Setup(Level.Trial)
    public void start()
    {
        directory = TempDirectory.create(null, "stockflow-jmh-e2e");
        engine = BenchEngine.start(new BenchEngine.Settings().rollCycle(JournalRollCycle.HOURLY), directory.path(),
            LatencyRecorder.NONE, released);
    }

    /** @return the sequence, once its outcome is released. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public long roundTrip()
    {
        generator.next(command);
        final long sequence = engine.publish(command);
        while (released.sequence < sequence)
        {
            Thread.onSpinWait();
        }
        return sequence;
    }

    /** @return the sequence assigned. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public long publish()
    {
        generator.next(command);
        return engine.publish(command);
    }

    /** Every published command must have its outcome. */
    @TearDown(Level.Iteration)
    public void drainAndCheck()
    {
        if (engine.lastSequence() > 0)
        {
            engine.awaitAllReleased(Duration.ofSeconds(60));
        }
        BenchmarkChecks.check(released.count == engine.lastSequence(), "listener saw " + released.count
            + " outcomes for " + engine.lastSequence() + " commands");
    }

    /** Closes the engine and checks its state hash against a replay of its journal. */
    @TearDown(Level.Trial)
    public void finishAndCheck()
    {
        try
        {
            engine.finish();
        }
        finally
        {
            engine.close();
            directory.close();
        }
    }

    /** The last released sequence, written on the outcome thread. */
    private static final class Released implements OutcomeListener
    {
        private volatile long sequence;
        private volatile long count;

        @Override
        public void onResult(
            final long sequence,
            final long eventTimeMs,
            final CommandType type,
            final long entityId,
            final RejectReason rejectReason,
            final boolean logicError)
        {
            count++;
            this.sequence = sequence;
        }
    }
}
