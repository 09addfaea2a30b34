package io.stockflow.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import io.stockflow.affinity.Stages;

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
public final class ParallelPipeline extends StagedPipeline
{
    /**
     * Builds the whole topology; no thread runs until {@link #start()}.
     *
     * @param parts what start-up opened and recovered.
     */
    public ParallelPipeline(final PipelineParts parts)
    {
        super(parts);
        final BatchEventProcessor<CommandSlot> journal = stages.add(Stages.JOURNAL, ring, ring.newBarrier(),
            journalStage(parts));
        final BatchEventProcessor<CommandSlot> logic = stages.add(Stages.LOGIC, ring, ring.newBarrier(), logicStage);
        final BatchEventProcessor<CommandSlot> outcome = stages.add(Stages.OUTCOME, ring,
            ring.newBarrier(journal.getSequence(), logic.getSequence()), outcomeStage(parts));
        wired(outcome);
    }
}
