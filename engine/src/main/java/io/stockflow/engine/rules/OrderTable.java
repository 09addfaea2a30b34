package io.stockflow.engine.rules;

import io.stockflow.engine.columns.ByteColumn;
import io.stockflow.engine.columns.IntColumn;
import io.stockflow.engine.columns.LongColumn;

import java.util.Arrays;

/**
 * Order state as parallel primitive columns indexed by a row number, with a
 * {@link LongIntIndex} from order id to row, and every order's lines in one arena
 * sized to the lines actually placed (most orders have one to three lines, so a
 * fixed eight-line record would waste most of its space).
 *
 * <p>Per order: id, account, deadline, changedAt (8 bytes each), status (1), first
 * line (4), line count (1). Per line: SKU, quantity, price (8 each) and the SKU's row
 * (4), so releasing or shipping a reservation needs no SKU lookup. Maintains its share
 * of the state hash ({@link StateHashing}). Single-threaded.
 *
 * <p>Forgetting an order ({@link #remove}) frees its row, its index slot and its lines
 * for reuse, so the table follows the orders held, not the orders ever placed: freed
 * rows form a free list threaded through {@code lineStarts}, and freed line blocks one
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
    private static final int LINE_STRIDE = 3;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_LINE_CAPACITY = (Integer.MAX_VALUE - 8) / LINE_STRIDE;
    private static final int MAX_ORDER_CAPACITY = Integer.MAX_VALUE - 8;
    private static final int NONE = -1;
    /** Index slots a bulk load fills at a time: 128 KiB of the index, held in the cache meanwhile. */
    private static final int INDEX_BUCKET_SLOTS = 1 << 13;

    private final LongIntIndex index;
    private final LongColumn ids;
    private final LongColumn accounts;
    private final LongColumn deadlines;
    private final LongColumn changedAts;
    private final ByteColumn statuses;
    private final IntColumn lineStarts;
    private final ByteColumn lineCounts;
    private int rowsUsed;
    private int count;
    private int freeRow = NONE;

    private final LongColumn lines;
    private final IntColumn lineSkuRows;
    private int lineTotal;
    /** Lines both line columns hold (their pages round up differently). */
    private int lineCapacity;
    private int heldLines;
    private final int[] freeLineBlock = new int[Limits.MAX_LINES + 1];

    private long hash;
    /** True while a restore adds rows without indexing them ({@link #deferIndexing}). */
    private boolean indexDeferred;
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
        ids = new LongColumn(capacity);
        accounts = new LongColumn(capacity);
        deadlines = new LongColumn(capacity);
        changedAts = new LongColumn(capacity);
        statuses = new ByteColumn(capacity);
        lineStarts = new IntColumn(capacity);
        lineCounts = new ByteColumn(capacity);
        lines = new LongColumn(0);
        lineSkuRows = new IntColumn(0);
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
        return ids.get(row) != 0;
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
        return index.touch(ids.get(row));
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
        final long id = ids.get(row);
        if (id == 0)
        {
            // A freed row (a stale queue entry's): its lineStarts links the free list, no line.
            return 0;
        }
        final int first = lineStarts.get(row);
        return id + accounts.get(row) + deadlines.get(row) + changedAts.get(row) + statuses.get(row) +
            lineCounts.get(row) + lines.get(first * LINE_STRIDE) + lineSkuRows.get(first);
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
            freeLineBlock[lineCount] = (int)lines.get(reused * LINE_STRIDE);
            return reused;
        }
        if (lineTotal + lineCount > lineCapacity)
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
        final int at = line * LINE_STRIDE;
        lines.set(at, sku);
        lines.set(at + 1, qty);
        lines.set(at + 2, price);
        lineSkuRows.set(line, skuRow);
    }

    /**
     * Records an order whose {@code lineCount} lines were just filled from
     * {@code firstLine}; the id must not be held. While indexing is
     * {@link #deferIndexing deferred}, the row stays out of the index.
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
            freeRow = lineStarts.get(row);
        }
        else
        {
            if (rowsUsed == ids.capacity())
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
        ids.set(row, order);
        accounts.set(row, account);
        deadlines.set(row, status == OrderStatus.RESERVED ? deadline : 0);
        changedAts.set(row, changedAt);
        statuses.set(row, (byte)status.code());
        lineStarts.set(row, firstLine);
        lineCounts.set(row, (byte)lineCount);
        count++;
        heldLines += lineCount;
        hash += identityHash(row) + statusHash(row);
        return row;
    }

    /**
     * Leaves the rows {@link #add added} from now on out of the index until {@link #indexRows}: a
     * restore adds orders in row order, whose index slots are scattered over the whole index, one
     * cache miss each. Until then {@link #find} does not find them. For an empty table only.
     */
    void deferIndexing()
    {
        if (count != 0)
        {
            throw new IllegalStateException("indexing deferred in a table holding " + count + " orders");
        }
        indexDeferred = true;
    }

    /**
     * Ends a {@link #deferIndexing deferral}: indexes every held row in the order of their index
     * slots, a bucket of {@value #INDEX_BUCKET_SLOTS} slots at a time, so that the inserts walk the
     * index once instead of missing the cache at each one (they were a sixth of a snapshot load).
     * Allocates three arrays of the held count, once.
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
            final long id = ids.get(row);
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
            final long id = ids.get(row);
            if (id != 0)
            {
                final int at = bucketStart[homes[n++] >>> bucketBits]++;
                idsBySlot[at] = id;
                rowsBySlot[at] = row;
            }
        }
        for (int i = 0; i < held; i++)
        {
            if (index.get(idsBySlot[i]) != LongIntIndex.MISSING)
            {
                return idsBySlot[i];
            }
            index.putNew(idsBySlot[i], rowsBySlot[i]);
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
        index.remove(ids.get(row));
        final int first = lineStarts.get(row);
        final int lineCount = lineCounts.get(row);
        lines.set(first * LINE_STRIDE, freeLineBlock[lineCount]);
        freeLineBlock[lineCount] = first;
        heldLines -= lineCount;
        ids.set(row, 0);
        accounts.set(row, 0);
        deadlines.set(row, 0);
        changedAts.set(row, 0);
        statuses.set(row, (byte)0);
        lineCounts.set(row, (byte)0);
        lineStarts.set(row, freeRow);
        freeRow = row;
        count--;
    }

    long id(final int row)
    {
        return ids.get(row);
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
        visitor.visitOrder(ids.get(row), accounts.get(row), OrderStatus.fromCode(statuses.get(row)),
            deadlines.get(row), changedAts.get(row), lines.of(row));
    }

    long account(final int row)
    {
        return accounts.get(row);
    }

    /** @return the deadline while RESERVED, else 0. */
    long deadline(final int row)
    {
        return deadlines.get(row);
    }

    /** @return the event time of the order's last status change. */
    long changedAt(final int row)
    {
        return changedAts.get(row);
    }

    /** @return the {@link OrderStatus#code()}. */
    int statusCode(final int row)
    {
        return statuses.get(row);
    }

    /** Moves an order to a status other than RESERVED at event time {@code changedAt}, keeping the hash current. */
    void setStatus(final int row, final OrderStatus status, final long changedAt)
    {
        if (capture != null)
        {
            capture.beforeOrderWrite(row);
        }
        final long before = statusHash(row);
        statuses.set(row, (byte)status.code());
        deadlines.set(row, 0);
        changedAts.set(row, changedAt);
        hash += statusHash(row) - before;
    }

    int firstLine(final int row)
    {
        return lineStarts.get(row);
    }

    int lineCount(final int row)
    {
        return lineCounts.get(row);
    }

    long lineSku(final int line)
    {
        return lines.get(line * LINE_STRIDE);
    }

    long lineQty(final int line)
    {
        return lines.get(line * LINE_STRIDE + 1);
    }

    long linePrice(final int line)
    {
        return lines.get(line * LINE_STRIDE + 2);
    }

    /** @return the line's SKU row, or {@link LongIntIndex#MISSING} if the SKU did not exist when recorded. */
    int lineSkuRow(final int line)
    {
        return lineSkuRows.get(line);
    }

    void setLineSkuRow(final int line, final int skuRow)
    {
        lineSkuRows.set(line, skuRow);
    }

    /** @return the hash recomputed from every held row, to check the incremental one. */
    long recomputeHash()
    {
        long sum = 0;
        for (int row = 0; row < rowsUsed; row++)
        {
            if (ids.get(row) != 0)
            {
                sum += identityHash(row) + statusHash(row);
            }
        }
        return sum;
    }

    private long identityHash(final int row)
    {
        final int first = lineStarts.get(row);
        final int lineCount = lineCounts.get(row);
        final int end = first + lineCount;
        long fact = StateHashing.orderIdentityStart(ids.get(row), accounts.get(row), lineCount);
        for (int line = first; line < end; line++)
        {
            final int at = line * LINE_STRIDE;
            fact = StateHashing.orderLine(fact, lines.get(at), lines.get(at + 1), lines.get(at + 2));
        }
        return fact;
    }

    private long statusHash(final int row)
    {
        return StateHashing.orderStatus(ids.get(row), statuses.get(row), deadlines.get(row), changedAts.get(row));
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
        ids.ensureCapacity(capacity);
        accounts.ensureCapacity(capacity);
        deadlines.ensureCapacity(capacity);
        changedAts.ensureCapacity(capacity);
        statuses.ensureCapacity(capacity);
        lineStarts.ensureCapacity(capacity);
        lineCounts.ensureCapacity(capacity);
    }

    private void ensureLines(final int capacity)
    {
        lines.ensureCapacity(capacity * LINE_STRIDE);
        lineSkuRows.ensureCapacity(capacity);
        lineCapacity = Math.min(lineSkuRows.capacity(), lines.capacity() / LINE_STRIDE);
    }
}
