package io.stockflow.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

/**
 * The one stage of {@link FusedPipeline}: journals and applies each event as it
 * comes, commits the journal at the end of the batch, then releases the batch's
 * outcomes, in ring order, on the same thread. It is the three stages of
 * {@link ParallelPipeline} run in sequence on one thread, so the journal, rules and
 * release code (and their counters) are the same in both topologies.
 *
 * <p>An outcome is released only after the commit that covers its event, the
 * guarantee the parallel topology gets from the outcome stage's barrier. When a stage
 * throws, the batch's outcomes are not released (fail-stop, {@link StageFailures}).
 *
 * <p><b>Threading.</b> One thread, the fused stage's; it owns the journal appender
 * and the rules once started.
 */
final class FusedStage implements EventHandler<CommandSlot>
{
    private final RingBuffer<CommandSlot> ring;
    private final JournalStage journal;
    private final LogicStage logic;
    private final OutcomeStage outcome;
    private long batchFirstRingSequence = -1;
    private Sequence progress;

    /**
     * @param ring    the ring, to revisit the batch's slots at release.
     * @param journal appends and commits.
     * @param logic   applies the rules.
     * @param outcome releases to the listeners.
     */
    FusedStage(
        final RingBuffer<CommandSlot> ring, final JournalStage journal, final LogicStage logic,
        final OutcomeStage outcome)
    {
        this.ring = ring;
        this.journal = journal;
        this.logic = logic;
        this.outcome = outcome;
        logic.leaveIdleDutiesToCaller();
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.progress = sequenceCallback;
    }

    @Override
    public void onStart()
    {
        journal.onStart();
        logic.onStart();
        outcome.onStart();
    }

    @Override
    public void onShutdown()
    {
        journal.onShutdown();
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        journal.onBatchStart(batchSize, queueDepth);
        logic.onBatchStart(batchSize, queueDepth);
        outcome.onBatchStart(batchSize, queueDepth);
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (batchFirstRingSequence < 0)
        {
            batchFirstRingSequence = ringSequence;
        }
        journal.onEvent(slot, ringSequence, endOfBatch);
        logic.onEvent(slot, ringSequence, endOfBatch);
        if (endOfBatch)
        {
            for (long released = batchFirstRingSequence; released <= ringSequence; released++)
            {
                outcome.onEvent(ring.get(released), released, released == ringSequence);
            }
            batchFirstRingSequence = -1;
            logic.runIdleDuties(ringSequence, progress);
        }
    }
}
