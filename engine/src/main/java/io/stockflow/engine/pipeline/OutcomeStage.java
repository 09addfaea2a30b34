package io.stockflow.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.IntervalLatency;
import io.stockflow.engine.rules.Outcome;

/**
 * Outcome stage: releases results to the listeners, in sequence order, on its own
 * thread. Gated on the journal stage and the logic stage, so an event's result
 * leaves the engine only once the event is journaled at the configured
 * durability and applied. State queries are answered here too, for the same
 * reason: an answer must not show a command that is not yet committed.
 *
 * <p>Counters: the released sequence always (the engine's
 * {@code awaitReleased} reads it); when counting, also the batch counters, the
 * worst latency since start and every event's latency into the interval
 * histogram ({@link IntervalLatency}) that the sampler thread publishes.
 */
public final class OutcomeStage implements EventHandler<CommandSlot>
{
    private final OutcomeListener[] listeners;
    private final CountersFile counters;
    private final LatencyRecorder latency;
    private final IntervalLatency intervalLatency;
    private final StageBatchCounters batchCounters;

    /**
     * @param listeners       receive every result and expiry.
     * @param counters        the engine's counters; this stage writes the outcome ones.
     * @param latency         records publish-to-release latency per event.
     * @param intervalLatency the counters' latency histogram, or null when counting is off: then only
     *                        the released sequence is counted.
     */
    public OutcomeStage(
        final OutcomeListener[] listeners,
        final CountersFile counters,
        final LatencyRecorder latency,
        final IntervalLatency intervalLatency)
    {
        this.listeners = listeners.clone();
        this.counters = counters;
        this.latency = latency;
        this.intervalLatency = intervalLatency;
        this.batchCounters = StageBatchCounters.outcome(counters, intervalLatency != null);
    }

    @Override
    public void onStart()
    {
        batchCounters.onStart();
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        batchCounters.onBatchStart(batchSize, queueDepth);
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (slot.kind == CommandSlot.KIND_COMMAND)
        {
            release(slot);
        }
        else
        {
            slot.query.release();
        }
        if (endOfBatch)
        {
            batchCounters.onBatchEnd();
        }
    }

    private void release(final CommandSlot slot)
    {
        final long sequence = slot.sequence;
        final CommandType type = CommandType.fromCode(slot.commandType);
        final boolean logicError = slot.outcome == LogicStage.LOGIC_ERROR;
        final int outcome = logicError ? Outcome.ACCEPTED : (int)slot.outcome;
        for (final OutcomeListener listener : listeners)
        {
            for (int i = 0; i < slot.expiredCount; i++)
            {
                listener.onOrderExpired(sequence, slot.expiredOrders[i]);
            }
            listener.onResult(sequence, slot.eventTimeMs, type, slot.entityId,
                logicError ? null : Outcome.rejectReason(outcome), logicError);
        }
        final long releasedNs = System.nanoTime();
        latency.record(slot.publishNs, slot.journaledNs, slot.appliedNs, releasedNs);
        if (intervalLatency != null)
        {
            final long latencyNs = releasedNs - slot.publishNs;
            intervalLatency.record(latencyNs);
            counters.max(EngineCounter.LATENCY_MAX_NS, latencyNs);
        }
        counters.set(EngineCounter.OUTCOME_SEQUENCE, sequence);
    }
}
