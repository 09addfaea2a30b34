package io.stockflow.engine.rules;

import java.util.Arrays;

/**
 * Order state as parallel primitive columns indexed by a dense row number (the
 * order orders were recorded in), with a {@link LongIntIndex} from order id to
 * row, and every order's lines in one append-only arena sized to the lines
 * actually placed (most orders have one to three lines, so a fixed eight-line
 * record would waste most of its space).
 *
 * <p>Per order: id, account, deadline (8 bytes each), status (1), first line (4),
 * line count (1). Per line: SKU, quantity, price (8 each) and the SKU's row (4),
 * so releasing or shipping a reservation needs no SKU lookup. Orders are never
 * removed: every recorded id stays spent. Maintains its share of the state hash
 * ({@link StateHashing}). Single-threaded.
 */
final class OrderTable
{
    private static final int LINE_STRIDE = 3;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_LINE_CAPACITY = (Integer.MAX_VALUE - 8) / LINE_STRIDE;
    private static final int MAX_ORDER_CAPACITY = Integer.MAX_VALUE - 8;

    private final LongIntIndex index;
    private long[] ids;
    private long[] accounts;
    private long[] deadlines;
    private byte[] statuses;
    private int[] lineStarts;
    private byte[] lineCounts;
    private int count;

    private long[] lines;
    private int[] lineSkuRows;
    private int lineTotal;

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
        statuses = new byte[capacity];
        lineStarts = new int[capacity];
        lineCounts = new byte[capacity];
        lines = new long[lineCapacity * LINE_STRIDE];
        lineSkuRows = new int[lineCapacity];
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
            ids = Arrays.copyOf(ids, capacity);
            accounts = Arrays.copyOf(accounts, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            statuses = Arrays.copyOf(statuses, capacity);
            lineStarts = Arrays.copyOf(lineStarts, capacity);
            lineCounts = Arrays.copyOf(lineCounts, capacity);
        }
        final int lineCapacity = Math.min(MAX_LINE_CAPACITY, expectedLines);
        if (lineCapacity > lineSkuRows.length)
        {
            lines = Arrays.copyOf(lines, lineCapacity * LINE_STRIDE);
            lineSkuRows = Arrays.copyOf(lineSkuRows, lineCapacity);
        }
    }

    int count()
    {
        return count;
    }

    int lineTotal()
    {
        return lineTotal;
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
     * Appends one line of the order about to be {@link #add added}.
     *
     * @return the line's position in the arena.
     */
    int appendLine(final long sku, final long qty, final long price, final int skuRow)
    {
        if (lineTotal == lineSkuRows.length)
        {
            if (lineTotal >= MAX_LINE_CAPACITY)
            {
                throw new IllegalStateException("order line arena full: lines=" + lineTotal);
            }
            final int capacity = (int)Math.min(MAX_LINE_CAPACITY, (long)lineTotal << 1);
            lines = Arrays.copyOf(lines, capacity * LINE_STRIDE);
            lineSkuRows = Arrays.copyOf(lineSkuRows, capacity);
        }
        final int line = lineTotal++;
        final int at = line * LINE_STRIDE;
        lines[at] = sku;
        lines[at + 1] = qty;
        lines[at + 2] = price;
        lineSkuRows[line] = skuRow;
        return line;
    }

    /**
     * Records an order whose {@code lineCount} lines were just appended from
     * {@code firstLine}; the id must not be recorded yet.
     *
     * @return its row.
     */
    int add(
        final long order,
        final long account,
        final OrderStatus status,
        final long deadline,
        final int firstLine,
        final int lineCount)
    {
        if (count == ids.length)
        {
            grow();
        }
        final int row = count;
        index.putNew(order, row);
        ids[row] = order;
        accounts[row] = account;
        deadlines[row] = status == OrderStatus.RESERVED ? deadline : 0;
        statuses[row] = (byte)status.code();
        lineStarts[row] = firstLine;
        lineCounts[row] = (byte)lineCount;
        count++;
        hash += identityHash(row) + statusHash(row);
        return row;
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

    /** @return the {@link OrderStatus#code()}. */
    int statusCode(final int row)
    {
        return statuses[row];
    }

    /** Moves an order to a status other than RESERVED, keeping the hash current. */
    void setStatus(final int row, final OrderStatus status)
    {
        final long before = statusHash(row);
        statuses[row] = (byte)status.code();
        deadlines[row] = 0;
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

    /** @return the hash recomputed from every row, to check the incremental one. */
    long recomputeHash()
    {
        long sum = 0;
        for (int row = 0; row < count; row++)
        {
            sum += identityHash(row) + statusHash(row);
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
        return StateHashing.orderStatus(ids[row], statuses[row], deadlines[row]);
    }

    private void grow()
    {
        if (count >= MAX_ORDER_CAPACITY)
        {
            throw new IllegalStateException("order table full: orders=" + count);
        }
        final int capacity = (int)Math.min(MAX_ORDER_CAPACITY, (long)count << 1);
        ids = Arrays.copyOf(ids, capacity);
        accounts = Arrays.copyOf(accounts, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
        statuses = Arrays.copyOf(statuses, capacity);
        lineStarts = Arrays.copyOf(lineStarts, capacity);
        lineCounts = Arrays.copyOf(lineCounts, capacity);
    }
}
