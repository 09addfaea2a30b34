package io.stockflow.engine;

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
import io.stockflow.engine.rules.EventClock;
import io.stockflow.engine.rules.RuleParameters;

import java.util.function.LongSupplier;

/**
 * The engine's single writer: typed publish methods, one per command, over one
 * private publish path (guard → admission and claim → encode → stamp → publish).
 *
 * <p><b>Threading.</b> The first thread that publishes owns this publisher
 * ({@link SingleWriterGuard}); a publish from any other thread throws
 * {@link IllegalStateException} before it touches the ring, so a second thread can
 * never corrupt it. Services with several input threads put one ingress thread in
 * front (see README). {@link #nextSequence()} is meaningful on the owner thread only.
 *
 * <p><b>Results.</b> Every method returns the command's journal sequence
 * ({@code > 0}) or a {@link PublishRefusal} ({@code < 0}). A refused command is
 * not journaled and leaves no trace. No method allocates. {@link BackpressureRetry}
 * retries BACKPRESSURE for feeds that must not lose commands.
 *
 * <p><b>Admission</b> follows {@link CommandType#admissionClass()}: NORMAL (PLACE)
 * is shed when the free ring capacity falls below the normal watermark, HIGH
 * (RESTOCK, ADJUST) below the high watermark, CRITICAL (CANCEL, SHIP, DELIVER,
 * RETURN, RULES) never: a blocking publish waits up to the publish timeout for a slot, a
 * {@code try...} publish fails fast.
 *
 * <p><b>Time.</b> {@code ts} is the command's time in epoch ms, or {@link #NOW}
 * to stamp it from the engine clock. The event time journaled is
 * {@code max(ts, previous event time)}, so it never goes backwards. A {@code ts}
 * more than {@link EngineConfig#maxClockAheadMs()} ahead of the engine clock is
 * refused with {@link PublishRefusal#CLOCK_AHEAD} before anything is claimed. A
 * {@code ts} outside 0..253402300799999 (docs/DOMAIN.md "Units and time") is the
 * caller's mistake, as a format error is in the text form: the call throws
 * {@link IllegalArgumentException} and nothing is claimed or journaled.
 *
 * <p><b>Closing.</b> Every publish marks itself in flight before it reads the
 * life-cycle state ({@link InFlightHandshake}), so a sequence once returned is never
 * lost by a clean close. Back-pressure refusals are grouped into episodes
 * ({@link BackpressureEpisodes}, JFR {@link BackpressureEpisodeEvent}).
 */
public final class CommandPublisher
{
    /** Pass as {@code ts} to stamp the command from the engine's clock. */
    public static final long NOW = Long.MIN_VALUE;

    private final RingBuffer<CommandSlot> ring;
    private final CountersFile counters;
    private final LongSupplier clockMs;
    private final boolean counting;
    private final long maxClockAheadMs;
    private final PlaceOrder placeOrder = new PlaceOrder();
    private int rulesGiven;
    private long rulesRetentionMs;
    private long rulesOrderCapacity;
    private long rulesSkuCapacity;
    private final SingleWriterGuard writerGuard = new SingleWriterGuard();
    private final InFlightHandshake inFlight = new InFlightHandshake();
    private final RingAdmission admission;

    /** The sequence and event-time rule, the same class the rules apply; owner thread only. */
    private final EventClock clock = new EventClock();

    CommandPublisher(
        final RingBuffer<CommandSlot> ring,
        final SharedLifecycle lifecycle,
        final CountersFile counters,
        final EngineConfig config,
        final LongSupplier shadowApplied)
    {
        this.ring = ring;
        this.counters = counters;
        this.clockMs = config.clockMs();
        this.counting = config.counters();
        this.maxClockAheadMs = config.maxClockAheadMs();
        this.admission = new RingAdmission(ring, lifecycle, counters, config, shadowApplied);
        counters.set(EngineCounter.RING_CAPACITY, ring.getBufferSize());
        counters.set(EngineCounter.RING_FREE_MIN, ring.getBufferSize());
    }

