package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.engine.rules.ExpiryListener;

import java.time.Duration;
import java.util.List;

/**
 * What every topology has alike: the ring, the logic stage, the stage threads, and the life cycle over them
 * (start, drain, stop, failing unanswered queries). A topology's constructor only wires its stages and names,
 * through {@link #wired}, the processor that releases outcomes, which the ring is gated on.
 *
 * <p><b>Threading.</b> As {@link PipelineTopology} says.
 */
abstract class StagedPipeline implements PipelineTopology
{
    /** The ring the single writer publishes into. */
    protected final RingBuffer<CommandSlot> ring;
    /** The stage that applies the rules (and receives their expiries). */
    protected final LogicStage logicStage;
    /** The stage threads of this topology. */
    protected final StageThreads stages;
    private BatchEventProcessor<CommandSlot> lastProcessor;

    StagedPipeline(final PipelineParts parts)
    {
        ring = RingBuffer.createSingleProducer(CommandSlot::new, parts.ringSize(), parts.plan().ringWaitStrategy());
        stages = new StageThreads(parts.plan(), parts.lifecycle());
        logicStage = new LogicStage(parts.rules(), parts.failurePolicy(), parts.counters(), parts.checkpoints(),
            parts.applyProbe(), parts.counting(), parts.stampsStages(), ring);
        logicStage.captureSnapshotsWith(parts.liveSnapshots(), ring);
    }

    /**
     * Ends the wiring: gates the ring on the last processor.
     *
     * @param last the processor behind every other one, which releases outcomes and answers queries.
     */
    protected final void wired(final BatchEventProcessor<CommandSlot> last)
    {
        lastProcessor = last;
        ring.addGatingSequences(last.getSequence());
    }

    /** @return a journal stage over what start-up opened. */
    protected static JournalStage journalStage(final PipelineParts parts)
    {
        return new JournalStage(parts.journal(), parts.counters(), parts.counting(), parts.stampsStages());
    }

    /** @return an outcome stage releasing to the engine's listeners. */
    protected static OutcomeStage outcomeStage(final PipelineParts parts)
    {
        return new OutcomeStage(parts.listeners(), parts.counters(), parts.latencyRecorder(), parts.intervalLatency());
    }

    @Override
    public final RingBuffer<CommandSlot> ring()
    {
        return ring;
    }

    @Override
    public final ExpiryListener expiryListener()
    {
        return logicStage;
    }

    @Override
    public final void start()
    {
        stages.start();
    }

    @Override
    public final long releasedSequence()
    {
        return lastProcessor.getSequence().get();
    }

    @Override
    public final boolean drain(final long deadlineNs)
    {
        return stages.drain(ring, lastProcessor, deadlineNs);
    }

    @Override
    public final boolean stop(final Duration timeout)
    {
        return stages.stop(timeout);
    }

    @Override
    public final List<String> aliveThreads()
    {
        return stages.aliveThreads();
    }

    @Override
    public final void failUnansweredQueries(final IllegalStateException reason)
    {
        final long cursor = ring.getCursor();
        for (long ringSequence = lastProcessor.getSequence().get() + 1; ringSequence <= cursor; ringSequence++)
        {
            ring.get(ringSequence).failQuery(reason);
        }
    }
}
