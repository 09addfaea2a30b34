package io.stockflow.engine.pipeline;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.DataProvider;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.counters.OutcomeCounting;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.shadow.StateCheckpoints;
import io.stockflow.engine.snapshot.LiveCaptureSnapshots;

/**
 * Logic stage: applies every command to the rules, which it alone owns, and
 * leaves the outcome (and the orders the event expired) in the slot for the
 * outcome stage.
 *
 * <p>Runs in parallel with the journal stage: applying before the event is
 * durable is safe because nothing leaves the engine until the outcome stage,
 * gated on both, releases it. Also runs state queries (never journaled) in ring
 * order.
 *
 * <p>Snapshots cost it one thing: at every checkpoint sequence it publishes its state
 * hash (kept incrementally by the rules, so an O(1) read) to the shadow state's
 * {@link StateCheckpoints}, a few nanoseconds counted in {@code SNAPSHOT_LAST_HOLD_NS}.
 * The snapshots themselves are written from the shadow state on the snapshot thread.
 *
 * <p>Given a batch of several events by the ring, it reads ahead the orders of up to
 * {@value #READ_AHEAD} of them before applying them ({@link FulfillmentRules#prefetchOrders}),
 * so that their cache misses overlap; an event that comes alone is applied at once.
 */
public final class LogicStage implements EventHandler<CommandSlot>, ExpiryListener
{
    /** Outcome code for an event on which the rules threw (with RECORD_AND_CONTINUE). */
    public static final int LOGIC_ERROR = -1;
    /** Events read ahead at most, as the replayer's batches ({@code JournalReplayer}). */
    private static final int READ_AHEAD = 16;

    private final FulfillmentRules rules;
    private final LogicFailurePolicy failurePolicy;
    private final CountersFile counters;
    private final StateCheckpoints checkpoints;
    private final ApplyProbe probe;
    private final CommandView view = new CommandView();
    private final OutcomeCounting outcomeCounting;
    private final boolean counting;
    private final boolean stampTimes;
    private final StageBatchCounters batchCounters;
    private CommandSlot currentSlot;
    private long nextCheckpoint;
    // Read ahead: the ring (null for none), the size of the batch begun, its last ring sequence once its first
    // event came (-1 before), and the last ring sequence read ahead.
    private final DataProvider<CommandSlot> ring;
    private final long[] aheadOrders = new long[READ_AHEAD];
    private long batchSize;
    private long batchLastRingSequence = -1;
    private long readAheadThrough = -1;
    // Set before start; null unless snapshots are captured from the live state.
    private LiveCaptureSnapshots liveSnapshots;
    private Cursored upstream;
    /** False when a fused stage drives this one and runs its idle duties after its own release. */
    private boolean idleDutiesAtBatchEnd = true;
    private Sequence progress;

    /**
     * @param rules         the state and rules; this stage's thread owns them once started.
     * @param failurePolicy what to do when the rules throw.
     * @param counters      the engine's counters; this stage writes the logic ones.
     * @param checkpoints   where the state hash goes at checkpoint sequences, or null for no shadow state.
     */
    public LogicStage(
        final FulfillmentRules rules,
        final LogicFailurePolicy failurePolicy,
        final CountersFile counters,
        final StateCheckpoints checkpoints)
    {
        this(rules, failurePolicy, counters, checkpoints, ApplyProbe.NONE, true, true, null);
    }

