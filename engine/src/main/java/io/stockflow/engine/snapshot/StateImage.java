package io.stockflow.engine.snapshot;

import io.stockflow.engine.columns.ByteColumn;
import io.stockflow.engine.columns.IntColumn;
import io.stockflow.engine.columns.LongColumn;
import io.stockflow.engine.rules.OrderLines;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.OrderVisitor;
import io.stockflow.engine.rules.SkuVisitor;
import io.stockflow.engine.rules.StateView;

import java.util.Objects;

/**
 * A copy of the complete state at one sequence boundary, in flat primitive
 * columns.
 *
 * <p>The snapshot thread fills it ({@link #capture}) from the state it owns (the shadow
 * state, or the live state once the stages stopped), then writes the snapshot from this
 * copy. Reused from one snapshot to the next.
 *
 * <p>Its columns are paged ({@link io.stockflow.engine.columns.Columns}): they grow a page
 * at a time as the state grows, and are kept, so a snapshot of a larger state than ever
 * before allocates a few small pages rather than a copy of every column.
 */
public final class StateImage implements SkuVisitor, OrderVisitor
{
    /** Orders copied between two looks at the snapshot thread's slice, minus one. */
    private static final int SLICE_CHECK_MASK = 1023;

    private BackgroundSlice slice = BackgroundSlice.NONE;
    long lastSequence;
    long eventTimeMs;
    long events;
    long stateHash;
    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    long ordersForgotten;
    long orderCapacityRefusals;
    long skuCapacityRefusals;

    int skuCount;
    private final LongColumn skuIds = new LongColumn(0);
    private final LongColumn skuOnHand = new LongColumn(0);
    private final LongColumn skuReserved = new LongColumn(0);

    int orderCount;
    private final LongColumn orderIds = new LongColumn(0);
    private final LongColumn orderAccounts = new LongColumn(0);
    private final ByteColumn orderStatuses = new ByteColumn(0);
    private final LongColumn orderDeadlines = new LongColumn(0);
    private final LongColumn orderChangedAts = new LongColumn(0);
    private final IntColumn orderLineStarts = new IntColumn(0);
    private final ByteColumn orderLineCounts = new ByteColumn(0);

    int lineCount;
    private final LongColumn lineSkus = new LongColumn(0);
    private final LongColumn lineQtys = new LongColumn(0);
    private final LongColumn linePrices = new LongColumn(0);

    /**
     * Copies the rules' whole state. Only on the thread that owns that state while it copies.
     *
     * @param rules the state to copy.
     */
    public void capture(final StateView rules)
    {
        capture(rules, BackgroundSlice.NONE);
    }

    /**
     * Copies the rules' whole state, offering the CPU back through {@code slice} every
     * 1,024 orders. Only on the thread that owns that state while it copies.
     *
     * @param rules the state to copy.
     * @param slice the snapshot thread's slice, or {@link BackgroundSlice#NONE}.
     */
    public void capture(final StateView rules, final BackgroundSlice slice)
    {
        begin(rules);
        this.slice = slice;
        rules.forEachSku(this);
        rules.forEachOrder(this);
    }

    /**
     * Starts an image of the rules' state at its current sequence: takes its scalars and empties the
     * rows, which the visits that follow fill ({@link #capture}, or a {@link io.stockflow.engine.rules.RowCapture}
     * spread over the events after this one). Only on the thread that owns that state.
     *
     * @param rules the state whose image this becomes.
     */
    public void begin(final StateView rules)
    {
        this.slice = BackgroundSlice.NONE;
        lastSequence = rules.lastSequence();
        eventTimeMs = rules.eventTime();
        events = rules.events();
        stateHash = rules.stateHash();
        retentionMs = rules.retentionMs();
        orderCapacity = rules.orderCapacity();
        skuCapacity = rules.skuCapacity();
        ordersForgotten = rules.ordersForgotten();
        orderCapacityRefusals = rules.orderCapacityRefusals();
        skuCapacityRefusals = rules.skuCapacityRefusals();
        skuCount = 0;
        orderCount = 0;
        lineCount = 0;
        // The lines grow as orders are visited.
        reserve(rules.skuCount(), rules.orderCount(), 0);
    }

