package io.stockflow.perf.harness;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.affinity.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The baseline the engine's pipeline is read against: a Disruptor ring with the engine's
 * stage topology for the plan, the same ring size, the same threads from the same affinity
 * plan and the same wait strategies, but stages that do no work. Whatever the engine costs
 * beyond this is its journal, its rules and its bookkeeping.
 *
 * <pre>
 *  parallel:  publisher ──► ring ──┬──► journal (no-op) ─┐
 *                                  └──► logic (no-op)   ─┴──► outcome ──► {@link ReleaseListener}
 *
 *  fused:     publisher ──► ring ──► fused (no-op per event; at the batch's end, each event
 *                                    of the batch in order) ──► {@link ReleaseListener}
 * </pre>
 *
 * <p>The fused shape releases a batch's events at its end, as the engine's fused stage does
 * after the batch's journal commit, so the two read against each other hop for hop.
 */
public final class BarePipeline implements AutoCloseable
{
    private final RingBuffer<BareSlot> ring;
    private final List<BatchEventProcessor<BareSlot>> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final BatchEventProcessor<BareSlot> outcomeProcessor;

    private BarePipeline(final EffectivePlan plan, final int ringSize, final ReleaseListener listener)
    {
        ring = RingBuffer.createSingleProducer(BareSlot::new, ringSize, plan.ringWaitStrategy());
        final BatchEventProcessorBuilder builder = new BatchEventProcessorBuilder();
        if (plan.topology() == Topology.FUSED)
        {
            outcomeProcessor = builder.build(ring, ring.newBarrier(), new FusedOutcome(ring, listener));
            ring.addGatingSequences(outcomeProcessor.getSequence());
            processors.add(outcomeProcessor);
            start(plan, Stages.FUSED, outcomeProcessor);
            return;
        }
        final BatchEventProcessor<BareSlot> journal = builder.build(ring, ring.newBarrier(), new NoWork());
        final BatchEventProcessor<BareSlot> logic = builder.build(ring, ring.newBarrier(), new NoWork());
        outcomeProcessor = builder.build(ring, ring.newBarrier(journal.getSequence(), logic.getSequence()),
            new Outcome(listener));
        ring.addGatingSequences(outcomeProcessor.getSequence());
        processors.add(journal);
        processors.add(logic);
        processors.add(outcomeProcessor);
        start(plan, Stages.JOURNAL, journal);
        start(plan, Stages.LOGIC, logic);
        start(plan, Stages.OUTCOME, outcomeProcessor);
    }

    /**
     * Starts the plan's stage threads (three, or the fused one) and waits until they run.
     *
     * @param plan     the effective plan: threads and wait strategies per stage, as the engine uses.
     * @param ringSize ring slots, a power of two (the engine's).
     * @param listener called by the outcome stage for every event.
     * @return the running pipeline.
     */
    public static BarePipeline start(final EffectivePlan plan, final int ringSize, final ReleaseListener listener)
    {
        final BarePipeline pipeline = new BarePipeline(plan, ringSize, listener);
        pipeline.awaitRunning();
        return pipeline;
    }

    private void start(final EffectivePlan plan, final String stage, final BatchEventProcessor<BareSlot> processor)
    {
        final Thread thread = plan.threadFactoryFor(stage).newThread(processor);
        threads.add(thread);
        thread.start();
    }

    private void awaitRunning()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final BatchEventProcessor<BareSlot> processor : processors)
        {
            while (!processor.isRunning())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new BenchCheckException("bare pipeline stages did not start");
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /** @return the ring; the caller is its single producer. */
    public RingBuffer<BareSlot> ring()
    {
        return ring;
    }

    /** @return the threads of the stages. */
    public List<Thread> threads()
    {
        return threads;
    }

    /**
     * Waits until the outcome stage has processed {@code ringSequence}.
     *
     * @param ringSequence a published ring sequence.
     * @param timeout      how long to wait.
     * @return true when reached.
     */
    public boolean awaitReleased(final long ringSequence, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomeProcessor.getSequence().get() < ringSequence)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** @return the last ring sequence the outcome stage processed. */
    public long releasedSequence()
    {
        return outcomeProcessor.getSequence().get();
    }

    @Override
    public void close()
    {
        for (final BatchEventProcessor<BareSlot> processor : processors)
        {
            processor.halt();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the bare pipeline", e);
            }
            BenchCheckException.check(!thread.isAlive(), "bare pipeline thread " + thread.getName() + " did not stop");
        }
    }

    /** Told of every event by the outcome stage, on its thread; must not allocate. */
    @FunctionalInterface
    public interface ReleaseListener
    {
        /** Ignores every event. */
        ReleaseListener NONE = (slot, releasedNs) ->
        {};

        /**
         * @param slot          the event.
         * @param releasedNs System.nanoTime() when the outcome stage reached it.
         */
        void onReleased(BareSlot slot, long releasedNs);
    }

    /** A stage that does nothing: the cost of the hand-off alone. */
    private static final class NoWork implements EventHandler<BareSlot>
    {
        @Override
        public void onEvent(final BareSlot slot, final long sequence, final boolean endOfBatch)
        {
        }
    }

    /** The outcome stage: tells the listener, nothing else. */
    private static final class Outcome implements EventHandler<BareSlot>
    {
        private final ReleaseListener listener;

        Outcome(final ReleaseListener listener)
        {
            this.listener = listener;
        }

        @Override
        public void onEvent(final BareSlot slot, final long sequence, final boolean endOfBatch)
        {
            listener.onReleased(slot, System.nanoTime());
        }
    }
    /** The fused stage: nothing per event, then every event of the batch to the listener at its end. */
    private static final class FusedOutcome implements EventHandler<BareSlot>
    {
        private final RingBuffer<BareSlot> ring;
        private final ReleaseListener listener;
        private long batchFirstSequence = -1;

        FusedOutcome(final RingBuffer<BareSlot> ring, final ReleaseListener listener)
        {
            this.ring = ring;
            this.listener = listener;
        }

        @Override
        public void onEvent(final BareSlot slot, final long sequence, final boolean endOfBatch)
        {
            if (batchFirstSequence < 0)
            {
                batchFirstSequence = sequence;
            }
            if (endOfBatch)
            {
                final long releasedNs = System.nanoTime();
                for (long released = batchFirstSequence; released <= sequence; released++)
                {
                    listener.onReleased(ring.get(released), releasedNs);
                }
                batchFirstSequence = -1;
            }
        }
    }
}