    /**
     * @param rules         the state and rules; this stage's thread owns them once started.
     * @param failurePolicy what to do when the rules throw.
     * @param counters      the engine's counters; this stage writes the logic ones.
     * @param checkpoints   where the state hash goes at checkpoint sequences, or null for no shadow state.
     * @param probe         called before each apply (a test seam); {@link ApplyProbe#NONE} in production.
     * @param counting      false to skip the per-event and per-batch counters (the overhead benchmark's
     *                      baseline); expiries and logic errors are counted either way.
     * @param stampTimes    true to stamp each command with when it was applied, for a latency recorder.
     * @param ring          the ring whose batches this stage is given, to read their events ahead; null to
     *                      apply each event without reading ahead.
     */
    public LogicStage(
        final FulfillmentRules rules,
        final LogicFailurePolicy failurePolicy,
        final CountersFile counters,
        final StateCheckpoints checkpoints,
        final ApplyProbe probe,
        final boolean counting,
        final boolean stampTimes,
        final DataProvider<CommandSlot> ring)
    {
        this.stampTimes = stampTimes;
        this.rules = rules;
        this.failurePolicy = failurePolicy;
        this.counters = counters;
        this.checkpoints = checkpoints;
        this.nextCheckpoint = checkpoints == null ? Long.MAX_VALUE : checkpoints.nextAfter(rules.view().lastSequence());
        this.probe = probe;
        this.outcomeCounting = new OutcomeCounting(counters);
        this.counting = counting;
        this.batchCounters = StageBatchCounters.logic(counters, counting);
        this.ring = ring;
    }

    /**
     * Makes this stage capture the engine's periodic snapshots from the live state, a step after each event
     * and more while no command waits. Before start only.
     *
     * @param snapshots the live capture, or null for none.
     * @param ring      the ring whose cursor tells the idle capture that a command waits.
     */
    void captureSnapshotsWith(final LiveCaptureSnapshots snapshots, final Cursored ring)
    {
        this.liveSnapshots = snapshots;
        this.upstream = ring;
    }

    /** A fused stage drives this one: it calls {@link #runIdleDuties} once it has released a batch. */
    void leaveIdleDutiesToCaller()
    {
        this.idleDutiesAtBatchEnd = false;
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.progress = sequenceCallback;
    }

    /**
     * The work this stage does in its idle time, after a batch: the steps of a live snapshot capture,
     * until it is complete or an event waits. The batch's progress is published first, so nothing behind
     * this stage waits for the capture.
     *
     * @param ringSequence       the batch's last ring sequence.
     * @param processorSequence  the sequence of the processor running the batch, set to {@code ringSequence}.
     */
    void runIdleDuties(final long ringSequence, final Sequence processorSequence)
    {
        if (liveSnapshots != null && liveSnapshots.capturing() && upstream.getCursor() <= ringSequence)
        {
            processorSequence.set(ringSequence);
            liveSnapshots.stepWhileIdle(upstream, ringSequence);
        }
    }

    @Override
    public void onStart()
    {
        if (checkpoints != null)
        {
            checkpoints.warmUp(rules.view());
        }
        if (liveSnapshots != null)
        {
            LiveCaptureSnapshots.warmUp();
        }
        batchCounters.onStart();
    }

    @Override
    public void onExpired(final long orderId)
    {
        counters.add(EngineCounter.ORDERS_EXPIRED, 1);
        final CommandSlot slot = currentSlot;
        if (slot != null)
        {
            slot.addExpiredOrder(orderId);
        }
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        batchCounters.onBatchStart(batchSize, queueDepth);
        this.batchSize = batchSize;
        batchLastRingSequence = -1;
    }

    @Override
    public void onEvent(final CommandSlot slot, final long ringSequence, final boolean endOfBatch)
    {
        if (ring != null)
        {
            readAhead(ringSequence);
        }
        if (slot.kind == CommandSlot.KIND_QUERY)
        {
            slot.query.runOn(rules.view());
        }
        else
        {
            apply(slot);
        }
        if (endOfBatch)
        {
            if (liveSnapshots != null)
            {
                liveSnapshots.atBatchEnd(rules.view());
            }
            if (counting)
            {
                final StateView state = rules.view();
                counters.set(EngineCounter.SKUS, state.skuCount());
                counters.set(EngineCounter.ORDERS, state.orderCount());
                counters.set(EngineCounter.ORDER_CAPACITY, state.orderCapacity());
                counters.set(EngineCounter.SKU_CAPACITY, state.skuCapacity());
                counters.set(EngineCounter.RETENTION_MS, state.retentionMs());
                counters.set(EngineCounter.ORDERS_FORGOTTEN, state.ordersForgotten());
                counters.set(EngineCounter.REFUSED_ORDER_CAPACITY, state.orderCapacityRefusals());
                counters.set(EngineCounter.REFUSED_SKU_CAPACITY, state.skuCapacityRefusals());
                batchCounters.onBatchEnd();
            }
            if (idleDutiesAtBatchEnd)
            {
                runIdleDuties(ringSequence, progress);
            }
        }
    }

