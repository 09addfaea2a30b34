package io.stockflow.engine.columns;

import java.util.Arrays;

/**
 * Rows of a fixed number of {@code long} fields, stored row after row in fixed pages of
 * {@link #ROWS_PER_PAGE} rows, grown a page at a time and never copied (see {@link Columns}).
 * Rows below {@link #capacity()} are readable and writable; a new page reads as zeros.
 *
 * <p>Why rows and not one column per field: a command that touches a row it has not touched
 * for a while (a ship, a cancel or an expiry of an order placed long before) reads most of
 * the row's fields, and with a column per field each of them was a cache miss of its own.
 * Stored side by side, the fields of a row of up to eight longs span one or two cache lines.
 * Single-threaded: owned by the thread that owns the state it is part of.
 */
public final class LongRows
{
    /** log2 of {@link #ROWS_PER_PAGE}. */
    public static final int ROW_PAGE_BITS = 12;
    /** Rows per page. */
    public static final int ROWS_PER_PAGE = 1 << ROW_PAGE_BITS;
    /** The most rows: whole pages below {@code 2^31}. */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - (ROWS_PER_PAGE - 1);

    private static final int ROW_MASK = ROWS_PER_PAGE - 1;

    private final int fields;
    private long[][] pages = new long[1][];
    private int capacity;

    /**
     * @param fields   longs per row, 1 to 8.
     * @param capacity rows to hold from the start.
     */
    public LongRows(final int fields, final int capacity)
    {
        if (fields < 1 || fields > 8)
        {
            throw new IllegalArgumentException("fields=" + fields + " must be 1 to 8");
        }
        this.fields = fields;
        ensureCapacity(capacity);
    }

    /** @return the rows held without growing. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Adds pages until {@code rows} fit: one page per {@link #ROWS_PER_PAGE} rows added, and a
     * directory of page references that doubles (small: one reference per page).
     *
     * @param rows rows to hold.
     * @throws IllegalStateException if that is more than {@link #MAX_CAPACITY}.
     */
    public void ensureCapacity(final int rows)
    {
        if (rows > MAX_CAPACITY)
        {
            throw new IllegalStateException("at most " + MAX_CAPACITY + " rows: " + rows);
        }
        while (capacity < rows)
        {
            final int page = capacity >>> ROW_PAGE_BITS;
            if (page == pages.length)
            {
                pages = Arrays.copyOf(pages, pages.length << 1);
            }
            pages[page] = new long[ROWS_PER_PAGE * fields];
            capacity += ROWS_PER_PAGE;
        }
    }

    /**
     * @param row   below {@link #capacity()}.
     * @param field below the row's field count.
     * @return the field's value.
     */
    public long get(final int row, final int field)
    {
        return pages[row >>> ROW_PAGE_BITS][(row & ROW_MASK) * fields + field];
    }

    /**
     * @param row   below {@link #capacity()}.
     * @param field below the row's field count.
     * @param value the field's value.
     */
    public void set(final int row, final int field, final long value)
    {
        pages[row >>> ROW_PAGE_BITS][(row & ROW_MASK) * fields + field] = value;
    }
}
