package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import io.stockflow.affinity.Stages;

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
 * thread is made by the plan's {@code fused} stage factory and waits with that
 * stage's strategy; the plan's journal, logic and outcome stages start no thread.
 *
 * <p><b>Threading.</b> One stage thread; the methods are called as
 * {@link PipelineTopology} says.
 */
public final class FusedPipeline extends StagedPipeline
{
    /**
     * Builds the whole topology; no thread runs until {@link #start()}.
     *
     * @param parts what start-up opened and recovered.
     */
    public FusedPipeline(final PipelineParts parts)
    {
        super(parts);
        final BatchEventProcessor<CommandSlot> fused = stages.add(Stages.FUSED, ring, ring.newBarrier(),
            new FusedStage(ring, journalStage(parts), logicStage, outcomeStage(parts)));
        wired(fused);
    }
}
