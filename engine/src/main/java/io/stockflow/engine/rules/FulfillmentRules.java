package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;

import java.util.Objects;

/**
 * The order, inventory and fulfillment rules of docs/DOMAIN.md as a deterministic
 * state machine: {@link #apply(long, CommandView)} is its only write, and it owns the
 * sequence and the event-time rule ({@link EventClock}), so every host (the engine's
 * logic stage, a journal replay, a test, a replicated service) computes the same
 * sequence, event time, outcome and state from the same commands. A host supplies
 * only each command's {@code ts}.
 *
 * <p>A plain single-threaded component: no threads, no clock, no randomness, no
 * files, and no iteration whose order depends on hashing (SKUs and orders are visited
 * in the order they were created, which the journal fixes). Reads go through
 * {@link #view()}, which cannot mutate; a snapshot is loaded by a
 * {@link StateRestorer}; the invariants live in {@link StateInvariants}.
 *
 * <p>Hot path: {@link #apply} allocates nothing and boxes nothing once its tables
 * have reached their working size (size them up front with
 * {@link #FulfillmentRules(ExpiryListener, int, int)} to avoid even the occasional
 * doubling). A rule violation is a returned {@link Outcome} code, never an
 * exception; an exception from this class means a caller bug or corrupt input.
 *
 * <p><b>Why it is one class of over 450 lines.</b> It holds the eight commands' rules
 * (restock, adjust, place, cancel, ship, deliver, return, rules) and the two timed
 * transitions (expiry, forgetting) and nothing else: the tables, the expiry queue,
 * the read-only view, the restorer and the invariants are classes of their own. The
 * rules share the order and SKU rows and the reservation arithmetic, and reading them
 * side by side against docs/DOMAIN.md is the point; split across classes, every rule
 * would need the same five collaborators passed in and the order of effects within a
 * command (which the state hash fixes) would be spread over files.
 */
public final class FulfillmentRules
{
    private static final int INVALID = RejectReason.INVALID.code();
    private static final int LIMIT_EXCEEDED = RejectReason.LIMIT_EXCEEDED.code();
    private static final int UNKNOWN_SKU = RejectReason.UNKNOWN_SKU.code();
    private static final int INSUFFICIENT_STOCK = RejectReason.INSUFFICIENT_STOCK.code();
    private static final int DUPLICATE_ORDER = RejectReason.DUPLICATE_ORDER.code();
    private static final int UNKNOWN_ORDER = RejectReason.UNKNOWN_ORDER.code();
    private static final int INVALID_STATE = RejectReason.INVALID_STATE.code();
    private static final int RESERVED = OrderStatus.RESERVED.code();
    private static final int SHIPPED = OrderStatus.SHIPPED.code();
    private static final int DELIVERED = OrderStatus.DELIVERED.code();
    private static final int DEFAULT_EXPECTED_SKUS = 1024;
    private static final int DEFAULT_EXPECTED_ORDERS = 64 * 1024;
    /** Rows of due queue entries read ahead at most, per queue and batch ({@link #prefetchOrders}). */
    private static final int PREFETCH_QUEUE_ROWS = 16;

    private final ExpiryListener expiryListener;
    private final FulfillmentState state;
    private final EventClock clock;
    private final SkuTable skus;
    private final OrderTable orders;
    private final ExpiryQueue expiries;
    private final RetentionQueue settled;
    private final StateView view;
    // What the read ahead read, kept only so the compiler cannot drop the reads; never part of the state.
    private long prefetched;
    private final int[] prefetchRows = new int[PREFETCH_QUEUE_ROWS];
    private final int[] lineSkuRows = new int[Limits.MAX_LINES];

    /**
     * Rules with default initial table sizes, growing as needed.
     *
     * @param expiryListener told of every expiry.
     */
    public FulfillmentRules(final ExpiryListener expiryListener)
    {
        this(expiryListener, DEFAULT_EXPECTED_SKUS, DEFAULT_EXPECTED_ORDERS);
    }

    /**
     * Rules with tables sized for the expected state, so that no table doubles
     * (a pause proportional to its size) before these counts are reached.
     *
     * @param expiryListener told of every expiry.
     * @param expectedSkus   SKUs to hold without growing.
     * @param expectedOrders orders to hold without growing (lines: twice that).
     */
    public FulfillmentRules(final ExpiryListener expiryListener, final int expectedSkus, final int expectedOrders)
    {
        this.expiryListener = Objects.requireNonNull(expiryListener, "expiryListener");
        state = new FulfillmentState(expectedSkus, expectedOrders);
        clock = state.clock;
        skus = state.skus;
        orders = state.orders;
        expiries = state.expiries;
        settled = state.settled;
        view = new FulfillmentStateView(state);
    }