    void resumeAfter(final long lastSequence, final long lastEventTimeMs)
    {
        clock.resumeAfter(lastSequence, lastEventTimeMs);
    }

    /** @return the sequence the next accepted command will get. */
    public long nextSequence()
    {
        return clock.nextSequence();
    }

    /** RESTOCK, waiting where its class allows. @return sequence or refusal. */
    public long restock(final long ts, final long sku, final long qty)
    {
        return publishCommand(CommandType.RESTOCK, ts, sku, qty, true);
    }

    /** RESTOCK, failing fast. @return sequence or refusal. */
    public long tryRestock(final long ts, final long sku, final long qty)
    {
        return publishCommand(CommandType.RESTOCK, ts, sku, qty, false);
    }

    /** ADJUST (stock-count correction), waiting where its class allows. @return sequence or refusal. */
    public long adjust(final long ts, final long sku, final long delta)
    {
        return publishCommand(CommandType.ADJUST, ts, sku, delta, true);
    }

    /** ADJUST, failing fast. @return sequence or refusal. */
    public long tryAdjust(final long ts, final long sku, final long delta)
    {
        return publishCommand(CommandType.ADJUST, ts, sku, delta, false);
    }

    /** CANCEL, waiting up to the publish timeout. @return sequence or refusal. */
    public long cancel(final long ts, final long order)
    {
        return publishCommand(CommandType.CANCEL, ts, order, 0, true);
    }

    /** CANCEL, failing fast. @return sequence or refusal. */
    public long tryCancel(final long ts, final long order)
    {
        return publishCommand(CommandType.CANCEL, ts, order, 0, false);
    }

    /** SHIP, waiting up to the publish timeout. @return sequence or refusal. */
    public long ship(final long ts, final long order)
    {
        return publishCommand(CommandType.SHIP, ts, order, 0, true);
    }

    /** SHIP, failing fast. @return sequence or refusal. */
    public long tryShip(final long ts, final long order)
    {
        return publishCommand(CommandType.SHIP, ts, order, 0, false);
    }

    /** DELIVER, waiting up to the publish timeout. @return sequence or refusal. */
    public long deliver(final long ts, final long order)
    {
        return publishCommand(CommandType.DELIVER, ts, order, 0, true);
    }

    /** DELIVER, failing fast. @return sequence or refusal. */
    public long tryDeliver(final long ts, final long order)
    {
        return publishCommand(CommandType.DELIVER, ts, order, 0, false);
    }

    /** RETURN, waiting up to the publish timeout. @return sequence or refusal. */
    public long returnOrder(final long ts, final long order)
    {
        return publishCommand(CommandType.RETURN, ts, order, 0, true);
    }

    /** RETURN, failing fast. @return sequence or refusal. */
    public long tryReturnOrder(final long ts, final long order)
    {
        return publishCommand(CommandType.RETURN, ts, order, 0, false);
    }

    /**
     * RULES: changes the given rule parameters from the next command on (docs/DOMAIN.md
     * "Rule parameters"); never shed. Values out of range are journaled and rejected
     * {@code INVALID}.
     *
     * @param ts            command time or {@link #NOW}.
     * @param given         which parameters it gives ({@link CommandFields#RETENTION_MS_GIVEN} and the others).
     * @param retentionMs   the retention, if given.
     * @param orderCapacity the order capacity, if given.
     * @param skuCapacity   the SKU capacity, if given.
     * @return sequence or refusal.
     */
    public long rules(
        final long ts, final int given, final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        writerGuard.check();
        rulesGiven = given;
        rulesRetentionMs = retentionMs;
        rulesOrderCapacity = orderCapacity;
        rulesSkuCapacity = skuCapacity;
        return publishCommand(CommandType.RULES, ts, 0, 0, true);
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
            case RULES:
                return rules(ts, command.ruleFields(), command.retentionMs(), command.orderCapacity(),
                    command.skuCapacity());
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
        writerGuard.check();
        return placeOrder.start(ts, order, account, ttlMs);
    }

