package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.engine.EngineLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The event processors of one topology and the threads that run them: what every
 * topology does the same way (build a processor that halts the engine on failure,
 * start one pinned thread per stage, wait until all run, halt and join them), so a
 * topology class says only which stages there are and which waits for which.
 *
 * <p><b>Threading.</b> Built, started and stopped by the thread that starts or
 * closes the engine (the engine serialises those calls); the processors' threads
 * never touch it.
 */
public final class StageThreads
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final EffectivePlan plan;
    private final SharedLifecycle lifecycle;
    private final BatchEventProcessorBuilder processorBuilder = new BatchEventProcessorBuilder();
    private final List<String> stages = new ArrayList<>();
    private final List<BatchEventProcessor<CommandSlot>> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param plan      the affinity plan whose factory makes each stage's thread.
     * @param lifecycle the engine's state: a stage's failure halts it.
     */
    public StageThreads(final EffectivePlan plan, final SharedLifecycle lifecycle)
    {
        this.plan = plan;
        this.lifecycle = lifecycle;
    }

    /**
     * Adds a stage: a batch processor of {@code handler} behind {@code barrier}, whose
     * exceptions halt the engine ({@link StageFailures}).
     *
     * @param stage   the stage's name from {@link io.stockflow.affinity.Stages} (its thread factory).
     * @param ring    the ring it reads.
     * @param barrier what it waits for.
     * @param handler the stage's work.
     * @return the processor, whose sequence later stages and the ring's gating use.
     */
    public BatchEventProcessor<CommandSlot> add(
        final String stage,
        final RingBuffer<CommandSlot> ring,
        final SequenceBarrier barrier,
        final EventHandler<CommandSlot> handler)
    {
        final BatchEventProcessor<CommandSlot> processor = processorBuilder.build(ring, barrier, handler);
        processor.setExceptionHandler(StageFailures.haltOn(stage, lifecycle));
        stages.add(stage);
        processors.add(processor);
        return processor;
    }

    /**
     * Starts one thread per stage, in the order added, and returns once every
     * processor runs and every pinned thread has bound to its CPUs.
     *
     * @throws IllegalStateException when a stage failed to start or not within 10 s.
     */
    public void start()
    {
        for (int i = 0; i < processors.size(); i++)
        {
            final Thread thread = plan.threadFactoryFor(stages.get(i)).newThread(processors.get(i));
            threads.add(thread);
            thread.start();
        }
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (final BatchEventProcessor<CommandSlot> processor : processors)
        {
            while (!processor.isRunning())
            {
                if (lifecycle.get() == EngineLifecycle.HALTED)
                {
                    throw new IllegalStateException("a stage failed to start: " + lifecycle.haltReason(),
                        lifecycle.haltCause());
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("stages did not start within 10 s");
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        try
        {
            plan.awaitBindings(START_TIMEOUT);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stage threads bound to their CPUs", e);
        }
    }

    /**
     * Parks until {@code released} reaches the ring's cursor (every published slot went
     * through the last stage), the engine halted, or the deadline passed.
     *
     * @param ring          the topology's ring.
     * @param released      the last stage's processor.
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     * @return true when drained.
     */
    public boolean drain(
        final RingBuffer<CommandSlot> ring, final BatchEventProcessor<CommandSlot> released, final long deadlineNs)
    {
        while (released.getSequence().get() < ring.getCursor())
        {
            if (lifecycle.get() == EngineLifecycle.HALTED || System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return true;
    }

    /**
     * Halts every processor and joins every thread started, all within one deadline.
     *
     * @param timeout how long the joins may take together (at least 1 ms each).
     * @return true when no stage thread is alive any more; false when one still is, or when
     *         interrupted (the interrupt is kept).
     */
    public boolean stop(final Duration timeout)
    {
        for (final BatchEventProcessor<CommandSlot> processor : processors)
        {
            processor.halt();
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final Thread thread : threads)
        {
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try
            {
                thread.join(Math.max(1, remainingMs));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return aliveThreads().isEmpty();
    }

    /** @return the names of the stage threads still alive. */
    public List<String> aliveThreads()
    {
        final List<String> alive = new ArrayList<>();
        for (final Thread thread : threads)
        {
            if (thread.isAlive())
            {
                alive.add(thread.getName());
            }
        }
        return alive;
    }
}