    /**
     * Applies the next command: gives it the next sequence and the event time
     * {@code t = max(ts, previous t)} ({@link EventClock}), then expires every RESERVED
     * order whose deadline is {@code <= t} (in ascending {@code (deadline, order)}, each
     * reported to the {@link ExpiryListener}), then, if {@code retentionMs > 0}, forgets
     * every settled order with {@code changedAt + retentionMs <= t} (docs/DOMAIN.md
     * "Order retention"), then applies the command itself. The
     * sequence and event time advance even if a rule throws, as the journal does.
     *
     * @param ts      the command's time; the event time never goes below the previous one.
     * @param command the command.
     * @return {@link Outcome#ACCEPTED} or the {@link RejectReason#code()}.
     * @throws IllegalStateException if the view wraps no command (nothing changes then).
     */
    public int apply(final long ts, final CommandView command)
    {
        final CommandType type = command.type();
        final long eventTime = clock.next(ts);
        state.events++;
        expireDue(eventTime);
        forgetDue(eventTime);
        switch (type)
        {
            case RESTOCK:
                return restock(command.sku(), command.qty());
            case ADJUST:
                return adjust(command.sku(), command.delta());
            case PLACE:
                return place(command, eventTime);
            case CANCEL:
                return cancel(command.order(), eventTime);
            case SHIP:
                return ship(command.order(), eventTime);
            case DELIVER:
                return deliver(command.order(), eventTime);
            case RETURN:
                return returnOrder(command.order(), eventTime);
            case RULES:
                return rules(command);
            default:
                throw new IllegalStateException("unhandled command type=" + type);
        }
    }

    /**
     * Consumes the next sequence and event time for a command that was journaled but
     * never reached {@link #apply}, because its host recorded a logic error for it first
     * ({@code RECORD_AND_CONTINUE}): the clock advances as {@link #apply} would have
     * advanced it, so the next journaled event is again the next one here; the state
     * and the count of applied events stay as they were, as they did before the rules
     * owned the sequence.
     *
     * @param ts the skipped command's time.
     */
    public void skip(final long ts)
    {
        clock.next(ts);
    }

    /**
     * Sets the rule parameters from a journal's parameters record, which comes before its
     * first command and takes no sequence (docs/DOMAIN.md "Rule parameters"). A journal
     * without one replays under 0, 0, 0, the values fresh rules start with.
     *
     * @param retentionMs   0 or 60000..31536000000.
     * @param orderCapacity 0..268435456.
     * @param skuCapacity   0..16777216.
     * @throws IllegalArgumentException if a value is outside its range.
     * @throws IllegalStateException    if these rules applied or restored anything.
     */
    public void initializeParameters(final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        if (!state.isEmpty())
        {
            throw new IllegalStateException("a parameters record after the first event: events=" + state.events);
        }
        checkParameters(retentionMs, orderCapacity, skuCapacity);
        state.retentionMs = retentionMs;
        state.orderCapacity = orderCapacity;
        state.skuCapacity = skuCapacity;
    }

    static void checkParameters(final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        if (!RuleParameters.validRetention(retentionMs) || !RuleParameters.validOrderCapacity(orderCapacity) ||
            !RuleParameters.validSkuCapacity(skuCapacity))
        {
            throw new IllegalArgumentException("retentionMs=" + retentionMs + " orderCapacity=" + orderCapacity +
                " skuCapacity=" + skuCapacity + " out of range: retentionMs " + RuleParameters.retentionValues() +
                ", orderCapacity " + RuleParameters.orderCapacityValues() + ", skuCapacity " +
                RuleParameters.skuCapacityValues());
        }
    }

    /**
     * Checks an event stamped elsewhere (by a publisher before journaling, or read
     * back from the journal) against what {@link #apply} will compute for it, before
     * applying it with {@code ts = eventTime}: its sequence must be the next one and
     * its event time must not go backwards. Changes nothing.
     *
     * @param sequence  the stamped sequence.
     * @param eventTime the stamped event time.
     * @throws IllegalArgumentException if the stamp differs from the state machine's.
     */
    public void checkNext(final long sequence, final long eventTime)
    {
        if (sequence != clock.nextSequence())
        {
            throw new IllegalArgumentException(
                "sequence=" + sequence + " is not the next sequence " + clock.nextSequence());
        }
        if (eventTime != clock.eventTimeFor(eventTime))
        {
            throw new IllegalArgumentException(
                "eventTime=" + eventTime + " before previous eventTime=" + clock.lastEventTime());
        }
    }

