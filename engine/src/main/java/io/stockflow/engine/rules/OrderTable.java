package io.stockflow.engine.rules;

import io.stockflow.engine.columns.LongRows;

import java.util.Arrays;

/**
 * Order state as rows of five {@code long}s indexed by a row number ({@link LongRows}),
 * with a {@link LongIntIndex} from order id to row, and every order's lines in one arena
 * sized to the lines actually placed (most orders have one to three lines, so a
 * fixed eight-line record would waste most of its space).
 *
 * <p>Per order, side by side in one row of 40 bytes: id, account, deadline, changedAt,
 * and one field packing the status (bits 0 to 7), the line count (8 to 15) and the first
 * line (32 to 63). A command that reaches an order reads most of these, and stored as a
 * column each they were as many cache misses; in a row they span one or two cache lines.
 * Per line, in a row of four {@code long}s: SKU, quantity, price and the SKU's row, so
 * releasing or shipping a reservation needs no SKU lookup. Maintains its share
 * of the state hash ({@link StateHashing}). Single-threaded.
 *
 * <p>Forgetting an order ({@link #remove}) frees its row, its index slot and its lines
 * for reuse, so the table follows the orders held, not the orders ever placed: freed
 * rows form a free list threaded through their first-line bits, and freed line blocks one
 * free list per line count (1 to 8) threaded through the block's first SKU slot, so a
 * new order takes a block of exactly its size and the arena never fragments. A freed
 * row has id 0 (ids are positive), which is how visits skip it and how a stale queue
 * entry ({@link ExpiryQueue}, {@link RetentionQueue}) sees that its order is gone.
 *
 * <p>The columns and the line arena are paged ({@link io.stockflow.engine.columns.Columns})
 * and the index drains into a larger one a few entries at a time, so a table that grows
 * past its expected size never stops the logic stage to copy itself.
 */
final class OrderTable
{
    // The fields of an order's row.
    private static final int ID = 0;
    private static final int ACCOUNT = 1;
    private static final int DEADLINE = 2;
    private static final int CHANGED_AT = 3;
    /** Status (bits 0 to 7), line count (8 to 15), first line or the free list's next row (32 to 63). */
    private static final int SHAPE = 4;
    private static final int ROW_FIELDS = 5;
    private static final long STATUS_MASK = 0xFFL;
    // The fields of a line's row.
    private static final int LINE_SKU = 0;
    private static final int LINE_QTY = 1;
    private static final int LINE_PRICE = 2;
    private static final int LINE_SKU_ROW = 3;
    private static final int LINE_FIELDS = 4;

    private static final int MIN_CAPACITY = 16;
    private static final int MAX_LINE_CAPACITY = LongRows.MAX_CAPACITY;
    private static final int MAX_ORDER_CAPACITY = LongRows.MAX_CAPACITY;
    private static final int NONE = -1;
    /** Index slots a bulk load fills at a time: 128 KiB of the index, held in the cache meanwhile. */
    private static final int INDEX_BUCKET_SLOTS = 1 << 13;

    private final LongIntIndex index;
    private final LongRows orderRows;
    private int rowsUsed;
    private int count;
    private int freeRow = NONE;

    private final LongRows lineRows;
    private int lineTotal;
    private int heldLines;
    private final int[] freeLineBlock = new int[Limits.MAX_LINES + 1];

    private long hash;
    /** True while a restore adds rows without indexing them ({@link #deferIndexingAndHashing}). */
    private boolean indexDeferred;
    /** True while a restore adds rows without hashing them ({@link #deferIndexingAndHashing}). */
    private boolean hashDeferred;
    /** The live snapshot capture hooked into this table, or null (the shadow state's, replay's and restore's). */
    RowCapture capture;

    /**
     * @param expectedOrders orders to hold without growing.
     * @param expectedLines  lines to hold without growing.
     */
    OrderTable(final int expectedOrders, final int expectedLines)
    {
        final int capacity = Math.max(MIN_CAPACITY, expectedOrders);
        index = new LongIntIndex(expectedOrders);
        orderRows = new LongRows(ROW_FIELDS, capacity);
        lineRows = new LongRows(LINE_FIELDS, 0);
        ensureLines(Math.max(MIN_CAPACITY, expectedLines));
        Arrays.fill(freeLineBlock, NONE);
    }

    /**
     * Grows every column, if needed, so that this many orders and lines fit without
     * growing again.
     *
     * @param expectedOrders orders to hold.
     * @param expectedLines  lines to hold.
     */
    void reserve(final int expectedOrders, final int expectedLines)
    {
        index.reserve(expectedOrders);
        ensureRows(Math.min(MAX_ORDER_CAPACITY, expectedOrders));
        ensureLines(Math.min(MAX_LINE_CAPACITY, expectedLines));
    }

