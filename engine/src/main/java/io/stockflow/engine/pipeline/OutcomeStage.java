package io.stockflow.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.EngineCounters;
import io.stockflow.engine.rules.Outcome;

/**
 * Outcome stage: releases results to the listeners, in sequence order, on its own
 * thread. Gated on the journal stage and the logic stage, so an event's result
 * leaves the engine only once the event is journaled at the configured
 * durability and applied.
 */
public final class OutcomeStage implements EventHandler<CommandSlot>
{
    private final OutcomeListener[] listeners;
    private final EngineCounters counters;
    private final LatencyRecorder latency;

    /**
     * @param listeners receive every result and expiry.
     * @param counters  the engine's counters; this stage writes the outcome ones.
     * @param latency   records publish-to-release latency per event.
     */
    public OutcomeStage(final OutcomeListener[] listeners, final EngineCounters counters, final LatencyRecorder latency)
    {
        this.listeners = listeners.clone();
        this.counters = counters;
        this.latency = latency;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        counters.add(EngineCounter.OUTCOME_BATCHES, 1);
        counters.set(EngineCounter.OUTCOME_LAG, queueDepth);
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (slot.kind != CommandSlot.KIND_COMMAND)
        {
            return;
        }
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
        final long releasedNanos = System.nanoTime();
        latency.record(slot.publishNanos, slot.journaledNanos, slot.appliedNanos, releasedNanos);
        counters.max(EngineCounter.LATENCY_MAX_NS, releasedNanos - slot.publishNanos);
        counters.set(EngineCounter.OUTCOME_SEQUENCE, sequence);
    }
}
