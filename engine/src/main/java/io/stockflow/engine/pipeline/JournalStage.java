package io.stockflow.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.ThreadPageFaults;

import java.util.concurrent.TimeUnit;

/**
 * Journal stage: appends every command slot to the journal, in ring order, and
 * commits once per batch (group commit at {@code endOfBatch}).
 *
 * <p>Runs on its own thread, the only one that touches the {@link JournalAppender}.
 * The Disruptor publishes this stage's sequence only after the whole batch,
 * including the commit, so the outcome stage (gated on it) never releases an
 * event before it is durable at the configured level. A journal failure
 * propagates to {@link StageFailures}: the engine halts fail-stop.
 *
 * <p><b>Counters.</b> Sequence, records and bytes are kept in plain fields per
 * event and written to the counters once per batch, after the commit. The
 * journal thread's own minor page faults (read from {@code /proc/thread-self},
 * opened on this thread in {@link #onStart()}), the roll-overs and the pages the
 * pretoucher touched are refreshed at a batch end at most once a millisecond: a
 * system call per millisecond, never one per record.
 */
public final class JournalStage implements EventHandler<CommandSlot>
{
    private static final long SAMPLE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final JournalAppender appender;
    private final Journal journal;
    private final CountersFile counters;
    private final boolean counting;
    private final boolean stampTimes;
    private final StageBatchCounters batchCounters;
    private ThreadPageFaults pageFaults;
    private long faultsAtStart;
    private long nextSampleNs;
    private long lastSequence;
    private long batchRecords;
    private long batchBytes;

    /**
     * @param journal  the journal; its appender is used only from this stage's thread.
     * @param counters the engine's counters; this stage writes the journal ones.
     * @param counting   false to leave the counters alone (the overhead benchmark's baseline).
     * @param stampTimes true to stamp each command with when it was journaled, for a latency recorder.
     */
    public JournalStage(
        final Journal journal, final CountersFile counters, final boolean counting, final boolean stampTimes)
    {
        this.stampTimes = stampTimes;
        this.journal = journal;
        this.appender = journal.appender();
        this.counters = counters;
        this.counting = counting;
        this.batchCounters = StageBatchCounters.journal(counters, counting);
    }

    @Override
    public void onStart()
    {
        batchCounters.onStart();
        if (counting)
        {
            pageFaults = ThreadPageFaults.openForCurrentThread();
            faultsAtStart = pageFaults == null ? -1 : pageFaults.minorFaults();
            if (faultsAtStart < 0)
            {
                closePageFaults();
            }
            sampleJournal();
        }
    }

    @Override
    public void onShutdown()
    {
        if (counting)
        {
            sampleJournal();
        }
        closePageFaults();
    }

    private void closePageFaults()
    {
        if (pageFaults != null)
        {
            pageFaults.close();
            pageFaults = null;
        }
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
            final long journalSequence = appender.append(
                slot.eventTimeMs, slot.commandType, CommandCodec.SCHEMA_VERSION, slot.payload, 0, slot.payloadLength);
            if (journalSequence != slot.sequence)
            {
                throw new IllegalStateException("journal assigned sequence " + journalSequence
                    + " to the command the publisher stamped " + slot.sequence);
            }
            if (stampTimes)
            {
                slot.journaledNs = System.nanoTime();
            }
            lastSequence = journalSequence;
            batchRecords++;
            batchBytes += slot.payloadLength;
        }
        if (endOfBatch)
        {
            appender.commit();
            if (counting)
            {
                flushBatch();
            }
        }
    }

    private void flushBatch()
    {
        if (batchRecords != 0)
        {
            counters.set(EngineCounter.JOURNAL_SEQUENCE, lastSequence);
            counters.add(EngineCounter.JOURNAL_RECORDS, batchRecords);
            counters.add(EngineCounter.JOURNAL_BYTES, batchBytes);
            batchRecords = 0;
            batchBytes = 0;
        }
        counters.set(EngineCounter.JOURNAL_COMMITTED_SEQUENCE, appender.committedSequence());
        final long nowNs = batchCounters.onBatchEnd();
        if (nowNs - nextSampleNs >= 0)
        {
            nextSampleNs = nowNs + SAMPLE_INTERVAL_NS;
            sampleJournal();
        }
    }

    private void sampleJournal()
    {
        if (pageFaults != null)
        {
            final long faults = pageFaults.minorFaults();
            if (faults >= 0)
            {
                counters.set(EngineCounter.JOURNAL_MINOR_FAULTS, faults - faultsAtStart);
            }
        }
        counters.set(EngineCounter.JOURNAL_ROLL_OVERS, journal.rollOvers());
        counters.set(EngineCounter.JOURNAL_PRETOUCHED_PAGES, journal.pretouchedPages());
    }
}