    /** @return the orders held. */
    int count()
    {
        return count;
    }

    /** @return the rows in use or freed so far: every held order's row is below this. */
    int rowLimit()
    {
        return rowsUsed;
    }

    /** @return true if the row holds an order (false for a freed row). */
    boolean isHeld(final int row)
    {
        return id(row) != 0;
    }

    /** @return the lines of the orders held. */
    int heldLines()
    {
        return heldLines;
    }

    long hash()
    {
        return hash;
    }

    /**
     * @param order any value.
     * @return the order's row, or {@link LongIntIndex#MISSING}.
     */
    int find(final long order)
    {
        return index.get(order);
    }

    /**
     * Reads the index slot where a lookup of {@code order} begins, changing nothing (the
     * first pass of {@link FulfillmentRules#prefetchOrders}).
     *
     * @param order any value.
     * @return a value read (only to keep the reads).
     */
    long touchIndex(final long order)
    {
        return index.touch(order);
    }

    /**
     * Finds the order and reads what a status change or a forgetting of it reads first
     * (its columns and its first line), changing nothing (the second pass of
     * {@link FulfillmentRules#prefetchOrders}).
     *
     * @param order any value.
     * @return a value read (only to keep the reads).
     */
    long touchOrder(final long order)
    {
        return touchRow(index.get(order));
    }

    /**
     * Reads the index slot where a lookup of the order in this row begins, changing nothing:
     * for rows whose orders are about to be forgotten (removed from the index).
     *
     * @param row any value; rows outside the table are ignored, a freed row reads nothing.
     * @return a value read (only to keep the reads).
     */
    long touchIndexOfRow(final int row)
    {
        if (row < 0 || row >= rowsUsed)
        {
            return 0;
        }
        return index.touch(id(row));
    }

    /**
     * Reads what a status change or a forgetting of the order in this row reads first (its
     * columns and its first line), changing nothing: for rows a queue is about to pop.
     *
     * @param row any value; rows outside the table and freed rows are ignored.
     * @return a value read (only to keep the reads).
     */
    long touchRow(final int row)
    {
        if (row < 0 || row >= rowsUsed)
        {
            return 0;
        }
        final long id = id(row);
        if (id == 0)
        {
            // A freed row (a stale queue entry's): its first-line bits link the free list, no line.
            return 0;
        }
        // The row's first and last fields (the id, read above, and the shape) bring in every cache line
        // the row spans, so its other fields need no read of their own.
        final long shape = orderRows.get(row, SHAPE);
        final int first = firstLineOf(shape);
        return id + shape + lineRows.get(first, LINE_SKU) + lineRows.get(first, LINE_SKU_ROW);
    }

    /**
     * Takes a block of {@code lineCount} lines for the order about to be {@link #add added}:
     * a freed block of that size if there is one, else the end of the arena. Fill it with
     * {@link #setLine}.
     *
     * @param lineCount 1 to {@link Limits#MAX_LINES}.
     * @return the block's first line.
     */
    int takeLines(final int lineCount)
    {
        final int reused = freeLineBlock[lineCount];
        if (reused != NONE)
        {
            freeLineBlock[lineCount] = (int)lineRows.get(reused, LINE_SKU);
            return reused;
        }
        if (lineTotal + lineCount > lineRows.capacity())
        {
            if ((long)lineTotal + lineCount > MAX_LINE_CAPACITY)
            {
                throw new IllegalStateException("order line arena full: lines=" + lineTotal);
            }
            ensureLines(lineTotal + lineCount);
        }
        final int first = lineTotal;
        lineTotal += lineCount;
        return first;
    }

    /** Fills one line of a block from {@link #takeLines}. */
    void setLine(final int line, final long sku, final long qty, final long price, final int skuRow)
    {
        lineRows.set(line, LINE_SKU, sku);
        lineRows.set(line, LINE_QTY, qty);
        lineRows.set(line, LINE_PRICE, price);
        lineRows.set(line, LINE_SKU_ROW, skuRow);
    }