    private void apply(final CommandSlot slot)
    {
        slot.expiredCount = 0;
        currentSlot = slot;
        view.wrap(slot.payload, 0, slot.payloadLength);
        final CommandType type = view.type();
        slot.entityId = type == CommandType.RESTOCK || type == CommandType.ADJUST ? view.sku()
            : type == CommandType.RULES ? 0 : view.order();
        try
        {
            probe.beforeApply(slot.sequence, view);
            rules.checkNext(slot.sequence, slot.eventTimeMs);
            final int outcome = rules.apply(slot.eventTimeMs, view);
            slot.outcome = outcome;
            if (counting)
            {
                outcomeCounting.count(outcome);
            }
        }
        catch (final RuntimeException e)
        {
            if (failurePolicy == LogicFailurePolicy.HALT)
            {
                throw e;
            }
            if (rules.view().lastSequence() < slot.sequence)
            {
                rules.skip(slot.eventTimeMs);
            }
            slot.outcome = LOGIC_ERROR;
            counters.add(EngineCounter.LOGIC_ERRORS, 1);
        }
        finally
        {
            currentSlot = null;
        }
        if (slot.sequence == nextCheckpoint)
        {
            publishCheckpoint(slot.sequence);
        }
        if (liveSnapshots != null)
        {
            liveSnapshots.afterApply(rules.view());
        }
        if (stampTimes)
        {
            slot.appliedNs = System.nanoTime();
        }
        if (counting)
        {
            counters.set(EngineCounter.LOGIC_SEQUENCE, slot.sequence);
        }
    }

    /**
     * At the first event of a batch, and again after every {@value #READ_AHEAD} of it, reads ahead the orders
     * of the next events of the batch (published, so readable by this stage). A batch of one reads nothing.
     */
    private void readAhead(final long ringSequence)
    {
        if (batchLastRingSequence < 0)
        {
            batchLastRingSequence = ringSequence + batchSize - 1;
        }
        if (ringSequence <= readAheadThrough)
        {
            return;
        }
        final long last = Math.min(batchLastRingSequence, ringSequence + READ_AHEAD - 1);
        if (last <= ringSequence)
        {
            return;
        }
        final int count = (int)(last - ringSequence + 1);
        for (int i = 0; i < count; i++)
        {
            final CommandSlot ahead = ring.get(ringSequence + i);
            aheadOrders[i] = ahead.kind == CommandSlot.KIND_QUERY ? 0
                : CommandCodec.orderIdHint(ahead.payload, 0, ahead.payloadLength);
        }
        rules.prefetchOrders(aheadOrders, count, ring.get(last).eventTimeMs);
        readAheadThrough = last;
    }

    /**
     * The only snapshot work on this thread: an O(1) hash read and three ordered stores, warmed up in
     * {@link #onStart()}.
     */
    private void publishCheckpoint(final long sequence)
    {
        final long heldNs = checkpoints.publishTimed(sequence, rules.view());
        nextCheckpoint += checkpoints.every();
        counters.set(EngineCounter.SNAPSHOT_LAST_HOLD_NS, heldNs);
        counters.max(EngineCounter.SNAPSHOT_HOLD_MAX_NS, heldNs);
    }
}
