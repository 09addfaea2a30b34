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
 * <p>The snapshot thread fills it ({@link #capture}) from the state it owns (the shadow
 * state, or the live state once the stages stopped), then writes the snapshot from this
 * copy. Reused from one snapshot to the next.
 *
 * <p>Each column is a list of fixed pages of {@value #PAGE_SIZE} entries (128 KiB for a
 * column of longs), allocated as the state grows and kept. Why not one array per column
 * grown by copying: a grown array of millions of entries is a humongous allocation that
 * the JVM zeroes, page-faulting fresh heap in, in one step no safepoint can interrupt;
 * measured here with {@code -Xlog:safepoint} and {@code perf}, such allocations on the
 * snapshot thread kept every other thread, the logic stage included, waiting 50 to 140 ms
 * for a GC's safepoint. A page is small, so no step of the growth is longer than zeroing
 * 128 KiB.
 */
public final class StateImage implements SkuVisitor, OrderVisitor
{
    private static final int PAGE_BITS = 14;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    long lastSequence;
    long eventTimeMs;
    long events;
    long stateHash;
    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    long ordersForgotten;

    int skuCount;
    private final LongColumn skuIds = new LongColumn();
    private final LongColumn skuOnHand = new LongColumn();
    private final LongColumn skuReserved = new LongColumn();

    int orderCount;
    private final LongColumn orderIds = new LongColumn();
    private final LongColumn orderAccounts = new LongColumn();
    private final ByteColumn orderStatuses = new ByteColumn();
    private final LongColumn orderDeadlines = new LongColumn();
    private final LongColumn orderChangedAts = new LongColumn();
    private final IntColumn orderLineStarts = new IntColumn();
    private final ByteColumn orderLineCounts = new ByteColumn();

    int lineCount;
    private final LongColumn lineSkus = new LongColumn();
    private final LongColumn lineQtys = new LongColumn();
    private final LongColumn linePrices = new LongColumn();

    /**
     * Copies the rules' whole state. Only on the thread that owns that state while it copies.
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
        rules.forEachSku(this);
        rules.forEachOrder(this);
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

    /** The directory of pages grows by doubling; it holds one reference per page, so it stays small. */
    private static int pagesFor(final int pages, final int index)
    {
        final int needed = (index >>> PAGE_BITS) + 1;
        return needed <= pages ? pages : Math.max(needed, pages << 1);
    }

    /** A column of longs in pages of {@value #PAGE_SIZE}. */
    private static final class LongColumn
    {
        private long[][] pages = new long[1][];

        long get(final int index)
        {
            return pages[index >>> PAGE_BITS][index & PAGE_MASK];
        }

        void set(final int index, final long value)
        {
            final int page = index >>> PAGE_BITS;
            if (page >= pages.length)
            {
                pages = Arrays.copyOf(pages, pagesFor(pages.length, index));
            }
            long[] target = pages[page];
            if (target == null)
            {
                target = new long[PAGE_SIZE];
                pages[page] = target;
            }
            target[index & PAGE_MASK] = value;
        }
    }

    /** A column of ints in pages of {@value #PAGE_SIZE}. */
    private static final class IntColumn
    {
        private int[][] pages = new int[1][];

        int get(final int index)
        {
            return pages[index >>> PAGE_BITS][index & PAGE_MASK];
        }

        void set(final int index, final int value)
        {
            final int page = index >>> PAGE_BITS;
            if (page >= pages.length)
            {
                pages = Arrays.copyOf(pages, pagesFor(pages.length, index));
            }
            int[] target = pages[page];
            if (target == null)
            {
                target = new int[PAGE_SIZE];
                pages[page] = target;
            }
            target[index & PAGE_MASK] = value;
        }
    }

    /** A column of bytes in pages of {@value #PAGE_SIZE}. */
    private static final class ByteColumn
    {
        private byte[][] pages = new byte[1][];

        byte get(final int index)
        {
            return pages[index >>> PAGE_BITS][index & PAGE_MASK];
        }

        void set(final int index, final byte value)
        {
            final int page = index >>> PAGE_BITS;
            if (page >= pages.length)
            {
                pages = Arrays.copyOf(pages, pagesFor(pages.length, index));
            }
            byte[] target = pages[page];
            if (target == null)
            {
                target = new byte[PAGE_SIZE];
                pages[page] = target;
            }
            target[index & PAGE_MASK] = value;
        }
    }
}