    /**
     * Grows the order tables and the expiry queue, if needed, so that this many orders
     * fit without growing again; never shrinks them. For callers that learn how much
     * state is coming only after building the rules, such as a replay that knows how
     * many events it will apply: growing a large table by doubling allocates and copies
     * several large arrays, each of which can set off a garbage collection cycle.
     *
     * @param expectedOrders orders to hold (lines: twice that).
     * @throws IllegalArgumentException if {@code expectedOrders} is negative.
     */
    public void reserveOrders(final int expectedOrders)
    {
        state.reserveOrders(expectedOrders);
    }

    /**
     * Reads ahead, changing nothing, the memory that applying a batch of commands will touch
     * first: each order's index slot, then its columns and its first line, and the same of
     * the orders that will expire or be forgotten by the batch's last event time. Any id or
     * time, even 0 or a garbage one, is safe; the state and the outcomes are those of
     * {@link #apply} alone.
     *
     * <p><b>Why.</b> An order command touches an old order's index slot, its columns and its
     * lines: cache misses that depend on each other, about 450 ns more for an old order than
     * for one just placed (BENCHMARKS.md). Applied one after another, each command waits out
     * its own chain. A host that holds a batch of commands (a replay reading ahead, a logic
     * stage given a batch by the ring) calls this once for the batch before applying it: the
     * misses of one pass over the batch do not depend on each other, so the processor
     * overlaps them, and the applies find the memory in the cache.
     *
     * @param orders the order ids of the batch's PLACE, CANCEL, SHIP, DELIVER and RETURN
     *               commands ({@link io.stockflow.engine.command.CommandCodec#orderIdHint}),
     *               0 for the others.
     * @param count  how many of {@code orders} to read ahead.
     * @param until  the time of the batch's last command: expiries and forgettings due by
     *               then are read ahead too.
     */
    public void prefetchOrders(final long[] orders, final int count, final long until)
    {
        final OrderTable table = this.orders;
        long read = 0;
        for (int i = 0; i < count; i++)
        {
            read += table.touchIndex(orders[i]);
        }
        for (int i = 0; i < count; i++)
        {
            read += table.touchOrder(orders[i]);
        }
        final int[] rows = prefetchRows;
        final int expiring = expiries.dueRows(until, rows, rows.length);
        for (int i = 0; i < expiring; i++)
        {
            read += table.touchRow(rows[i]);
        }
        final long retentionMs = state.retentionMs;
        if (retentionMs > 0 && until - retentionMs < until)
        {
            final int forgotten = settled.dueRows(until - retentionMs, rows, rows.length);
            for (int i = 0; i < forgotten; i++)
            {
                read += table.touchRow(rows[i]);
            }
            // Forgetting an order also removes it from the index, whose slot for an old order is cold too.
            for (int i = 0; i < forgotten; i++)
            {
                read += table.touchIndexOfRow(rows[i]);
            }
        }
        prefetched += read;
    }

    /**
     * @return the read-only view of this state (always the same instance), for queries,
     *         printing, snapshot capture and hashing; it cannot reach these rules.
     */
    public StateView view()
    {
        return view;
    }

    /** @return the state, for the {@link StateRestorer}. */
    FulfillmentState state()
    {
        return state;
    }

    private void expireDue(final long now)
    {
        final ExpiryQueue expiries = this.expiries;
        while (!expiries.isEmpty() && expiries.peekDeadline() <= now)
        {
            final long deadline = expiries.peekDeadline();
            final long order = expiries.peekOrder();
            final int row = expiries.peekRow();
            expiries.removeTop();
            // The row may have been freed and reused since, even by the same id: only the order this
            // entry was queued for (same id, still RESERVED with this deadline) expires.
            if (orders.id(row) == order && orders.statusCode(row) == RESERVED && orders.deadline(row) == deadline)
            {
                releaseReservation(row, false);
                settle(row, OrderStatus.EXPIRED, now);
                expiryListener.onExpired(order);
            }
        }
    }

    private void forgetDue(final long now)
    {
        final long retentionMs = state.retentionMs;
        if (retentionMs == 0)
        {
            return;
        }
        final RetentionQueue settled = this.settled;
        final long dueAtOrBefore = now - retentionMs;
        while (!settled.isEmpty() && settled.peekChangedAt() <= dueAtOrBefore)
        {
            final long changedAt = settled.peekChangedAt();
            final long order = settled.peekOrder();
            final int row = settled.peekRow();
            settled.removeHead();
            // Stale unless the row still holds this id settled at this time: the order may have changed
            // status since (a later entry stands for it), or been forgotten and its row or id reused.
            if (orders.id(row) == order && orders.changedAt(row) == changedAt && orders.statusCode(row) != RESERVED)
            {
                orders.remove(row);
                state.ordersForgotten++;
            }
        }
    }