    /**
     * Grows the columns so that an image of this many SKUs, orders and lines needs no new page, as the
     * live tables are presized ({@code EngineConfig.Builder.expectedState}): an image filled on the logic
     * stage's thread then allocates nothing until the state outgrows that size.
     *
     * @param skus   SKUs.
     * @param orders orders.
     * @param lines  order lines.
     */
    public void reserve(final int skus, final int orders, final int lines)
    {
        skuIds.ensureCapacity(skus);
        skuOnHand.ensureCapacity(skus);
        skuReserved.ensureCapacity(skus);
        orderIds.ensureCapacity(orders);
        orderAccounts.ensureCapacity(orders);
        orderStatuses.ensureCapacity(orders);
        orderDeadlines.ensureCapacity(orders);
        orderChangedAts.ensureCapacity(orders);
        orderLineStarts.ensureCapacity(orders);
        orderLineCounts.ensureCapacity(orders);
        lineSkus.ensureCapacity(lines);
        lineQtys.ensureCapacity(lines);
        linePrices.ensureCapacity(lines);
    }

    @Override
    public void visitSku(final long sku, final long onHand, final long reserved)
    {
        skuIds.set(skuCount, sku);
        skuOnHand.set(skuCount, onHand);
        skuReserved.set(skuCount, reserved);
        skuCount++;
    }

    @Override
    public void visitOrder(
        final long order,
        final long account,
        final OrderStatus status,
        final long deadline,
        final long changedAt,
        final OrderLines lines)
    {
        final int count = lines.count();
        if (lineCount + count > lineSkus.capacity())
        {
            lineSkus.ensureCapacity(lineCount + count);
            lineQtys.ensureCapacity(lineCount + count);
            linePrices.ensureCapacity(lineCount + count);
        }
        orderIds.set(orderCount, order);
        orderAccounts.set(orderCount, account);
        orderStatuses.set(orderCount, (byte)status.code());
        orderDeadlines.set(orderCount, deadline);
        orderChangedAts.set(orderCount, changedAt);
        orderLineStarts.set(orderCount, lineCount);
        orderLineCounts.set(orderCount, (byte)count);
        for (int i = 0; i < count; i++)
        {
            lineSkus.set(lineCount, lines.sku(i));
            lineQtys.set(lineCount, lines.qty(i));
            linePrices.set(lineCount, lines.price(i));
            lineCount++;
        }
        orderCount++;
        if ((orderCount & SLICE_CHECK_MASK) == 0)
        {
            slice.check();
        }
    }

    /** @return the sequence of the last event in this image. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return the state hash at that sequence. */
    public long stateHash()
    {
        return stateHash;
    }

    /** @return SKUs in the image. */
    public int skuCount()
    {
        return skuCount;
    }

    /** @return orders in the image. */
    public int orderCount()
    {
        return orderCount;
    }

    /**
     * The key of the order that {@link SnapshotLayout#encodeOrder} encodes at this index, for a
     * snapshot stream that is not a map keyed by order (the replicated mode's).
     *
     * @param index 0 to {@link #orderCount()} - 1.
     * @return that order's id.
     */
    public long orderId(final int index)
    {
        return orderIds.get(Objects.checkIndex(index, orderCount));
    }

    /** @return the number of journaled commands applied, at {@link #lastSequence()}. */
    public long events()
    {
        return events;
    }

    /** @return the event time of the last event in this image. */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    long skuId(final int index)
    {
        return skuIds.get(index);
    }

    long skuOnHand(final int index)
    {
        return skuOnHand.get(index);
    }

    long skuReserved(final int index)
    {
        return skuReserved.get(index);
    }

    long orderAccount(final int index)
    {
        return orderAccounts.get(index);
    }

    byte orderStatus(final int index)
    {
        return orderStatuses.get(index);
    }

    long orderDeadline(final int index)
    {
        return orderDeadlines.get(index);
    }

    long orderChangedAt(final int index)
    {
        return orderChangedAts.get(index);
    }

    int orderLineStart(final int index)
    {
        return orderLineStarts.get(index);
    }

    int orderLineCount(final int index)
    {
        return orderLineCounts.get(index);
    }

    long lineSku(final int line)
    {
        return lineSkus.get(line);
    }

    long lineQty(final int line)
    {
        return lineQtys.get(line);
    }

    long linePrice(final int line)
    {
        return linePrices.get(line);
    }
}
