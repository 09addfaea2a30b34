package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.rules.ExpiryListener;

import java.time.Duration;
import java.util.List;

/**
 * A topology of one consumer ({@link FusedStage}): for each batch it journals and
 * applies every event, commits once, then releases the outcomes.
 *
 * <pre>
 *  single writer ──► ring ──► fused stage (journal + logic, commit, release) ──► listeners
 * </pre>
 *
 * <p>For a machine with few CPUs: one busy thread instead of three, no hand-off
 * between stages, at the price of the rules waiting for each batch's commit. The
 * thread is made by the plan's {@code logic} stage factory and waits with that
 * stage's strategy; the plan's journal and outcome stages start no thread.
 *
 * <p><b>Threading.</b> One stage thread; the methods are called as
 * {@link PipelineTopology} says.
 */
public final class FusedPipeline implements PipelineTopology
{
    private final RingBuffer<CommandSlot> ring;
    private final LogicStage logicStage;
    private final StageThreads stages;
    private final BatchEventProcessor<CommandSlot> fused;

    /**
     * Builds the whole topology; no thread runs until {@link #start()}.
     *
     * @param parts what start-up opened and recovered.
     */
    public FusedPipeline(final PipelineParts parts)
    {
        ring = RingBuffer.createSingleProducer(CommandSlot::new, parts.ringSize(), parts.plan().ringWaitStrategy());
        stages = new StageThreads(parts.plan(), parts.lifecycle());
        logicStage = new LogicStage(parts.rules(), parts.failurePolicy(), parts.counters(), parts.checkpoints(),
            parts.applyProbe(), parts.counting());

        fused = stages.add(Stages.LOGIC, ring, ring.newBarrier(), new FusedStage(ring,
            new JournalStage(parts.journal(), parts.counters(), parts.counting()), logicStage,
            new OutcomeStage(parts.listeners(), parts.counters(), parts.latencyRecorder(), parts.intervalLatency())));
        ring.addGatingSequences(fused.getSequence());
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
        return fused.getSequence().get();
    }

    @Override
    public boolean drain(final long deadlineNs)
    {
        return stages.drain(ring, fused, deadlineNs);
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
        for (long ringSequence = fused.getSequence().get() + 1; ringSequence <= cursor; ringSequence++)
        {
            ring.get(ringSequence).failQuery(reason);
        }
    }
}