    /** Moves an order to a settled status at event time {@code now} and queues it for forgetting. */
    private void settle(final int row, final OrderStatus status, final long now)
    {
        orders.setStatus(row, status, now);
        settled.add(now, orders.id(row), row);
    }

    private int rules(final CommandView command)
    {
        final int given = command.ruleFields();
        final long retentionMs =
            (given & CommandFields.RETENTION_MS_GIVEN) != 0 ? command.retentionMs() : state.retentionMs;
        final long orderCapacity =
            (given & CommandFields.ORDER_CAPACITY_GIVEN) != 0 ? command.orderCapacity() : state.orderCapacity;
        final long skuCapacity =
            (given & CommandFields.SKU_CAPACITY_GIVEN) != 0 ? command.skuCapacity() : state.skuCapacity;
        if (given == 0 || !RuleParameters.validRetention(retentionMs) ||
            !RuleParameters.validOrderCapacity(orderCapacity) || !RuleParameters.validSkuCapacity(skuCapacity))
        {
            return INVALID;
        }
        state.retentionMs = retentionMs;
        state.orderCapacity = orderCapacity;
        state.skuCapacity = skuCapacity;
        return Outcome.ACCEPTED;
    }

    private int restock(final long sku, final long qty)
    {
        if (sku <= 0 || qty < 1 || qty > Limits.MAX_RESTOCK_QTY)
        {
            return INVALID;
        }
        final int row = skus.find(sku);
        if (row < 0)
        {
            if (state.skuCapacity > 0 && skus.count() >= state.skuCapacity)
            {
                state.skuCapacityRefusals++;
                return LIMIT_EXCEEDED;
            }
            skus.add(sku, qty, 0);
            return Outcome.ACCEPTED;
        }
        final long onHand = skus.onHand(row);
        if (onHand + qty > Limits.MAX_ON_HAND)
        {
            return LIMIT_EXCEEDED;
        }
        skus.set(row, onHand + qty, skus.reserved(row));
        return Outcome.ACCEPTED;
    }

    private int adjust(final long sku, final long delta)
    {
        if (sku <= 0 || delta == 0 || delta < -Limits.MAX_ADJUST_DELTA || delta > Limits.MAX_ADJUST_DELTA)
        {
            return INVALID;
        }
        final int row = skus.find(sku);
        if (row < 0)
        {
            return UNKNOWN_SKU;
        }
        final long onHand = skus.onHand(row) + delta;
        final long reserved = skus.reserved(row);
        if (onHand < reserved)
        {
            return INSUFFICIENT_STOCK;
        }
        if (onHand > Limits.MAX_ON_HAND)
        {
            return LIMIT_EXCEEDED;
        }
        skus.set(row, onHand, reserved);
        return Outcome.ACCEPTED;
    }

