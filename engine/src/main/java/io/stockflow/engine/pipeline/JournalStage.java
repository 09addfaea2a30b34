package io.stockflow.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.EngineCounters;
import io.stockflow.journal.JournalAppender;

/**
 * Journal stage: appends every command slot to the journal, in ring order, and
 * commits once per batch (group commit at {@code endOfBatch}).
 *
 * <p>Runs on its own thread, the only one that touches the {@link JournalAppender}.
 * The Disruptor publishes this stage's sequence only after the whole batch,
 * including the commit, so the outcome stage (gated on it) never releases an
 * event before it is durable at the configured level. A journal failure
 * propagates to {@link StageFailures}: the engine halts fail-stop.
 */
public final class JournalStage implements EventHandler<CommandSlot>
{
    private final JournalAppender appender;
    private final EngineCounters counters;

    /**
     * @param appender the journal's appender, used only from this stage's thread.
     * @param counters the engine's counters; this stage writes the journal ones.
     */
    public JournalStage(final JournalAppender appender, final EngineCounters counters)
    {
        this.appender = appender;
        this.counters = counters;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        counters.add(EngineCounter.JOURNAL_BATCHES, 1);
        counters.max(EngineCounter.JOURNAL_BATCH_MAX, batchSize);
        counters.set(EngineCounter.JOURNAL_LAG, queueDepth);
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (slot.kind == CommandSlot.KIND_COMMAND)
        {
            final long journalSequence = appender.append(
                slot.eventTimeMs, slot.commandType, CommandCodec.SCHEMA_VERSION, slot.payload, 0, slot.payloadLength);
            if (journalSequence != slot.sequence)
            {
                throw new IllegalStateException("journal assigned sequence " + journalSequence
                    + " to the command the publisher stamped " + slot.sequence);
            }
            slot.journaledNanos = System.nanoTime();
            counters.set(EngineCounter.JOURNAL_SEQUENCE, journalSequence);
            counters.add(EngineCounter.JOURNAL_BYTES, slot.payloadLength);
        }
        if (endOfBatch)
        {
            appender.commit();
            counters.set(EngineCounter.JOURNAL_COMMITTED_SEQUENCE, appender.committedSequence());
        }
    }
}
