package io.stockflow.engine.rules;

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
 */
final class OrderTable
{
    private static final int LINE_STRIDE = 3;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_LINE_CAPACITY = (Integer.MAX_VALUE - 8) / LINE_STRIDE;
    private static final int MAX_ORDER_CAPACITY = Integer.MAX_VALUE - 8;
    private static final int NONE = -1;

    private final LongIntIndex index;
    private long[] ids;
    private long[] accounts;
    private long[] deadlines;
    private long[] changedAts;
    private byte[] statuses;
    private int[] lineStarts;
    private byte[] lineCounts;
    private int rowsUsed;
    private int count;
    private int freeRow = NONE;

    private long[] lines;
    private int[] lineSkuRows;
    private int lineTotal;
    private int heldLines;
    private final int[] freeLineBlock = new int[Limits.MAX_LINES + 1];

    private long hash;

    /**
     * @param expectedOrders orders to hold without growing.
     * @param expectedLines  lines to hold without growing.
     */
    OrderTable(final int expectedOrders, final int expectedLines)
    {
        final int capacity = Math.max(MIN_CAPACITY, expectedOrders);
        final int lineCapacity = Math.max(MIN_CAPACITY, expectedLines);
        index = new LongIntIndex(expectedOrders);
        ids = new long[capacity];
        accounts = new long[capacity];
        deadlines = new long[capacity];
        changedAts = new long[capacity];
        statuses = new byte[capacity];
        lineStarts = new int[capacity];
        lineCounts = new byte[capacity];
        lines = new long[lineCapacity * LINE_STRIDE];
        lineSkuRows = new int[lineCapacity];
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
        final int capacity = Math.min(MAX_ORDER_CAPACITY, expectedOrders);
        if (capacity > ids.length)
        {
            resizeRows(capacity);
        }
        final int lineCapacity = Math.min(MAX_LINE_CAPACITY, expectedLines);
        if (lineCapacity > lineSkuRows.length)
        {
            lines = Arrays.copyOf(lines, lineCapacity * LINE_STRIDE);
            lineSkuRows = Arrays.copyOf(lineSkuRows, lineCapacity);
        }
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
        return ids[row] != 0;
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
            freeLineBlock[lineCount] = (int)lines[reused * LINE_STRIDE];
            return reused;
        }
        if (lineTotal + lineCount > lineSkuRows.length)
        {
            if ((long)lineTotal + lineCount > MAX_LINE_CAPACITY)
            {
                throw new IllegalStateException("order line arena full: lines=" + lineTotal);
            }
            final int capacity =
                (int)Math.min(MAX_LINE_CAPACITY, Math.max((long)lineTotal << 1, lineTotal + lineCount));
            lines = Arrays.copyOf(lines, capacity * LINE_STRIDE);
            lineSkuRows = Arrays.copyOf(lineSkuRows, capacity);
        }
        final int first = lineTotal;
        lineTotal += lineCount;
        return first;
    }

    /** Fills one line of a block from {@link #takeLines}. */
    void setLine(final int line, final long sku, final long qty, final long price, final int skuRow)
    {
        final int at = line * LINE_STRIDE;
        lines[at] = sku;
        lines[at + 1] = qty;
        lines[at + 2] = price;
        lineSkuRows[line] = skuRow;
    }

    /**
     * Records an order whose {@code lineCount} lines were just filled from
     * {@code firstLine}; the id must not be held.
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
            freeRow = lineStarts[row];
        }
        else
        {
            if (rowsUsed == ids.length)
            {
                grow();
            }
            row = rowsUsed++;
        }
        index.putNew(order, row);
        ids[row] = order;
        accounts[row] = account;
        deadlines[row] = status == OrderStatus.RESERVED ? deadline : 0;
        changedAts[row] = changedAt;
        statuses[row] = (byte)status.code();
        lineStarts[row] = firstLine;
        lineCounts[row] = (byte)lineCount;
        count++;
        heldLines += lineCount;
        hash += identityHash(row) + statusHash(row);
        return row;
    }

    /**
     * Forgets the order in a held row: takes its facts out of the hash, removes its id
     * from the index and frees its row and its lines for reuse.
     *
     * @param row a held row.
     */
    void remove(final int row)
    {
        hash -= identityHash(row) + statusHash(row);
        index.remove(ids[row]);
        final int first = lineStarts[row];
        final int lineCount = lineCounts[row];
        lines[first * LINE_STRIDE] = freeLineBlock[lineCount];
        freeLineBlock[lineCount] = first;
        heldLines -= lineCount;
        ids[row] = 0;
        accounts[row] = 0;
        deadlines[row] = 0;
        changedAts[row] = 0;
        statuses[row] = 0;
        lineCounts[row] = 0;
        lineStarts[row] = freeRow;
        freeRow = row;
        count--;
    }

    long id(final int row)
    {
        return ids[row];
    }

    long account(final int row)
    {
        return accounts[row];
    }

    /** @return the deadline while RESERVED, else 0. */
    long deadline(final int row)
    {
        return deadlines[row];
    }

    /** @return the event time of the order's last status change. */
    long changedAt(final int row)
    {
        return changedAts[row];
    }

    /** @return the {@link OrderStatus#code()}. */
    int statusCode(final int row)
    {
        return statuses[row];
    }

    /** Moves an order to a status other than RESERVED at event time {@code changedAt}, keeping the hash current. */
    void setStatus(final int row, final OrderStatus status, final long changedAt)
    {
        final long before = statusHash(row);
        statuses[row] = (byte)status.code();
        deadlines[row] = 0;
        changedAts[row] = changedAt;
        hash += statusHash(row) - before;
    }

    int firstLine(final int row)
    {
        return lineStarts[row];
    }

    int lineCount(final int row)
    {
        return lineCounts[row];
    }

    long lineSku(final int line)
    {
        return lines[line * LINE_STRIDE];
    }

    long lineQty(final int line)
    {
        return lines[line * LINE_STRIDE + 1];
    }

    long linePrice(final int line)
    {
        return lines[line * LINE_STRIDE + 2];
    }

    /** @return the line's SKU row, or {@link LongIntIndex#MISSING} if the SKU did not exist when recorded. */
    int lineSkuRow(final int line)
    {
        return lineSkuRows[line];
    }

    void setLineSkuRow(final int line, final int skuRow)
    {
        lineSkuRows[line] = skuRow;
    }

    /** @return the hash recomputed from every held row, to check the incremental one. */
    long recomputeHash()
    {
        long sum = 0;
        for (int row = 0; row < rowsUsed; row++)
        {
            if (ids[row] != 0)
            {
                sum += identityHash(row) + statusHash(row);
            }
        }
        return sum;
    }

    private long identityHash(final int row)
    {
        final int first = lineStarts[row];
        final int end = first + lineCounts[row];
        long fact = StateHashing.orderIdentityStart(ids[row], accounts[row], lineCounts[row]);
        for (int line = first; line < end; line++)
        {
            final int at = line * LINE_STRIDE;
            fact = StateHashing.orderLine(fact, lines[at], lines[at + 1], lines[at + 2]);
        }
        return fact;
    }

    private long statusHash(final int row)
    {
        return StateHashing.orderStatus(ids[row], statuses[row], deadlines[row], changedAts[row]);
    }

    private void grow()
    {
        if (rowsUsed >= MAX_ORDER_CAPACITY)
        {
            throw new IllegalStateException("order table full: orders=" + rowsUsed);
        }
        resizeRows((int)Math.min(MAX_ORDER_CAPACITY, (long)rowsUsed << 1));
    }

    private void resizeRows(final int capacity)
    {
        ids = Arrays.copyOf(ids, capacity);
        accounts = Arrays.copyOf(accounts, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
        changedAts = Arrays.copyOf(changedAts, capacity);
        statuses = Arrays.copyOf(statuses, capacity);
        lineStarts = Arrays.copyOf(lineStarts, capacity);
        lineCounts = Arrays.copyOf(lineCounts, capacity);
    }
}
