package io.stockflow.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.engine.command.AdmissionClass;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.BackpressureEpisodeEvent;
import io.stockflow.engine.pipeline.CommandSlot;
import io.stockflow.engine.pipeline.SharedLifecycle;
import io.stockflow.engine.pipeline.SlotWriter;
import io.stockflow.engine.pipeline.StateQueryTask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The engine's single writer: typed publish methods, one per command.
 *
 * <p><b>Threading.</b> The first thread that publishes owns this publisher; a
 * publish from any other thread throws {@link IllegalStateException} before it
 * touches the ring, so a second thread can never corrupt it. Services with
 * several input threads put one ingress thread in front (see README).
 *
 * <p><b>Results.</b> Every method returns the command's journal sequence
 * ({@code > 0}) or a {@link PublishRefusal} ({@code < 0}). A refused command is
 * not journaled and leaves no trace. No method allocates.
 *
 * <p><b>Admission.</b> PLACE is shed when the free ring capacity falls below the
 * normal watermark, RESTOCK and ADJUST below the high watermark; CANCEL, SHIP,
 * DELIVER and RETURN are never shed: a blocking publish waits up to the publish
 * timeout for a slot, a {@code try...} publish fails fast.
 *
 * <p><b>Time.</b> {@code ts} is the command's time in epoch ms, or {@link #NOW}
 * to stamp it from the engine clock. The event time journaled is
 * {@code max(ts, previous event time)}, so it never goes backwards.
 *
 * <p><b>Closing.</b> Every publish marks itself in flight (one volatile store)
 * before it reads the life-cycle state, and unmarks itself when it has published
 * or refused. {@link StockflowEngine#close()} first moves the state to DRAINING
 * and then waits until no publish is in flight ({@link #awaitIdle}), so a publish
 * racing {@code close()} either sees DRAINING and is refused, or is in the ring
 * before the drain starts: a sequence once returned is never lost by a clean close.
 *
 * <p><b>Back-pressure episodes.</b> The first BACKPRESSURE refusal starts an
 * episode, the next slot claimed (a command or query of any class) ends it:
 * {@code BACKPRESSURE_EPISODES} counts episodes, and while JFR records
 * {@link BackpressureEpisodeEvent} each episode is one event with its refusal count
 * and the lowest free capacity seen, allocated when the episode starts, never per
 * refusal (and never when JFR does not record it).
 */
public final class CommandPublisher
{
    /** Pass as {@code ts} to stamp the command from the engine's clock. */
    public static final long NOW = Long.MIN_VALUE;

    private static final VarHandle IN_FLIGHT;

    static
    {
        try
        {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(CommandPublisher.class, "inFlight", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingBuffer<CommandSlot> ring;
    private final SharedLifecycle lifecycle;
    private final CountersFile counters;
    private final LongSupplier clockMs;
    private final long normalMinFree;
    private final long highMinFree;
    private final long publishTimeoutNs;
    private final PlaceOrder placeOrder = new PlaceOrder();
    private final boolean counting;
    /** Never committed: asked only whether JFR records episodes, so no event is allocated otherwise. */
    private final BackpressureEpisodeEvent episodeProbe = new BackpressureEpisodeEvent();

    private volatile Thread owner;
    private volatile int inFlight;
    private long nextSequence;
    private long lastEventTimeMs;
    private long episodeRefusals;
    private long episodeLowestFree;
    private BackpressureEpisodeEvent episodeEvent;

    CommandPublisher(
        final RingBuffer<CommandSlot> ring,
        final SharedLifecycle lifecycle,
        final CountersFile counters,
        final EngineConfig config)
    {
        this.ring = ring;
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.clockMs = config.clockMs();
        this.normalMinFree = (long)Math.ceil(config.normalWatermark() * ring.getBufferSize());
        this.highMinFree = (long)Math.ceil(config.highWatermark() * ring.getBufferSize());
        this.publishTimeoutNs = config.publishTimeout().toNanos();
        this.counting = config.counters();
        counters.set(EngineCounter.RING_CAPACITY, ring.getBufferSize());
        counters.set(EngineCounter.RING_FREE_MIN, ring.getBufferSize());
    }

    void resumeAfter(final long lastSequence, final long lastEventTimeMs)
    {
        this.nextSequence = lastSequence + 1;
        this.lastEventTimeMs = lastEventTimeMs;
    }

    /** @return the sequence the next accepted command will get. */
    public long nextSequence()
    {
        return nextSequence;
    }

    /** RESTOCK, waiting where its class allows. @return sequence or refusal. */
    public long restock(final long ts, final long sku, final long qty)
    {
        return restock(ts, sku, qty, true);
    }

    /** RESTOCK, failing fast. @return sequence or refusal. */
    public long tryRestock(final long ts, final long sku, final long qty)
    {
        return restock(ts, sku, qty, false);
    }

    /** ADJUST (stock-count correction), waiting where its class allows. @return sequence or refusal. */
    public long adjust(final long ts, final long sku, final long delta)
    {
        return adjust(ts, sku, delta, true);
    }

    /** ADJUST, failing fast. @return sequence or refusal. */
    public long tryAdjust(final long ts, final long sku, final long delta)
    {
        return adjust(ts, sku, delta, false);
    }

    /** CANCEL, waiting up to the publish timeout. @return sequence or refusal. */
    public long cancel(final long ts, final long order)
    {
        return orderCommand(CommandType.CANCEL, ts, order, true);
    }

    /** CANCEL, failing fast. @return sequence or refusal. */
    public long tryCancel(final long ts, final long order)
    {
        return orderCommand(CommandType.CANCEL, ts, order, false);
    }

    /** SHIP, waiting up to the publish timeout. @return sequence or refusal. */
    public long ship(final long ts, final long order)
    {
        return orderCommand(CommandType.SHIP, ts, order, true);
    }

    /** SHIP, failing fast. @return sequence or refusal. */
    public long tryShip(final long ts, final long order)
    {
        return orderCommand(CommandType.SHIP, ts, order, false);
    }

    /** DELIVER, waiting up to the publish timeout. @return sequence or refusal. */
    public long deliver(final long ts, final long order)
    {
        return orderCommand(CommandType.DELIVER, ts, order, true);
    }

    /** DELIVER, failing fast. @return sequence or refusal. */
    public long tryDeliver(final long ts, final long order)
    {
        return orderCommand(CommandType.DELIVER, ts, order, false);
    }

    /** RETURN, waiting up to the publish timeout. @return sequence or refusal. */
    public long returnOrder(final long ts, final long order)
    {
        return orderCommand(CommandType.RETURN, ts, order, true);
    }

    /** RETURN, failing fast. @return sequence or refusal. */
    public long tryReturnOrder(final long ts, final long order)
    {
        return orderCommand(CommandType.RETURN, ts, order, false);
    }

    /**
     * Publishes any command from its fields, waiting where its class allows (like
     * {@link #restock}, {@link #ship}, ...): for callers that hold commands as data,
     * such as the command line and the workload generator.
     *
     * @param command the command's fields.
     * @param ts      command time or {@link #NOW}.
     * @return sequence or refusal.
     */
    public long publish(final CommandFields command, final long ts)
    {
        switch (command.type())
        {
            case RESTOCK:
                return restock(ts, command.sku(), command.qty());
            case ADJUST:
                return adjust(ts, command.sku(), command.delta());
            case PLACE:
                final PlaceOrder place = place(ts, command.order(), command.account(), command.ttlMs());
                final int lineCount = command.lineCount();
                final int stored = Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES);
                for (int i = 0; i < lineCount; i++)
                {
                    if (i < stored)
                    {
                        place.line(command.lineSku(i), command.lineQty(i), command.linePrice(i));
                    }
                    else
                    {
                        // Beyond the stored lines only the count matters: such a PLACE is INVALID.
                        place.line(0, 0, 0);
                    }
                }
                return place.publish();
            case CANCEL:
                return cancel(ts, command.order());
            case SHIP:
                return ship(ts, command.order());
            case DELIVER:
                return deliver(ts, command.order());
            case RETURN:
                return returnOrder(ts, command.order());
            default:
                throw new IllegalArgumentException("unknown command type " + command.type());
        }
    }

    /**
     * Starts a PLACE: add its lines with {@link PlaceOrder#line}, then
     * {@link PlaceOrder#publish()} or {@link PlaceOrder#tryPublish()}. The returned
     * builder is this publisher's one reusable instance: owner thread only.
     *
     * @param ts      command time or {@link #NOW}.
     * @param order   order id.
     * @param account account id.
     * @param ttlMs   reservation time to live; 0 for the default 15 minutes.
     * @return the reusable PLACE builder.
     */
    public PlaceOrder place(final long ts, final long order, final long account, final long ttlMs)
    {
        checkOwner();
        return placeOrder.start(ts, order, account, ttlMs);
    }

    private long restock(final long ts, final long sku, final long qty, final boolean wait)
    {
        beginPublish();
        try
        {
            final long ringSequence = claim(AdmissionClass.HIGH, wait);
            if (ringSequence < 0)
            {
                return ringSequence;
            }
            final CommandSlot slot = ring.get(ringSequence);
            final int length = CommandCodec.encodeRestock(slot.payload(), 0, sku, qty);
            return publishSlot(slot, ringSequence, CommandType.RESTOCK, ts, length);
        }
        finally
        {
            endPublish();
        }
    }

    private long adjust(final long ts, final long sku, final long delta, final boolean wait)
    {
        beginPublish();
        try
        {
            final long ringSequence = claim(AdmissionClass.HIGH, wait);
            if (ringSequence < 0)
            {
                return ringSequence;
            }
            final CommandSlot slot = ring.get(ringSequence);
            final int length = CommandCodec.encodeAdjust(slot.payload(), 0, sku, delta);
            return publishSlot(slot, ringSequence, CommandType.ADJUST, ts, length);
        }
        finally
        {
            endPublish();
        }
    }

    private long orderCommand(final CommandType type, final long ts, final long order, final boolean wait)
    {
        beginPublish();
        try
        {
            final long ringSequence = claim(AdmissionClass.CRITICAL, wait);
            if (ringSequence < 0)
            {
                return ringSequence;
            }
            final CommandSlot slot = ring.get(ringSequence);
            final int length = CommandCodec.encodeOrderCommand(slot.payload(), 0, type, order);
            return publishSlot(slot, ringSequence, type, ts, length);
        }
        finally
        {
            endPublish();
        }
    }

    private long publishSlot(
        final CommandSlot slot, final long ringSequence, final CommandType type, final long ts, final int length)
    {
        long eventTimeMs = ts == NOW ? clockMs.getAsLong() : ts;
        if (eventTimeMs < lastEventTimeMs)
        {
            eventTimeMs = lastEventTimeMs;
        }
        lastEventTimeMs = eventTimeMs;
        final long sequence = nextSequence++;
        SlotWriter.command(slot, sequence, eventTimeMs, type.code(), length, System.nanoTime());
        ring.publish(ringSequence);
        if (counting)
        {
            counters.set(EngineCounter.PUBLISHED, sequence);
        }
        return sequence;
    }

    /**
     * Publishes a state query (never journaled, takes no sequence). Owner thread
     * only; waits for a slot like a critical command.
     *
     * @param task the query.
     * @return the ring sequence it was published at, or a refusal.
     */
    long publishQuery(final StateQueryTask<?> task)
    {
        beginPublish();
        try
        {
            final long ringSequence = claim(AdmissionClass.CRITICAL, true);
            if (ringSequence >= 0)
            {
                SlotWriter.query(ring.get(ringSequence), task);
                ring.publish(ringSequence);
            }
            return ringSequence;
        }
        finally
        {
            endPublish();
        }
    }

    /**
     * Waits until no publish is in flight. Called by {@code close()} after the state
     * left RUNNING: from then on every publish that starts is refused, so once this
     * returns true no command can enter the ring any more.
     *
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     * @return true when idle, false when the deadline passed first.
     */
    boolean awaitIdle(final long deadlineNs)
    {
        while (inFlight != 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(20_000);
        }
        return true;
    }

    /**
     * Checks the owner, then marks a publish in flight with a volatile store that
     * precedes the life-cycle read in {@link #claim} (the store-load pair that
     * {@link #awaitIdle} relies on).
     */
    private void beginPublish()
    {
        checkOwner();
        inFlight = 1;
    }

    private void endPublish()
    {
        IN_FLIGHT.setRelease(this, 0);
    }

    RingBuffer<CommandSlot> ring()
    {
        return ring;
    }

    /**
     * Admission and slot claim. Returns a ring sequence ({@code >= 0}) or a
     * refusal ({@code < 0}).
     */
    private long claim(final AdmissionClass admissionClass, final boolean wait)
    {
        final EngineLifecycle state = lifecycle.get();
        if (state != EngineLifecycle.RUNNING)
        {
            return refuseForState(state);
        }
        final long free = ring.remainingCapacity();
        if (counting)
        {
            counters.min(EngineCounter.RING_FREE_MIN, free);
        }
        if (admissionClass == AdmissionClass.NORMAL && free < normalMinFree)
        {
            return refuseBackpressure(EngineCounter.REFUSED_BACKPRESSURE_NORMAL, free);
        }
        if (admissionClass == AdmissionClass.HIGH && free < highMinFree)
        {
            return refuseBackpressure(EngineCounter.REFUSED_BACKPRESSURE_HIGH, free);
        }
        long ringSequence;
        try
        {
            ringSequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            ringSequence = wait ? waitForSlot(admissionClass) : refuseFull(admissionClass);
        }
        if (ringSequence >= 0 && episodeRefusals != 0)
        {
            endBackpressureEpisode();
        }
        return ringSequence;
    }

    private long refuseBackpressure(final EngineCounter counter, final long free)
    {
        counters.add(counter, 1);
        if (episodeRefusals == 0)
        {
            counters.add(EngineCounter.BACKPRESSURE_EPISODES, 1);
            episodeLowestFree = free;
            if (episodeProbe.isEnabled())
            {
                episodeEvent = new BackpressureEpisodeEvent();
                episodeEvent.begin();
            }
        }
        episodeRefusals++;
        episodeLowestFree = Math.min(episodeLowestFree, free);
        return PublishRefusal.BACKPRESSURE;
    }

    private void endBackpressureEpisode()
    {
        final BackpressureEpisodeEvent event = episodeEvent;
        if (event != null)
        {
            episodeEvent = null;
            event.end();
            if (event.shouldCommit())
            {
                event.refusals = episodeRefusals;
                event.lowestFreeSlots = episodeLowestFree;
                event.commit();
            }
        }
        episodeRefusals = 0;
    }

    /**
     * Ends a back-pressure episode still open when the engine closes (no publish
     * came to end it). Called by {@code close()} once the publisher is idle.
     */
    void finishBackpressureEpisode()
    {
        if (episodeRefusals != 0)
        {
            endBackpressureEpisode();
        }
    }

    private long waitForSlot(final AdmissionClass admissionClass)
    {
        final long deadline = System.nanoTime() + publishTimeoutNs;
        int idleRounds = 0;
        while (true)
        {
            final EngineLifecycle state = lifecycle.get();
            if (state != EngineLifecycle.RUNNING)
            {
                return refuseForState(state);
            }
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    return refuseFull(admissionClass);
                }
                // Spin briefly, then yield, then park: a full ring drains in microseconds
                // when the stages are healthy, but a stalled disk must not burn a core.
                if (++idleRounds < 100)
                {
                    Thread.onSpinWait();
                }
                else if (idleRounds < 200)
                {
                    Thread.yield();
                }
                else
                {
                    LockSupport.parkNanos(50_000);
                }
            }
        }
    }

    private long refuseFull(final AdmissionClass admissionClass)
    {
        switch (admissionClass)
        {
            case NORMAL:
                return refuseBackpressure(EngineCounter.REFUSED_BACKPRESSURE_NORMAL, 0);
            case HIGH:
                return refuseBackpressure(EngineCounter.REFUSED_BACKPRESSURE_HIGH, 0);
            default:
                return refuseBackpressure(EngineCounter.REFUSED_BACKPRESSURE_CRITICAL, 0);
        }
    }

    private long refuseForState(final EngineLifecycle state)
    {
        switch (state)
        {
            case HALTED:
                counters.add(EngineCounter.REFUSED_HALTED, 1);
                return PublishRefusal.ENGINE_HALTED;
            case NEW:
            case STARTING:
                return PublishRefusal.ENGINE_NOT_STARTED;
            default:
                counters.add(EngineCounter.REFUSED_STOPPING, 1);
                return PublishRefusal.ENGINE_STOPPING;
        }
    }

    private void checkOwner()
    {
        final Thread current = Thread.currentThread();
        final Thread bound = owner;
        if (bound == current)
        {
            return;
        }
        if (bound == null)
        {
            synchronized (this)
            {
                if (owner == null)
                {
                    owner = current;
                    return;
                }
            }
        }
        throw new IllegalStateException("publish from thread '" + current.getName()
            + "' refused: this engine has a single writer, thread '" + owner.getName()
            + "'; hand commands to that thread instead (see README, 'Several input threads')");
    }

    /**
     * The reusable PLACE builder of one publisher: owner thread only, one PLACE at
     * a time. Lines past {@link CommandCodec#MAX_ENCODED_LINES} are counted but not
     * stored: such a PLACE is rejected as INVALID by the rules anyway.
     */
    public final class PlaceOrder
    {
        private final long[] skus = new long[CommandCodec.MAX_ENCODED_LINES];
        private final long[] qtys = new long[CommandCodec.MAX_ENCODED_LINES];
        private final long[] prices = new long[CommandCodec.MAX_ENCODED_LINES];
        private long ts;
        private long order;
        private long account;
        private long ttlMs;
        private int lineCount;

        private PlaceOrder start(final long ts, final long order, final long account, final long ttlMs)
        {
            this.ts = ts;
            this.order = order;
            this.account = account;
            this.ttlMs = ttlMs;
            this.lineCount = 0;
            return this;
        }

        /**
         * @param sku   the line's SKU.
         * @param qty   units.
         * @param price price per unit in minor currency units.
         * @return this.
         */
        public PlaceOrder line(final long sku, final long qty, final long price)
        {
            if (lineCount < CommandCodec.MAX_ENCODED_LINES)
            {
                skus[lineCount] = sku;
                qtys[lineCount] = qty;
                prices[lineCount] = price;
            }
            lineCount++;
            return this;
        }

        /** @return sequence or refusal; PLACE is shed under back-pressure, never waits. */
        public long publish()
        {
            return publishPlace(true);
        }

        /** @return sequence or refusal, failing fast. */
        public long tryPublish()
        {
            return publishPlace(false);
        }

        private long publishPlace(final boolean wait)
        {
            beginPublish();
            try
            {
                final long ringSequence = claim(AdmissionClass.NORMAL, wait);
                if (ringSequence < 0)
                {
                    return ringSequence;
                }
                final CommandSlot slot = ring.get(ringSequence);
                final byte[] payload = slot.payload();
                final int length = CommandCodec.encodePlaceHeader(payload, 0, order, account, ttlMs, lineCount);
                final int stored = Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES);
                for (int i = 0; i < stored; i++)
                {
                    CommandCodec.encodePlaceLine(payload, 0, i, skus[i], qtys[i], prices[i]);
                }
                return publishSlot(slot, ringSequence, CommandType.PLACE, ts, length);
            }
            finally
            {
                endPublish();
            }
        }
    }
}