    /**
     * Records an order whose {@code lineCount} lines were just filled from
     * {@code firstLine}; the id must not be held. While indexing and hashing are
     * {@link #deferIndexingAndHashing deferred}, the row stays out of the index and the hash.
     *
     * @param changedAt the event time of its PLACE.
     * @return its row.
     */
    int add(
        final long order,
        final long account,
        final OrderStatus status,
        final long deadline,
        final long changedAt,
        final int firstLine,
        final int lineCount)
    {
        final int row;
        if (freeRow != NONE)
        {
            row = freeRow;
            freeRow = firstLineOf(orderRows.get(row, SHAPE));
        }
        else
        {
            if (rowsUsed == orderRows.capacity())
            {
                grow();
            }
            row = rowsUsed++;
        }
        if (capture != null)
        {
            capture.rowTaken(row);
        }
        if (!indexDeferred)
        {
            index.putNew(order, row);
        }
        orderRows.set(row, ID, order);
        orderRows.set(row, ACCOUNT, account);
        orderRows.set(row, DEADLINE, status == OrderStatus.RESERVED ? deadline : 0);
        orderRows.set(row, CHANGED_AT, changedAt);
        orderRows.set(row, SHAPE, shape(status.code(), lineCount, firstLine));
        count++;
        heldLines += lineCount;
        if (!hashDeferred)
        {
            hash += identityHash(row) + statusHash(row);
        }
        return row;
    }

    /**
     * Leaves the rows {@link #add added} from now on out of the index until {@link #indexRows}, and
     * out of the hash until {@link #endHashDeferral}: a restore adds orders in row order, whose index
     * slots are scattered over the whole index, one cache miss each, and sums the hash of every row in
     * one pass at the end ({@link #recomputeHash}), off the decoding of the snapshot. Until then
     * {@link #find} does not find them and {@link #hash} leaves them out. For an empty table only.
     */
    void deferIndexingAndHashing()
    {
        if (count != 0)
        {
            throw new IllegalStateException("indexing deferred in a table holding " + count + " orders");
        }
        indexDeferred = true;
        hashDeferred = true;
    }

    /** Ends the hash's {@link #deferIndexingAndHashing deferral}: sums every held row's share in one pass. */
    void endHashDeferral()
    {
        if (!hashDeferred)
        {
            throw new IllegalStateException("the hash is not deferred");
        }
        hashDeferred = false;
        hash = recomputeHash();
    }

    /**
     * Ends the index's {@link #deferIndexingAndHashing deferral}: indexes every held row in the order
     * of their index slots, a bucket of {@value #INDEX_BUCKET_SLOTS} slots at a time, so that the
     * inserts walk the index once instead of missing the cache at each one (they were a sixth of a
     * snapshot load). Allocates three arrays of the held count, once.
     *
     * @return an id held twice, or 0 when every id is held once (the table is then fully indexed).
     */
    long indexRows()
    {
        indexDeferred = false;
        final int held = count;
        final int bucketBits = Integer.numberOfTrailingZeros(INDEX_BUCKET_SLOTS);
        final int[] bucketStart = new int[(index.slots() >>> bucketBits) + 2];
        final int[] homes = new int[held];
        int n = 0;
        for (int row = 0; row < rowsUsed; row++)
        {
            final long id = id(row);
            if (id != 0)
            {
                final int home = index.homeSlot(id);
                homes[n++] = home;
                bucketStart[(home >>> bucketBits) + 1]++;
            }
        }
        for (int bucket = 1; bucket < bucketStart.length; bucket++)
        {
            bucketStart[bucket] += bucketStart[bucket - 1];
        }
        // The ids travel with their rows, so the inserts read them in sequence instead of from the column.
        final long[] idsBySlot = new long[held];
        final int[] rowsBySlot = new int[held];
        n = 0;
        for (int row = 0; row < rowsUsed; row++)
        {
            final long id = id(row);
            if (id != 0)
            {
                final int at = bucketStart[homes[n++] >>> bucketBits]++;
                idsBySlot[at] = id;
                rowsBySlot[at] = row;
            }
        }
        for (int i = 0; i < held; i++)
        {
            if (!index.putIfAbsent(idsBySlot[i], rowsBySlot[i]))
            {
                return idsBySlot[i];
            }
        }
        return 0;
    }

    /**
     * Forgets the order in a held row: takes its facts out of the hash, removes its id
     * from the index and frees its row and its lines for reuse.
     *
     * @param row a held row.
     */
    void remove(final int row)
    {
        if (capture != null)
        {
            capture.beforeOrderWrite(row);
        }
        hash -= identityHash(row) + statusHash(row);
        index.remove(id(row));
        final int first = firstLine(row);
        final int lineCount = lineCount(row);
        lineRows.set(first, LINE_SKU, freeLineBlock[lineCount]);
        freeLineBlock[lineCount] = first;
        heldLines -= lineCount;
        orderRows.set(row, ID, 0);
        orderRows.set(row, ACCOUNT, 0);
        orderRows.set(row, DEADLINE, 0);
        orderRows.set(row, CHANGED_AT, 0);
        orderRows.set(row, SHAPE, shape(0, 0, freeRow));
        freeRow = row;
        count--;
    }

