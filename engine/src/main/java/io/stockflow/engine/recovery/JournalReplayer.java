package io.stockflow.engine.recovery;

import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.Outcome;
import io.stockflow.engine.rules.StateView;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

/**
 * Feeds journaled commands to the rules: the same rules code that runs live,
 * driven by the journal reader instead of the ring. Used by recovery and by the
 * {@code state}, {@code replay} and {@code verify} commands.
 *
 * <p>Applies the same {@link LogicFailurePolicy} as the live engine, so an event
 * on which the rules threw live does the same thing here.
 */
public final class JournalReplayer implements ExpiryListener
{
    /** No upper bound on sequence or time. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /**
     * Records read ahead of the rules, so that the memory their orders touch is read in two
     * passes whose cache misses overlap ({@link FulfillmentRules#prefetchOrders}). SHIPs of
     * old orders took about 1,030 ns each one at a time, and about 400 ns in batches of
     * eight, sixteen or thirty-two alike ({@code PrefetchTimingMain}, BENCHMARKS.md).
     */
    private static final int READ_AHEAD = 16;

    private final FulfillmentRules rules;
    private final LogicFailurePolicy failurePolicy;
    private final ApplyProbe probe;
    private final JournalOrigin origin;
    // Set once the journal's first record was read for its parameters: a later replay from the start of
    // these same rules (a replay bounded at sequence 0, then the rest) must not read it again.
    private boolean firstRecordRead;
    private final CommandView view = new CommandView();
    private final JournalRecord record = new JournalRecord();
    // The records read ahead: batch[batchNext..batchEnd) are read and not yet applied. A failure of the read
    // that stopped the batch is thrown once the records read before it are applied, as a reader one record
    // at a time would have.
    private final JournalRecord[] batch = new JournalRecord[READ_AHEAD];
    private final long[] batchOrders = new long[READ_AHEAD];
    private int batchNext;
    private int batchEnd;
    private RuntimeException batchReadFailure;
    private ReplayStats stats;
    // Follow mode (one thread): whether the reader stands after the rules' last sequence. A record read past
    // the bound waits in the batch.
    private final ReplayStats followed = new ReplayStats();
    private boolean followPositioned;

    /**
     * For a journal outside an engine directory ({@link JournalOrigin#UNRECORDED}).
     *
     * @param rulesFactory  builds the rules with this replayer as their expiry listener.
     * @param failurePolicy the engine's logic failure policy.
     */
    public JournalReplayer(final RulesFactory rulesFactory, final LogicFailurePolicy failurePolicy)
    {
        this(rulesFactory, failurePolicy, ApplyProbe.NONE, JournalOrigin.UNRECORDED);
    }

    /**
     * For a journal outside an engine directory ({@link JournalOrigin#UNRECORDED}).
     *
     * @param rulesFactory  builds the rules with this replayer as their expiry listener.
     * @param failurePolicy the engine's logic failure policy.
     * @param probe         called before each apply, as on the live logic stage (a test seam).
     */
    public JournalReplayer(final RulesFactory rulesFactory, final LogicFailurePolicy failurePolicy,
        final ApplyProbe probe)
    {
        this(rulesFactory, failurePolicy, probe, JournalOrigin.UNRECORDED);
    }

    /**
     * @param rulesFactory  builds the rules with this replayer as their expiry listener.
     * @param failurePolicy the engine's logic failure policy.
     * @param probe         called before each apply, as on the live logic stage (a test seam).
     * @param origin        what the engine directory says the journal begins with, checked by a
     *                      replay from the start.
     */
    public JournalReplayer(final RulesFactory rulesFactory, final LogicFailurePolicy failurePolicy,
        final ApplyProbe probe, final JournalOrigin origin)
    {
        this.rules = rulesFactory.create(this);
        for (int i = 0; i < READ_AHEAD; i++)
        {
            batch[i] = new JournalRecord();
        }
        this.failurePolicy = failurePolicy;
        this.probe = probe;
        this.origin = origin;
    }

    /** @return the rules this replayer drives, for a host that goes on applying after the replay. */
    public FulfillmentRules rules()
    {
        return rules;
    }

    /** @return the read-only view of the replayed state. */
    public StateView state()
    {
        return rules.view();
    }

    @Override
    public void onExpired(final long orderId)
    {
        if (stats != null)
        {
            stats.expiries++;
        }
    }

