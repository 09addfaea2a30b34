package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.rules.ExpiryListener;

import java.time.Duration;
import java.util.List;

/**
 * The engine's default topology: the journal stage and the logic stage read every
 * slot in parallel, the outcome stage waits for both.
 *
 * <pre>
 *  single writer ──► ring ──┬──► journal stage ─┐
 *                           └──► logic stage   ─┴──► outcome stage ──► listeners
 * </pre>
 *
 * <p>Journaling costs no logic time: the rules apply an event while it is being
 * written, and only its release waits for the write (at the configured
 * durability). The ring is gated on the outcome stage alone, which is behind both.
 *
 * <p><b>Threading.</b> Three stage threads, one per stage; the methods are called as
 * {@link PipelineTopology} says.
 */
public final class ParallelPipeline implements PipelineTopology
{
    private final RingBuffer<CommandSlot> ring;
    private final LogicStage logicStage;
    private final StageThreads stages;
    private final BatchEventProcessor<CommandSlot> logic;
    private final BatchEventProcessor<CommandSlot> outcome;

    /**
     * Builds the whole topology; no thread runs until {@link #start()}.
     *
     * @param parts what start-up opened and recovered.
     */
    public ParallelPipeline(final PipelineParts parts)
    {
        ring = RingBuffer.createSingleProducer(CommandSlot::new, parts.ringSize(), parts.plan().ringWaitStrategy());
        stages = new StageThreads(parts.plan(), parts.lifecycle());
        logicStage = new LogicStage(parts.rules(), parts.failurePolicy(), parts.counters(), parts.checkpoints(),
            parts.applyProbe(), parts.counting());

        final BatchEventProcessor<CommandSlot> journal = stages.add(Stages.JOURNAL, ring, ring.newBarrier(),
            new JournalStage(parts.journal(), parts.counters(), parts.counting()));
        logic = stages.add(Stages.LOGIC, ring, ring.newBarrier(), logicStage);
        outcome = stages.add(Stages.OUTCOME, ring, ring.newBarrier(journal.getSequence(), logic.getSequence()),
            new OutcomeStage(parts.listeners(), parts.counters(), parts.latencyRecorder(), parts.intervalLatency()));
        ring.addGatingSequences(outcome.getSequence());
    }

    @Override
    public RingBuffer<CommandSlot> ring()
    {
        return ring;
    }

    @Override
    public ExpiryListener expiryListener()
    {
        return logicStage;
    }

    @Override
    public void start()
    {
        stages.start();
    }

    @Override
    public long releasedSequence()
    {
        return outcome.getSequence().get();
    }

    @Override
    public boolean drain(final long deadlineNs)
    {
        return stages.drain(ring, outcome, deadlineNs);
    }

    @Override
    public boolean stop(final Duration timeout)
    {
        return stages.stop(timeout);
    }

    @Override
    public List<String> aliveThreads()
    {
        return stages.aliveThreads();
    }

    @Override
    public void failUnansweredQueries(final IllegalStateException reason)
    {
        final long cursor = ring.getCursor();
        for (long ringSequence = logic.getSequence().get() + 1; ringSequence <= cursor; ringSequence++)
        {
            ring.get(ringSequence).failQuery(reason);
        }
    }
}
