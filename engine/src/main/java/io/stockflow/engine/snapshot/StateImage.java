package io.stockflow.engine.snapshot;

import io.stockflow.engine.rules.OrderLines;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.OrderVisitor;
import io.stockflow.engine.rules.SkuVisitor;
import io.stockflow.engine.rules.StateView;

import java.util.Arrays;
import java.util.Objects;

/**
 * A copy of the complete state at one sequence boundary, in flat primitive
 * columns.
 *
 * <p>The logic stage fills it ({@link #capture}) between two events: a few array
 * writes per entity, so the logic stage is held up for milliseconds per million
 * entities rather than for the whole Chronicle Map write, which then runs on the
 * snapshot thread from this copy. Reused from one snapshot to the next.
 */
public final class StateImage implements SkuVisitor, OrderVisitor
{
    long lastSequence;
    long eventTimeMs;
    long events;
    long stateHash;
    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    long ordersForgotten;

    int skuCount;
    long[] skuIds = new long[1024];
    long[] skuOnHand = new long[1024];
    long[] skuReserved = new long[1024];

    int orderCount;
    long[] orderIds = new long[1024];
    long[] orderAccounts = new long[1024];
    byte[] orderStatuses = new byte[1024];
    long[] orderDeadlines = new long[1024];
    long[] orderChangedAts = new long[1024];
    int[] orderLineStarts = new int[1024];
    byte[] orderLineCounts = new byte[1024];

    int lineCount;
    long[] lineSkus = new long[4096];
    long[] lineQtys = new long[4096];
    long[] linePrices = new long[4096];

    /**
     * Copies the rules' whole state. Logic thread only (it owns the state).
     *
     * @param rules the state to copy.
     */
    public void capture(final StateView rules)
    {
        lastSequence = rules.lastSequence();
        eventTimeMs = rules.eventTime();
        events = rules.events();
        stateHash = rules.stateHash();
        retentionMs = rules.retentionMs();
        orderCapacity = rules.orderCapacity();
        skuCapacity = rules.skuCapacity();
        ordersForgotten = rules.ordersForgotten();
        skuCount = 0;
        orderCount = 0;
        lineCount = 0;
        ensureSkus(rules.skuCount());
        ensureOrders(rules.orderCount());
        rules.forEachSku(this);
        rules.forEachOrder(this);
    }

    @Override
    public void visitSku(final long sku, final long onHand, final long reserved)
    {
        ensureSkus(skuCount + 1);
        skuIds[skuCount] = sku;
        skuOnHand[skuCount] = onHand;
        skuReserved[skuCount] = reserved;
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
        ensureOrders(orderCount + 1);
        final int count = lines.count();
        ensureLines(lineCount + count);
        orderIds[orderCount] = order;
        orderAccounts[orderCount] = account;
        orderStatuses[orderCount] = (byte)status.code();
        orderDeadlines[orderCount] = deadline;
        orderChangedAts[orderCount] = changedAt;
        orderLineStarts[orderCount] = lineCount;
        orderLineCounts[orderCount] = (byte)count;
        for (int i = 0; i < count; i++)
        {
            lineSkus[lineCount] = lines.sku(i);
            lineQtys[lineCount] = lines.qty(i);
            linePrices[lineCount] = lines.price(i);
            lineCount++;
        }
        orderCount++;
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
        return orderIds[Objects.checkIndex(index, orderCount)];
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

    private void ensureSkus(final int needed)
    {
        if (needed > skuIds.length)
        {
            final int size = grow(skuIds.length, needed);
            skuIds = Arrays.copyOf(skuIds, size);
            skuOnHand = Arrays.copyOf(skuOnHand, size);
            skuReserved = Arrays.copyOf(skuReserved, size);
        }
    }

    private void ensureOrders(final int needed)
    {
        if (needed > orderIds.length)
        {
            final int size = grow(orderIds.length, needed);
            orderIds = Arrays.copyOf(orderIds, size);
            orderAccounts = Arrays.copyOf(orderAccounts, size);
            orderStatuses = Arrays.copyOf(orderStatuses, size);
            orderDeadlines = Arrays.copyOf(orderDeadlines, size);
            orderChangedAts = Arrays.copyOf(orderChangedAts, size);
            orderLineStarts = Arrays.copyOf(orderLineStarts, size);
            orderLineCounts = Arrays.copyOf(orderLineCounts, size);
        }
    }

    private void ensureLines(final int needed)
    {
        if (needed > lineSkus.length)
        {
            final int size = grow(lineSkus.length, needed);
            lineSkus = Arrays.copyOf(lineSkus, size);
            lineQtys = Arrays.copyOf(lineQtys, size);
            linePrices = Arrays.copyOf(linePrices, size);
        }
    }

    private static int grow(final int current, final int needed)
    {
        return Math.max(needed, current + (current >> 1));
    }
}