    /**
     * Applies every record after the rules' last sequence, up to the bounds.
     *
     * @param reader      the journal.
     * @param toSequence  last sequence to apply, or {@link #UNBOUNDED}.
     * @param toEventTime apply only events at or before this time, or {@link #UNBOUNDED}.
     * @param progress    told about progress every so often; may be {@link ReplayProgress#NONE}.
     * @return what was applied.
     * @throws JournalCorruptionException on a bad record, with its position.
     * @throws ReplayHaltedException      if the rules throw and the policy is HALT.
     * @throws io.stockflow.engine.ParametersRecordMissingException from the start, when the directory
     *                                                               says the journal begins with a
     *                                                               parameters record and it does not.
     */
    public ReplayStats replay(
        final JournalReader reader, final long toSequence, final long toEventTime, final ReplayProgress progress)
    {
        final ReplayStats replayStats = new ReplayStats();
        this.stats = replayStats;
        final long start = System.nanoTime();
        final long from = rules.view().lastSequence() + 1;
        if (from == 1 && rules.view().events() == 0 && !firstRecordRead)
        {
            applyParametersRecordIfFirst(reader, replayStats);
        }
        if (reader.seekToSequence(from))
        {
            try
            {
                applyBatches(reader, from - 1, toSequence, toEventTime, progress, replayStats);
            }
            finally
            {
                // Records read past a bound, or left by a failure, are never applied later.
                batchNext = 0;
                batchEnd = 0;
                batchReadFailure = null;
            }
        }
        replayStats.elapsedNs = System.nanoTime() - start;
        progress.onProgress(replayStats.lastSequence, replayStats.events);
        this.stats = null;
        return replayStats;
    }

    /**
     * Follows a journal that is still being written, for a host that keeps a second copy of
     * the state (the shadow state): applies the records after the rules' last sequence up to
     * {@code toSequence} (the journal's committed sequence), at most {@code maxEvents} of
     * them, with the same checks and failure policy as {@link #replay}. A record read past the
     * bound (appended, not yet committed) is kept, never applied, and applied by a later call
     * once the bound reaches it. The first call positions the reader just after the rules'
     * last sequence; later calls go on from where the last one stopped, without seeking. Once
     * warm it allocates nothing per record. Use one reader per replayer, from one thread at a
     * time, and do not mix with {@link #replay} on the same reader afterwards.
     *
     * @param reader     the journal, used by this replayer alone from the first call on.
     * @param toSequence the last sequence that may be applied.
     * @param maxEvents  apply at most this many records in this call.
     * @return the number of records applied.
     * @throws JournalCorruptionException on a bad record, with its position.
     * @throws ReplayHaltedException      if the rules throw and the policy is HALT.
     */
    public int follow(final JournalReader reader, final long toSequence, final int maxEvents)
    {
        if (!followPositioned)
        {
            positionAfterLastApplied(reader);
            followPositioned = true;
        }
        int applied = 0;
        this.stats = followed;
        try
        {
            while (applied < maxEvents)
            {
                if (batchNext == batchEnd)
                {
                    throwBatchReadFailure();
                    if (readFollowedBatch(reader, toSequence) == 0)
                    {
                        throwBatchReadFailure();
                        break;
                    }
                }
                final JournalRecord next = batch[batchNext];
                if (next.sequence() > toSequence)
                {
                    break;
                }
                batchNext++;
                applyRecord(next, followed);
                applied++;
            }
        }
        finally
        {
            this.stats = null;
        }
        return applied;
    }

    /** @return every record {@link #follow} applied so far, counted as a replay counts them. */
    public ReplayStats followed()
    {
        return followed;
    }

    /**
     * Reads and applies batches of records until {@code toSequence} is applied, a record past a bound is read,
     * or the journal ends. Stops once toSequence is applied, without reading the record after it: a replay up
     * to a damaged record's predecessor (salvage's check, replay --to-seq) must not meet the damage. Sequences
     * only go up, so reading at most {@code toSequence - applied} records never reads past the first record
     * after toSequence; a record read past the time bound is never applied, nor a failure to read one thrown.
     */
    private void applyBatches(final JournalReader reader, final long lastApplied, final long toSequence,
        final long toEventTime, final ReplayProgress progress, final ReplayStats replayStats)
    {
        long applied = lastApplied;
        boolean more = true;
        while (more && applied < toSequence)
        {
            final int wanted = (int)Math.min(READ_AHEAD, toSequence - applied);
            more = readBatch(reader, wanted) == wanted;
            while (batchNext < batchEnd)
            {
                final JournalRecord next = batch[batchNext];
                final long sequence = next.sequence();
                if (sequence > toSequence || next.eventTime() > toEventTime)
                {
                    return;
                }
                batchNext++;
                applyRecord(next, replayStats);
                applied = sequence;
                if ((replayStats.events & 0xFFFF) == 0)
                {
                    progress.onProgress(sequence, replayStats.events);
                }
            }
            throwBatchReadFailure();
        }
    }

    /**
     * Reads up to {@code wanted} records into the empty batch, then reads ahead the memory their orders touch.
     *
     * @return the records read; fewer than {@code wanted} at the journal's end or at a failed read, which
     *         {@link #throwBatchReadFailure} throws once the records before it are applied.
     */
    private int readBatch(final JournalReader reader, final int wanted)
    {
        batchNext = 0;
        batchEnd = 0;
        try
        {
            while (batchEnd < wanted && reader.readNext(batch[batchEnd]))
            {
                batchEnd++;
            }
        }
        catch (final RuntimeException e)
        {
            batchReadFailure = e;
        }
        prefetchBatch();
        return batchEnd;
    }

