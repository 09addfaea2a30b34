package io.stockflow.engine.rules;

import java.util.Arrays;

/**
 * Copies the rules' rows as they were at one sequence (the capture point) while the rules go on
 * applying events: copy-before-write, on the thread that owns the state.
 *
 * <p>{@link #begin} fixes the rows that exist at the capture point. From then on, the first write to
 * such a row (an order's status change or its forgetting, a SKU's counts) first hands the row as it
 * was to the sinks, and {@link #step} hands over a few more untouched rows at a time, in row order, so
 * the copy is spread over many events instead of holding one of them. When every row of the capture
 * point has been handed over exactly once, the capture is complete: the sinks hold the state of the
 * capture point, whatever the rules did meanwhile.
 *
 * <p>What needs no hook, and why: the lines of a held order change only when it is forgotten, and the
 * forgetting hands the order over first; a new order takes a row that was free at the capture point (or
 * one past it) and lines from free blocks or past the arena's end, so it never overwrites a row or a line
 * still to be copied, and {@link #rowTaken} keeps the cursor from handing it over. The lines' SKU rows are
 * not part of a snapshot. The scalars (sequence, event time, hash, parameters, counts) are read at
 * {@link #begin} by the caller, in O(1).
 *
 * <p>Allocation: the two "already handed over" bit sets grow when the tables have grown past every
 * earlier capture, and are reused otherwise. Single-threaded: owned by the thread that owns the rules.
 */
public final class RowCapture
{
    private final OrderTable orders;
    private final SkuTable skus;
    private final OrderLinesFlyweight lines;

    private boolean active;
    private OrderVisitor orderSink;
    private SkuVisitor skuSink;
    private int orderLimit;
    private int orderCursor;
    private long[] ordersDone = new long[0];
    private int skuLimit;
    private int skuCursor;
    private long[] skusDone = new long[0];

    /**
     * Hooks a capture into the rules' tables; one capture per rules instance.
     *
     * @param rules the rules whose rows are copied.
     */
    public RowCapture(final FulfillmentRules rules)
    {
        final FulfillmentState state = rules.state();
        this.orders = state.orders;
        this.skus = state.skus;
        this.lines = new OrderLinesFlyweight(orders);
        if (orders.capture != null || skus.capture != null)
        {
            throw new IllegalStateException("these rules already have a capture");
        }
        orders.capture = this;
        skus.capture = this;
    }

    /**
     * Sizes the bit sets for this many order rows and SKUs, so that no capture of a state within them
     * allocates (the tables' own presizing, {@code EngineConfig.Builder.expectedState}).
     *
     * @param orderRows order rows.
     * @param skuRows   SKUs.
     */
    public void reserve(final int orderRows, final int skuRows)
    {
        ordersDone = cleared(ordersDone, orderRows);
        skusDone = cleared(skusDone, skuRows);
    }

    /**
     * Starts a capture at the rules' current state. The caller reads the scalars of this same state
     * before the next event.
     *
     * @param orderSink receives each order held at the capture point, exactly once.
     * @param skuSink   receives each SKU of the capture point, exactly once.
     * @throws IllegalStateException if a capture is already active.
     */
    public void begin(final OrderVisitor orderSink, final SkuVisitor skuSink)
    {
        if (active)
        {
            throw new IllegalStateException("a capture is already active");
        }
        this.orderSink = orderSink;
        this.skuSink = skuSink;
        orderLimit = orders.rowLimit();
        orderCursor = 0;
        ordersDone = cleared(ordersDone, orderLimit);
        skuLimit = skus.count();
        skuCursor = 0;
        skusDone = cleared(skusDone, skuLimit);
        active = true;
    }

    /**
     * Hands over up to {@code rows} more rows not yet handed over (a free order row counts as one).
     *
     * @param rows the most rows to look at in this call.
     * @return true once the capture is complete (and no longer active).
     */
    public boolean step(final int rows)
    {
        if (!active)
        {
            return true;
        }
        int budget = rows;
        while (budget > 0 && skuCursor < skuLimit)
        {
            copySku(skuCursor++);
            budget--;
        }
        while (budget > 0 && orderCursor < orderLimit)
        {
            copyOrder(orderCursor++);
            budget--;
        }
        if (skuCursor == skuLimit && orderCursor == orderLimit)
        {
            finish();
            return true;
        }
        return false;
    }

    /** @return true between {@link #begin} and the step that completes it. */
    public boolean active()
    {
        return active;
    }

    /** Called by the order table before it writes a row that holds an order. */
    void beforeOrderWrite(final int row)
    {
        if (row < orderLimit)
        {
            copyOrder(row);
        }
    }

    /** Called by the order table when it gives a row to a new order: free at the capture point, nothing to copy. */
    void rowTaken(final int row)
    {
        if (row < orderLimit)
        {
            markDone(ordersDone, row);
        }
    }

    /** Called by the SKU table before it changes a SKU's counts. */
    void beforeSkuWrite(final int row)
    {
        if (row < skuLimit)
        {
            copySku(row);
        }
    }

    private void copyOrder(final int row)
    {
        if (isDone(ordersDone, row))
        {
            return;
        }
        markDone(ordersDone, row);
        if (orders.isHeld(row))
        {
            orders.visit(row, orderSink, lines);
        }
    }

    private void copySku(final int row)
    {
        if (isDone(skusDone, row))
        {
            return;
        }
        markDone(skusDone, row);
        skuSink.visitSku(skus.id(row), skus.onHand(row), skus.reserved(row));
    }

    private void finish()
    {
        active = false;
        orderSink = null;
        skuSink = null;
        // Past every row, so the hooks, which check the limit first, do nothing until the next begin.
        orderLimit = 0;
        skuLimit = 0;
    }

    private static long[] cleared(final long[] bits, final int rows)
    {
        final int words = (rows + 63) >>> 6;
        if (bits.length < words)
        {
            return new long[Math.max(words, bits.length + (bits.length >>> 1))];
        }
        Arrays.fill(bits, 0, words, 0L);
        return bits;
    }

    private static boolean isDone(final long[] bits, final int row)
    {
        return (bits[row >>> 6] & (1L << row)) != 0;
    }

    private static void markDone(final long[] bits, final int row)
    {
        bits[row >>> 6] |= 1L << row;
    }
}