    private int place(final CommandView command, final long now)
    {
        final long order = command.order();
        final long account = command.account();
        final long ttlMs = command.ttlMs();
        final int lineCount = command.lineCount();
        if (order <= 0 || account <= 0 || ttlMs < 0 || ttlMs > Limits.MAX_TTL_MS ||
            lineCount < 1 || lineCount > Limits.MAX_LINES)
        {
            return INVALID;
        }
        for (int i = 0; i < lineCount; i++)
        {
            if (invalidLine(command.lineSku(i), command.lineQty(i), command.linePrice(i)))
            {
                return INVALID;
            }
            final long sku = command.lineSku(i);
            for (int j = 0; j < i; j++)
            {
                if (command.lineSku(j) == sku)
                {
                    return INVALID;
                }
            }
        }
        if (orders.find(order) >= 0)
        {
            return DUPLICATE_ORDER;
        }
        if (state.orderCapacity > 0 && orders.count() >= state.orderCapacity)
        {
            state.orderCapacityRefusals++;
            return LIMIT_EXCEEDED;
        }
        final int[] lineSkuRows = this.lineSkuRows;
        int outcome = Outcome.ACCEPTED;
        for (int i = 0; i < lineCount; i++)
        {
            lineSkuRows[i] = skus.find(command.lineSku(i));
            if (lineSkuRows[i] < 0)
            {
                outcome = UNKNOWN_SKU;
            }
        }
        if (outcome == Outcome.ACCEPTED)
        {
            for (int i = 0; i < lineCount; i++)
            {
                final int row = lineSkuRows[i];
                if (command.lineQty(i) > skus.onHand(row) - skus.reserved(row))
                {
                    outcome = INSUFFICIENT_STOCK;
                    break;
                }
            }
        }
        final int firstLine = orders.takeLines(lineCount);
        for (int i = 0; i < lineCount; i++)
        {
            orders.setLine(firstLine + i, command.lineSku(i), command.lineQty(i), command.linePrice(i), lineSkuRows[i]);
        }
        if (outcome != Outcome.ACCEPTED)
        {
            final int row = orders.add(order, account, OrderStatus.REJECTED, 0, now, firstLine, lineCount);
            settled.add(now, order, row);
            return outcome;
        }
        for (int i = 0; i < lineCount; i++)
        {
            final int row = lineSkuRows[i];
            skus.set(row, skus.onHand(row), skus.reserved(row) + command.lineQty(i));
        }
        final long deadline = deadline(now, ttlMs == 0 ? Limits.DEFAULT_TTL_MS : ttlMs);
        final int row = orders.add(order, account, OrderStatus.RESERVED, deadline, now, firstLine, lineCount);
        expiries.add(deadline, order, row);
        return Outcome.ACCEPTED;
    }

    private int cancel(final long order, final long now)
    {
        final int row = findOrderIn(order, RESERVED);
        if (row < 0)
        {
            return -row;
        }
        releaseReservation(row, false);
        settle(row, OrderStatus.CANCELLED, now);
        return Outcome.ACCEPTED;
    }

    private int ship(final long order, final long now)
    {
        final int row = findOrderIn(order, RESERVED);
        if (row < 0)
        {
            return -row;
        }
        releaseReservation(row, true);
        settle(row, OrderStatus.SHIPPED, now);
        return Outcome.ACCEPTED;
    }

    private int deliver(final long order, final long now)
    {
        final int row = findOrderIn(order, SHIPPED);
        if (row < 0)
        {
            return -row;
        }
        settle(row, OrderStatus.DELIVERED, now);
        return Outcome.ACCEPTED;
    }

    private int returnOrder(final long order, final long now)
    {
        final int row = findOrderIn(order, DELIVERED);
        if (row < 0)
        {
            return -row;
        }
        final int first = orders.firstLine(row);
        final int end = first + orders.lineCount(row);
        for (int line = first; line < end; line++)
        {
            if (skus.onHand(orders.lineSkuRow(line)) + orders.lineQty(line) > Limits.MAX_ON_HAND)
            {
                return LIMIT_EXCEEDED;
            }
        }
        for (int line = first; line < end; line++)
        {
            final int skuRow = orders.lineSkuRow(line);
            skus.set(skuRow, skus.onHand(skuRow) + orders.lineQty(line), skus.reserved(skuRow));
        }
        settle(row, OrderStatus.RETURNED, now);
        return Outcome.ACCEPTED;
    }

    /**
     * The checks common to CANCEL, SHIP, DELIVER and RETURN, in docs/DOMAIN.md order.
     *
     * @return the order's row, or the negated reject code.
     */
    private int findOrderIn(final long order, final int requiredStatus)
    {
        if (order <= 0)
        {
            return -INVALID;
        }
        final int row = orders.find(order);
        if (row < 0)
        {
            return -UNKNOWN_ORDER;
        }
        if (orders.statusCode(row) != requiredStatus)
        {
            return -INVALID_STATE;
        }
        return row;
    }

    private void releaseReservation(final int row, final boolean takeFromStock)
    {
        final int first = orders.firstLine(row);
        for (int line = first, end = first + orders.lineCount(row); line < end; line++)
        {
            final int skuRow = orders.lineSkuRow(line);
            final long qty = orders.lineQty(line);
            final long onHand = skus.onHand(skuRow);
            skus.set(skuRow, takeFromStock ? onHand - qty : onHand, skus.reserved(skuRow) - qty);
        }
    }

    static boolean invalidLine(final long sku, final long qty, final long price)
    {
        return sku <= 0 || qty < 1 || qty > Limits.MAX_LINE_QTY || price < 0 || price > Limits.MAX_LINE_PRICE;
    }

    /** {@code now + ttlMs}, saturating at {@link Long#MAX_VALUE} for event times near the end of {@code long}. */
    private static long deadline(final long now, final long ttlMs)
    {
        final long deadline = now + ttlMs;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }
}