    long id(final int row)
    {
        return orderRows.get(row, ID);
    }

    /**
     * Hands a held row's order to a visitor.
     *
     * @param row     a held row.
     * @param visitor receives it.
     * @param lines   the caller's flyweight over this table, pointed at the row's lines.
     */
    void visit(final int row, final OrderVisitor visitor, final OrderLinesFlyweight lines)
    {
        visitor.visitOrder(id(row), account(row), OrderStatus.fromCode(statusCode(row)), deadline(row),
            changedAt(row), lines.of(row));
    }

    long account(final int row)
    {
        return orderRows.get(row, ACCOUNT);
    }

    /** @return the deadline while RESERVED, else 0. */
    long deadline(final int row)
    {
        return orderRows.get(row, DEADLINE);
    }

    /** @return the event time of the order's last status change. */
    long changedAt(final int row)
    {
        return orderRows.get(row, CHANGED_AT);
    }

    /** @return the {@link OrderStatus#code()}. */
    int statusCode(final int row)
    {
        return (int)(orderRows.get(row, SHAPE) & STATUS_MASK);
    }

    /** Moves an order to a status other than RESERVED at event time {@code changedAt}, keeping the hash current. */
    void setStatus(final int row, final OrderStatus status, final long changedAt)
    {
        if (capture != null)
        {
            capture.beforeOrderWrite(row);
        }
        final long before = statusHash(row);
        orderRows.set(row, SHAPE, orderRows.get(row, SHAPE) & ~STATUS_MASK | status.code());
        orderRows.set(row, DEADLINE, 0);
        orderRows.set(row, CHANGED_AT, changedAt);
        hash += statusHash(row) - before;
    }

    int firstLine(final int row)
    {
        return firstLineOf(orderRows.get(row, SHAPE));
    }

    int lineCount(final int row)
    {
        return (int)(orderRows.get(row, SHAPE) >>> 8 & 0xFF);
    }

    private static long shape(final int statusCode, final int lineCount, final int firstLine)
    {
        return (long)firstLine << 32 | (long)lineCount << 8 | statusCode;
    }

    private static int firstLineOf(final long shape)
    {
        return (int)(shape >>> 32);
    }

    long lineSku(final int line)
    {
        return lineRows.get(line, LINE_SKU);
    }

    long lineQty(final int line)
    {
        return lineRows.get(line, LINE_QTY);
    }

    long linePrice(final int line)
    {
        return lineRows.get(line, LINE_PRICE);
    }

    /** @return the line's SKU row, or {@link LongIntIndex#MISSING} if the SKU did not exist when recorded. */
    int lineSkuRow(final int line)
    {
        return (int)lineRows.get(line, LINE_SKU_ROW);
    }

    void setLineSkuRow(final int line, final int skuRow)
    {
        lineRows.set(line, LINE_SKU_ROW, skuRow);
    }

    /** @return the hash summed from every held row: a restore's ({@link #endHashDeferral}), or a check of the incremental one. */
    long recomputeHash()
    {
        long sum = 0;
        for (int row = 0; row < rowsUsed; row++)
        {
            if (id(row) != 0)
            {
                sum += identityHash(row) + statusHash(row);
            }
        }
        return sum;
    }

    private long identityHash(final int row)
    {
        final int first = firstLine(row);
        final int lineCount = lineCount(row);
        final int end = first + lineCount;
        long fact = StateHashing.orderIdentityStart(id(row), account(row), lineCount);
        for (int line = first; line < end; line++)
        {
            fact = StateHashing.orderLine(fact, lineSku(line), lineQty(line), linePrice(line));
        }
        return fact;
    }

    private long statusHash(final int row)
    {
        return StateHashing.orderStatus(id(row), statusCode(row), deadline(row), changedAt(row));
    }

    private void grow()
    {
        if (rowsUsed >= MAX_ORDER_CAPACITY)
        {
            throw new IllegalStateException("order table full: orders=" + rowsUsed);
        }
        ensureRows(rowsUsed + 1);
    }

    private void ensureRows(final int capacity)
    {
        orderRows.ensureCapacity(capacity);
    }

    private void ensureLines(final int capacity)
    {
        lineRows.ensureCapacity(capacity);
    }
}