    /**
     * The one publish path of every command. {@code first} and {@code second} are the
     * type's fields (RESTOCK: sku, qty; ADJUST: sku, delta; order commands: order);
     * a PLACE's fields are in {@link #placeOrder}.
     */
    private long publishCommand(
        final CommandType type, final long ts, final long first, final long second, final boolean wait)
    {
        writerGuard.check();
        if (ts != NOW && !RuleParameters.validTime(ts))
        {
            throw new IllegalArgumentException(
                "ts=" + ts + " is outside 0.." + RuleParameters.MAX_TIME_MS + " (epoch ms); pass CommandPublisher.NOW "
                    + "to stamp the command from the engine clock");
        }
        if (ts != NOW && maxClockAheadMs > 0 && ts - clockMs.getAsLong() > maxClockAheadMs)
        {
            counters.add(EngineCounter.REFUSED_CLOCK_AHEAD, 1);
            return PublishRefusal.CLOCK_AHEAD;
        }
        inFlight.begin();
        try
        {
            final long ringSequence = admission.claim(type.admissionClass(), wait, clock.nextSequence());
            if (ringSequence < 0)
            {
                return ringSequence;
            }
            final CommandSlot slot = ring.get(ringSequence);
            final int length = encode(type, slot.payload(), first, second);
            final long sequence = clock.nextSequence();
            final long eventTimeMs = clock.next(ts == NOW ? clockMs.getAsLong() : ts);
            SlotWriter.command(slot, sequence, eventTimeMs, type.code(), length, System.nanoTime());
            ring.publish(ringSequence);
            if (counting)
            {
                counters.set(EngineCounter.PUBLISHED, sequence);
            }
            return sequence;
        }
        finally
        {
            inFlight.end();
        }
    }

    private int encode(final CommandType type, final byte[] payload, final long first, final long second)
    {
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(payload, 0, first, second);
            case ADJUST:
                return CommandCodec.encodeAdjust(payload, 0, first, second);
            case PLACE:
                return placeOrder.encode(payload);
            case RULES:
                return CommandCodec.encodeRules(payload, 0, rulesGiven, rulesRetentionMs, rulesOrderCapacity,
                    rulesSkuCapacity);
            default:
                return CommandCodec.encodeOrderCommand(payload, 0, type, first);
        }
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
        writerGuard.check();
        inFlight.begin();
        try
        {
            final long ringSequence = admission.claim(AdmissionClass.CRITICAL, true, clock.nextSequence());
            if (ringSequence >= 0)
            {
                SlotWriter.query(ring.get(ringSequence), task);
                ring.publish(ringSequence);
            }
            return ringSequence;
        }
        finally
        {
            inFlight.end();
        }
    }

    /**
     * Waits until no publish is in flight; see {@link InFlightHandshake#awaitIdle}.
     *
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     * @return true when idle, false when the deadline passed first.
     */
    boolean awaitIdle(final long deadlineNs)
    {
        return inFlight.awaitIdle(deadlineNs);
    }

    /**
     * Ends a back-pressure episode still open when the engine closes. Called by
     * {@code close()} once the publisher is idle.
     */
    void finishBackpressureEpisode()
    {
        admission.finishEpisode();
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

        /** @return sequence or refusal; waits for a slot only once admitted (PLACE is shed first). */
        public long publish()
        {
            return publishCommand(CommandType.PLACE, ts, 0, 0, true);
        }

        /** @return sequence or refusal, failing fast. */
        public long tryPublish()
        {
            return publishCommand(CommandType.PLACE, ts, 0, 0, false);
        }

        private int encode(final byte[] payload)
        {
            final int length = CommandCodec.encodePlaceHeader(payload, 0, order, account, ttlMs, lineCount);
            final int stored = Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES);
            for (int i = 0; i < stored; i++)
            {
                CommandCodec.encodePlaceLine(payload, 0, i, skus[i], qtys[i], prices[i]);
            }
            return length;
        }
    }
}
