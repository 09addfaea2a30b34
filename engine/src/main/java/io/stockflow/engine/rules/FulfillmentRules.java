package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;

import java.util.Objects;

/**
 * The order, inventory and fulfillment rules of docs/DOMAIN.md over the state they
 * alone own: SKUs, orders and pending reservation expiries.
 *
 * <p>A plain single-threaded component: no threads, no clock, no randomness, and
 * no iteration whose order depends on hashing (SKUs and orders are visited in the
 * order they were created, which the journal fixes). The same instance type drives
 * live processing and replay, so both reach the same state and the same
 * {@link #stateHash()}.
 *
 * <p>Hot path: {@link #apply} allocates nothing and boxes nothing once its tables
 * have reached their working size (size them up front with
 * {@link #FulfillmentRules(ExpiryListener, int, int)} to avoid even the occasional
 * doubling). A rule violation is a returned {@link Outcome} code, never an
 * exception; an exception from this class means a caller bug or corrupt input
 * (sequence or event time going backwards, a restore that breaks an invariant).
 *
 * <p>Restoring from a snapshot: on a fresh instance call {@link #restoreSku},
 * {@link #restoreOrder} and {@link #restoreCounters} in any order, then
 * {@link #completeRestore()}; only then {@link #apply}.
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
    private static final int EXPECTED_LINES_PER_ORDER = 2;

    private final ExpiryListener expiryListener;
    private final SkuTable skus;
    private final OrderTable orders;
    private final ExpiryQueue expiries;
    private final int[] lineSkuRows = new int[Limits.MAX_LINES];
    private final LinesView linesView = new LinesView();

    private long events;
    private long lastSequence;
    private long eventTime;
    private boolean restoring;
    private boolean live;

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
        if (expectedSkus < 0 || expectedOrders < 0)
        {
            throw new IllegalArgumentException(
                "expectedSkus=" + expectedSkus + " expectedOrders=" + expectedOrders + " must be >= 0");
        }
        skus = new SkuTable(expectedSkus);
        orders = new OrderTable(expectedOrders, linesFor(expectedOrders));
        // Lazy deletion keeps an entry per order placed within a TTL of the newest event time, so size
        // the queue like the orders: capping it made a warm engine grow it on the logic thread.
        expiries = new ExpiryQueue(expectedOrders);
    }

    /**
     * Applies one journaled command: first expires every RESERVED order whose
     * deadline is {@code <= eventTime} (in ascending {@code (deadline, order)},
     * each reported to the {@link ExpiryListener}), then the command itself.
     *
     * @param sequence  the command's journal sequence; greater than the previous one.
     * @param eventTime the command's event time, already clamped by the publisher:
     *                  never before the previous event's.
     * @param command   the command.
     * @return {@link Outcome#ACCEPTED} or the {@link RejectReason#code()}.
     * @throws IllegalArgumentException if the sequence or the event time goes backwards.
     * @throws IllegalStateException    if a restore was started and not completed.
     */
    public int apply(final long sequence, final long eventTime, final CommandView command)
    {
        final CommandType type = command.type();
        if (restoring)
        {
            throw new IllegalStateException("restore started but completeRestore() not called");
        }
        if (sequence <= lastSequence)
        {
            throw new IllegalArgumentException("sequence=" + sequence + " not after lastSequence=" + lastSequence);
        }
        if (events > 0 && eventTime < this.eventTime)
        {
            throw new IllegalArgumentException(
                "eventTime=" + eventTime + " before previous eventTime=" + this.eventTime);
        }
        live = true;
        events++;
        lastSequence = sequence;
        this.eventTime = eventTime;
        expireDue(eventTime);
        switch (type)
        {
            case RESTOCK:
                return restock(command.sku(), command.qty());
            case ADJUST:
                return adjust(command.sku(), command.delta());
            case PLACE:
                return place(command, eventTime);
            case CANCEL:
                return cancel(command.order());
            case SHIP:
                return ship(command.order());
            case DELIVER:
                return deliver(command.order());
            case RETURN:
                return returnOrder(command.order());
            default:
                throw new IllegalStateException("unhandled command type=" + type);
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
        if (expectedOrders < 0)
        {
            throw new IllegalArgumentException("expectedOrders=" + expectedOrders + " must be >= 0");
        }
        orders.reserve(expectedOrders, linesFor(expectedOrders));
        expiries.reserve(expectedOrders);
    }

    /** @return the number of journaled commands applied (restored count included). */
    public long events()
    {
        return events;
    }

    /** @return the sequence of the last applied command, 0 before any. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return the event time of the last applied command, 0 before any. */
    public long eventTime()
    {
        return eventTime;
    }

    /**
     * @return the hash of the SKUs and orders (not the counters), kept current in
     *         O(1) per change; equal for any two instances holding the same state,
     *         however they got there.
     */
    public long stateHash()
    {
        return skus.hash() + orders.hash();
    }

    /** @return the number of SKUs. */
    public int skuCount()
    {
        return skus.count();
    }

    /** @return the number of recorded orders, in any status. */
    public int orderCount()
    {
        return orders.count();
    }

    /** @return the number of order lines recorded, over all orders. */
    public int orderLineCount()
    {
        return orders.lineTotal();
    }

    /** @return entries in the expiry queue, stale ones (orders no longer RESERVED) included. */
    public int pendingExpiryEntries()
    {
        return expiries.size();
    }

    /**
     * @param sku any value.
     * @return true if the SKU exists.
     */
    public boolean hasSku(final long sku)
    {
        return skus.find(sku) >= 0;
    }

    /**
     * @param sku an existing SKU.
     * @return its units on hand.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    public long onHand(final long sku)
    {
        return skus.onHand(skuRow(sku));
    }

    /**
     * @param sku an existing SKU.
     * @return its units reserved.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    public long reserved(final long sku)
    {
        return skus.reserved(skuRow(sku));
    }

    /**
     * @param sku an existing SKU.
     * @return {@code onHand - reserved}.
     * @throws IllegalArgumentException if the SKU does not exist.
     */
    public long available(final long sku)
    {
        final int row = skuRow(sku);
        return skus.onHand(row) - skus.reserved(row);
    }

    /**
     * @param order any value.
     * @return true if an order with this id was recorded, in any status.
     */
    public boolean hasOrder(final long order)
    {
        return orders.find(order) >= 0;
    }

    /**
     * @param order any value.
     * @return the order's status, or {@code null} if it was never recorded.
     */
    public OrderStatus orderStatus(final long order)
    {
        final int row = orders.find(order);
        return row < 0 ? null : OrderStatus.fromCode(orders.statusCode(row));
    }

    /**
     * @param order a recorded order.
     * @return its account.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    public long orderAccount(final long order)
    {
        return orders.account(orderRow(order));
    }

    /**
     * @param order a recorded order.
     * @return its deadline while RESERVED, else 0.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    public long orderDeadline(final long order)
    {
        return orders.deadline(orderRow(order));
    }

    /**
     * @param order a recorded order.
     * @return its lines, as a flyweight valid until the next call into these rules.
     * @throws IllegalArgumentException if the order was never recorded.
     */
    public OrderLines orderLines(final long order)
    {
        return linesView.of(orderRow(order));
    }

    /**
     * Visits every SKU, in the order they were created; allocation-free.
     *
     * @param visitor receives each SKU.
     */
    public void forEachSku(final SkuVisitor visitor)
    {
        for (int row = 0, count = skus.count(); row < count; row++)
        {
            visitor.visitSku(skus.id(row), skus.onHand(row), skus.reserved(row));
        }
    }

    /**
     * Visits every recorded order, in the order they were recorded; allocation-free.
     * The lines handed to the visitor are a flyweight valid only during its call.
     *
     * @param visitor receives each order.
     */
    public void forEachOrder(final OrderVisitor visitor)
    {
        for (int row = 0, count = orders.count(); row < count; row++)
        {
            visitor.visitOrder(
                orders.id(row),
                orders.account(row),
                OrderStatus.fromCode(orders.statusCode(row)),
                orders.deadline(row),
                linesView.of(row));
        }
    }

    /**
     * Restores one SKU from a snapshot.
     *
     * @param sku      a new SKU id, &gt; 0.
     * @param onHand   units on hand.
     * @param reserved units reserved; {@code 0 <= reserved <= onHand <= 10^12}.
     * @throws IllegalArgumentException if a value is out of range or the SKU was already restored.
     * @throws IllegalStateException    if this instance has already applied events or completed a restore.
     */
    public void restoreSku(final long sku, final long onHand, final long reserved)
    {
        beginRestoreStep();
        if (sku <= 0 || reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND)
        {
            throw new IllegalArgumentException(
                "sku=" + sku + " onHand=" + onHand + " reserved=" + reserved + " out of range");
        }
        if (skus.find(sku) >= 0)
        {
            throw new IllegalArgumentException("sku=" + sku + " restored twice");
        }
        skus.add(sku, onHand, reserved);
    }

    /**
     * Restores one order from a snapshot. The arrays are read, not kept, so a caller
     * can reuse them for every order.
     *
     * @param order     a new order id, &gt; 0.
     * @param account   its account, &gt; 0.
     * @param status    its status.
     * @param deadline  its deadline if RESERVED; ignored (stored as 0) otherwise.
     * @param lineCount 1 to {@link Limits#MAX_LINES}.
     * @param skus      the lines' SKUs, distinct, from index 0.
     * @param qtys      the lines' quantities.
     * @param prices    the lines' prices.
     * @throws IllegalArgumentException if a value breaks the PLACE limits or the order was already restored.
     * @throws IllegalStateException    if this instance has already applied events or completed a restore.
     */
    public void restoreOrder(
        final long order,
        final long account,
        final OrderStatus status,
        final long deadline,
        final int lineCount,
        final long[] skus,
        final long[] qtys,
        final long[] prices)
    {
        beginRestoreStep();
        Objects.requireNonNull(status, "status");
        if (order <= 0 || account <= 0 || lineCount < 1 || lineCount > Limits.MAX_LINES)
        {
            throw new IllegalArgumentException(
                "order=" + order + " account=" + account + " lineCount=" + lineCount + " out of range");
        }
        for (int i = 0; i < lineCount; i++)
        {
            if (invalidLine(skus[i], qtys[i], prices[i]) || duplicateSku(skus, i))
            {
                throw new IllegalArgumentException("order=" + order + " line=" + i + " sku=" + skus[i] +
                    " qty=" + qtys[i] + " price=" + prices[i] + " invalid or duplicate");
            }
        }
        if (orders.find(order) >= 0)
        {
            throw new IllegalArgumentException("order=" + order + " restored twice");
        }
        final int firstLine = orders.lineTotal();
        for (int i = 0; i < lineCount; i++)
        {
            orders.appendLine(skus[i], qtys[i], prices[i], LongIntIndex.MISSING);
        }
        orders.add(order, account, status, deadline, firstLine, lineCount);
    }

    /**
     * Restores the counters of a snapshot.
     *
     * @param events       journaled commands applied, &gt;= 0.
     * @param lastSequence the last one's sequence, &gt;= 0.
     * @param eventTime    the last one's event time.
     * @throws IllegalStateException if this instance has already applied events or completed a restore.
     */
    public void restoreCounters(final long events, final long lastSequence, final long eventTime)
    {
        beginRestoreStep();
        if (events < 0 || lastSequence < 0)
        {
            throw new IllegalArgumentException("events=" + events + " lastSequence=" + lastSequence + " must be >= 0");
        }
        this.events = events;
        this.lastSequence = lastSequence;
        this.eventTime = eventTime;
    }

    /**
     * Finishes a restore: links order lines to their SKUs, rebuilds the expiry
     * queue from the RESERVED orders and checks every invariant
     * ({@link #checkInvariants()}). Also valid on a fresh instance with nothing
     * restored.
     *
     * @return the restored state's hash.
     * @throws IllegalStateException if the restored state is inconsistent, or events were already applied.
     */
    public long completeRestore()
    {
        if (live)
        {
            throw new IllegalStateException("completeRestore() on rules already live");
        }
        for (int row = 0, count = orders.count(); row < count; row++)
        {
            final boolean rejected = orders.statusCode(row) == OrderStatus.REJECTED.code();
            final int first = orders.firstLine(row);
            for (int line = first, end = first + orders.lineCount(row); line < end; line++)
            {
                final int skuRow = skus.find(orders.lineSku(line));
                if (skuRow < 0 && !rejected)
                {
                    throw new IllegalStateException("order=" + orders.id(row) + " names unknown sku=" +
                        orders.lineSku(line) + " in status " + OrderStatus.fromCode(orders.statusCode(row)));
                }
                orders.setLineSkuRow(line, skuRow);
            }
        }
        expiries.clear();
        for (int row = 0, count = orders.count(); row < count; row++)
        {
            if (orders.statusCode(row) == RESERVED)
            {
                expiries.add(orders.deadline(row), orders.id(row), row);
            }
        }
        restoring = false;
        checkInvariants();
        live = true;
        return stateHash();
    }

    /**
     * {@link #completeRestore()} and check the result against the snapshot's hash.
     *
     * @param expectedStateHash the hash recorded with the snapshot.
     * @return the restored state's hash.
     * @throws IllegalStateException if the state is inconsistent or its hash differs.
     */
    public long completeRestore(final long expectedStateHash)
    {
        final long hash = completeRestore();
        if (hash != expectedStateHash)
        {
            throw new IllegalStateException(
                "restored stateHash=" + Long.toHexString(hash) + " expected=" + Long.toHexString(expectedStateHash));
        }
        return hash;
    }

    /**
     * Checks the state's invariants in O(SKUs + orders), for tests and {@code verify}:
     * {@code 0 <= reserved <= onHand <= 10^12} for every SKU; each SKU's reserved
     * count equals the sum of its RESERVED orders' line quantities; every RESERVED
     * order's deadline is after the last event time; the incremental state hash
     * equals one recomputed from scratch. Allocates one scratch array.
     *
     * @throws IllegalStateException naming the first violation found.
     */
    public void checkInvariants()
    {
        if (restoring)
        {
            throw new IllegalStateException("restore in progress: call completeRestore()");
        }
        final int skuCount = skus.count();
        for (int row = 0; row < skuCount; row++)
        {
            final long onHand = skus.onHand(row);
            final long reserved = skus.reserved(row);
            if (reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND)
            {
                throw new IllegalStateException(
                    "sku=" + skus.id(row) + " onHand=" + onHand + " reserved=" + reserved
                        + " breaks 0<=reserved<=onHand<=10^12");
            }
        }
        final long[] reservedBySku = new long[skuCount];
        for (int row = 0, count = orders.count(); row < count; row++)
        {
            if (orders.statusCode(row) == RESERVED)
            {
                final long deadline = orders.deadline(row);
                if (events > 0 && deadline <= eventTime && deadline != Long.MAX_VALUE)
                {
                    throw new IllegalStateException("order=" + orders.id(row) + " RESERVED with deadline=" + deadline +
                        " not after eventTime=" + eventTime);
                }
                final int first = orders.firstLine(row);
                for (int line = first, end = first + orders.lineCount(row); line < end; line++)
                {
                    reservedBySku[orders.lineSkuRow(line)] += orders.lineQty(line);
                }
            }
        }
        for (int row = 0; row < skuCount; row++)
        {
            if (reservedBySku[row] != skus.reserved(row))
            {
                throw new IllegalStateException("sku=" + skus.id(row) + " reserved=" + skus.reserved(row) +
                    " but its RESERVED orders hold " + reservedBySku[row]);
            }
        }
        final long recomputed = skus.recomputeHash() + orders.recomputeHash();
        if (recomputed != stateHash())
        {
            throw new IllegalStateException("incremental stateHash=" + Long.toHexString(stateHash()) +
                " recomputed=" + Long.toHexString(recomputed));
        }
    }

    private void expireDue(final long now)
    {
        final ExpiryQueue expiries = this.expiries;
        while (!expiries.isEmpty() && expiries.peekDeadline() <= now)
        {
            final long order = expiries.peekOrder();
            final int row = expiries.peekRow();
            expiries.removeTop();
            if (orders.statusCode(row) == RESERVED)
            {
                releaseReservation(row, false);
                orders.setStatus(row, OrderStatus.EXPIRED);
                expiryListener.onExpired(order);
            }
        }
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
        final int firstLine = orders.lineTotal();
        for (int i = 0; i < lineCount; i++)
        {
            orders.appendLine(command.lineSku(i), command.lineQty(i), command.linePrice(i), lineSkuRows[i]);
        }
        if (outcome != Outcome.ACCEPTED)
        {
            orders.add(order, account, OrderStatus.REJECTED, 0, firstLine, lineCount);
            return outcome;
        }
        for (int i = 0; i < lineCount; i++)
        {
            final int row = lineSkuRows[i];
            skus.set(row, skus.onHand(row), skus.reserved(row) + command.lineQty(i));
        }
        final long deadline = deadline(now, ttlMs == 0 ? Limits.DEFAULT_TTL_MS : ttlMs);
        final int row = orders.add(order, account, OrderStatus.RESERVED, deadline, firstLine, lineCount);
        expiries.add(deadline, order, row);
        return Outcome.ACCEPTED;
    }

    private int cancel(final long order)
    {
        final int row = findOrderIn(order, RESERVED);
        if (row < 0)
        {
            return -row;
        }
        releaseReservation(row, false);
        orders.setStatus(row, OrderStatus.CANCELLED);
        return Outcome.ACCEPTED;
    }

    private int ship(final long order)
    {
        final int row = findOrderIn(order, RESERVED);
        if (row < 0)
        {
            return -row;
        }
        releaseReservation(row, true);
        orders.setStatus(row, OrderStatus.SHIPPED);
        return Outcome.ACCEPTED;
    }

    private int deliver(final long order)
    {
        final int row = findOrderIn(order, SHIPPED);
        if (row < 0)
        {
            return -row;
        }
        orders.setStatus(row, OrderStatus.DELIVERED);
        return Outcome.ACCEPTED;
    }

    private int returnOrder(final long order)
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
        orders.setStatus(row, OrderStatus.RETURNED);
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

    private void beginRestoreStep()
    {
        if (live)
        {
            throw new IllegalStateException("restore on rules already live: events=" + events);
        }
        restoring = true;
    }

    private int skuRow(final long sku)
    {
        final int row = skus.find(sku);
        if (row < 0)
        {
            throw new IllegalArgumentException("unknown sku=" + sku);
        }
        return row;
    }

    private int orderRow(final long order)
    {
        final int row = orders.find(order);
        if (row < 0)
        {
            throw new IllegalArgumentException("unknown order=" + order);
        }
        return row;
    }

    private static int linesFor(final int expectedOrders)
    {
        return (int)Math.min(Integer.MAX_VALUE / 4, (long)expectedOrders * EXPECTED_LINES_PER_ORDER);
    }

    private static boolean invalidLine(final long sku, final long qty, final long price)
    {
        return sku <= 0 || qty < 1 || qty > Limits.MAX_LINE_QTY || price < 0 || price > Limits.MAX_LINE_PRICE;
    }

    private static boolean duplicateSku(final long[] skus, final int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (skus[j] == skus[index])
            {
                return true;
            }
        }
        return false;
    }

    /** {@code now + ttlMs}, saturating at {@link Long#MAX_VALUE} for event times near the end of {@code long}. */
    private static long deadline(final long now, final long ttlMs)
    {
        final long deadline = now + ttlMs;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    /** The reused {@link OrderLines} flyweight over one order's lines in the arena. */
    private final class LinesView implements OrderLines
    {
        private int first;
        private int count;

        LinesView of(final int row)
        {
            first = orders.firstLine(row);
            count = orders.lineCount(row);
            return this;
        }

        @Override
        public int count()
        {
            return count;
        }

        @Override
        public long sku(final int lineIndex)
        {
            return orders.lineSku(line(lineIndex));
        }

        @Override
        public long qty(final int lineIndex)
        {
            return orders.lineQty(line(lineIndex));
        }

        @Override
        public long price(final int lineIndex)
        {
            return orders.linePrice(line(lineIndex));
        }

        private int line(final int lineIndex)
        {
            return first + Objects.checkIndex(lineIndex, count);
        }
    }
}
