package io.stockflow.engine.columns;

import java.util.Arrays;

/**
 * A column of {@code int}s in fixed pages of {@link Columns#PAGE_SIZE} entries, grown a
 * page at a time and never copied (see {@link Columns} for why). Entries below
 * {@link #capacity()} are readable and writable; a new page reads as zeros.
 * Single-threaded: owned by the thread that owns the state it is part of.
 */
public final class IntColumn
{
    private int[][] pages = new int[1][];
    private int capacity;

    /**
     * @param capacity entries to hold from the start.
     */
    public IntColumn(final int capacity)
    {
        ensureCapacity(capacity);
    }

    /** @return the entries this column holds without growing. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Adds pages until {@code entries} fit. Allocates one page per {@link Columns#PAGE_SIZE}
     * entries added, and a directory of page references that doubles (small: one reference
     * per page).
     *
     * @param entries entries to hold.
     * @throws IllegalStateException if that is more than {@link Columns#MAX_CAPACITY}.
     */
    public void ensureCapacity(final int entries)
    {
        if (entries > Columns.MAX_CAPACITY)
        {
            throw new IllegalStateException("a column holds at most " + Columns.MAX_CAPACITY + " entries: " + entries);
        }
        while (capacity < entries)
        {
            final int page = capacity >>> Columns.PAGE_BITS;
            if (page == pages.length)
            {
                pages = Arrays.copyOf(pages, pages.length << 1);
            }
            pages[page] = new int[Columns.PAGE_SIZE];
            capacity += Columns.PAGE_SIZE;
        }
    }

    /**
     * @param index below {@link #capacity()}.
     * @return the entry.
     */
    public int get(final int index)
    {
        return pages[index >>> Columns.PAGE_BITS][index & Columns.PAGE_MASK];
    }

    /**
     * @param index below {@link #capacity()}.
     * @param value the entry.
     */
    public void set(final int index, final int value)
    {
        pages[index >>> Columns.PAGE_BITS][index & Columns.PAGE_MASK] = value;
    }
}