    /**
     * Follow mode: reads into the empty batch up to {@value #READ_AHEAD} records, skipping parameters records
     * (the rules followed were built by a recovery that already took one), and stopping after the first
     * record past {@code toSequence}, which stays in the batch until a later bound reaches it.
     *
     * @return the records read.
     */
    private int readFollowedBatch(final JournalReader reader, final long toSequence)
    {
        batchNext = 0;
        batchEnd = 0;
        try
        {
            while (batchEnd < READ_AHEAD && reader.readNext(batch[batchEnd]))
            {
                if (ParametersRecord.is(batch[batchEnd]))
                {
                    continue;
                }
                if (batch[batchEnd++].sequence() > toSequence)
                {
                    break;
                }
            }
        }
        catch (final RuntimeException e)
        {
            batchReadFailure = e;
        }
        prefetchBatch();
        return batchEnd;
    }

    /** Reads ahead, for the rules, the memory the orders of the batch just read will touch. */
    private void prefetchBatch()
    {
        for (int i = 0; i < batchEnd; i++)
        {
            batchOrders[i] = CommandCodec.orderIdHint(batch[i].payload(), 0, batch[i].payloadLength());
        }
        if (batchEnd > 0)
        {
            rules.prefetchOrders(batchOrders, batchEnd, batch[batchEnd - 1].eventTime());
        }
    }

    private void throwBatchReadFailure()
    {
        final RuntimeException failure = batchReadFailure;
        if (failure != null)
        {
            batchReadFailure = null;
            throw failure;
        }
    }

    private void positionAfterLastApplied(final JournalReader reader)
    {
        final long last = rules.view().lastSequence();
        if (reader.seekToSequence(last + 1))
        {
            return;
        }
        if (last > 0)
        {
            if (!reader.seekToSequence(last) || !reader.readNext(record) || record.sequence() != last)
            {
                throw new IllegalStateException("the journal does not hold sequence " + last
                    + ", the last one these rules applied");
            }
        }
    }

    /**
     * Reads the journal's first record (a fresh reader starts before it): if it is the
     * parameters record (sequence 0), the fresh rules take its parameters. If it is a
     * command (a journal written before parameters existed), nothing is applied here: the
     * seek to sequence 1 that follows goes back to it; unless the directory says its journal
     * began with a parameters record, which is then missing, and the replay stops.
     */
    private void applyParametersRecordIfFirst(final JournalReader reader, final ReplayStats replayStats)
    {
        firstRecordRead = true;
        if (!reader.readNext(record))
        {
            return;
        }
        origin.checkFirstRecord(record);
        if (ParametersRecord.is(record))
        {
            ParametersRecord.decode(record, view);
            rules.initializeParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
            replayStats.parametersRecord = true;
        }
    }

    private void applyRecord(final JournalRecord record, final ReplayStats replayStats)
    {
        final long sequence = record.sequence();
        if (record.version() != CommandCodec.SCHEMA_VERSION)
        {
            throw new JournalCorruptionException("record at sequence " + sequence + " has command schema version "
                + record.version() + "; this engine reads version " + CommandCodec.SCHEMA_VERSION,
                record.file(), record.position(), sequence, record.chronicleIndex());
        }
        view.wrap(record.payload(), 0, record.payloadLength());
        final CommandType type = view.type();
        if (type.code() != record.type())
        {
            throw new JournalCorruptionException("record at sequence " + sequence + " has type " + record.type()
                + " but its payload holds " + type, record.file(), record.position(), sequence,
                record.chronicleIndex());
        }
        if (replayStats.events == 0)
        {
            replayStats.firstSequence = sequence;
            replayStats.firstEventTimeMs = record.eventTime();
        }
        replayStats.events++;
        replayStats.byType[type.code()]++;
        replayStats.payloadBytes += record.payloadLength();
        replayStats.lastSequence = sequence;
        replayStats.lastEventTimeMs = record.eventTime();
        try
        {
            probe.beforeApply(sequence, view);
            rules.checkNext(sequence, record.eventTime());
            final int outcome = rules.apply(record.eventTime(), view);
            if (outcome == Outcome.ACCEPTED)
            {
                replayStats.accepted++;
            }
            else
            {
                replayStats.byReason[outcome]++;
            }
        }
        catch (final RuntimeException e)
        {
            if (failurePolicy == LogicFailurePolicy.HALT)
            {
                throw new ReplayHaltedException(sequence, e);
            }
            if (rules.view().lastSequence() < sequence)
            {
                rules.skip(record.eventTime());
            }
            replayStats.logicErrors++;
        }
    }

    /** Builds rules bound to an expiry listener. */
    @FunctionalInterface
    public interface RulesFactory
    {
        /** Plain rules with default sizing. */
        RulesFactory DEFAULT = FulfillmentRules::new;

        /**
         * @param listener the expiry listener the rules must report to.
         * @return fresh rules.
         */
        FulfillmentRules create(ExpiryListener listener);
    }
}
