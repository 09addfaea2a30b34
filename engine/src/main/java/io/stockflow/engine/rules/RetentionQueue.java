package io.stockflow.engine.rules;

import java.util.Arrays;

/**
 * The settled orders in the order they settled, for forgetting (docs/DOMAIN.md
 * "Order retention"): a FIFO of {@code (changedAt, order id, row)} entries in a ring of
 * longs. Event time never goes backwards, so entries are appended in ascending
 * {@code changedAt} and the head is always the next order due, whatever the retention
 * is now: a lower retention only makes more of the head due.
 *
 * <p>An order that changes status again (SHIP, then DELIVER, then RETURN) gets a new
 * entry and leaves its old one behind; an old entry is stale when its row no longer
 * holds that id with that {@code changedAt} (the order moved on, or was forgotten and
 * its row or id reused), and is dropped when it reaches the head. Each held order has
 * at most four entries, so the queue follows the orders held.
 *
 * <p>Entries live in pages of {@value #PAGE_ENTRIES} (96 KiB), found by page number in a
 * small ring of page references: a page the head leaves is kept for the tail to reuse, so
 * the queue allocates only when it holds more entries than ever before, and then one page,
 * never copying its entries (see {@link io.stockflow.engine.columns.Columns} for why).
 * Single-threaded.
 */
final class RetentionQueue
{
    private static final int STRIDE = 3;
    private static final int PAGE_BITS = 12;
    private static final int PAGE_ENTRIES = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_ENTRIES - 1;
    private static final int MIN_DIRECTORY = 4;

    /** Page number {@code p} is at {@code pages[p & directoryMask]} while it holds entries. */
    private long[][] pages;
    private int directoryMask;
    /** Pages no entry is in, for the tail to take before allocating. */
    private long[][] spares;
    private int spareCount;
    private long head;
    private long tail;

    /**
     * @param expectedSize entries to hold without growing.
     */
    RetentionQueue(final int expectedSize)
    {
        pages = new long[MIN_DIRECTORY][];
        directoryMask = MIN_DIRECTORY - 1;
        spares = new long[MIN_DIRECTORY][];
        reserve(expectedSize);
    }

    /**
     * Allocates pages, if needed, so that this many entries fit without allocating again.
     *
     * @param expectedSize entries to hold.
     */
    void reserve(final int expectedSize)
    {
        final long pagesWanted = ((long)expectedSize + PAGE_MASK) / PAGE_ENTRIES + 1;
        long pagesHeld = spareCount + pagesInUse();
        while (pagesHeld < pagesWanted)
        {
            putSpare(new long[PAGE_ENTRIES * STRIDE]);
            pagesHeld++;
        }
        while (pages.length < pagesWanted)
        {
            growDirectory();
        }
    }

    /** @return true if no entry is queued. */
    boolean isEmpty()
    {
        return head == tail;
    }

    /** @return the number of entries, stale ones included. */
    int size()
    {
        return (int)(tail - head);
    }

    /** @return the head entry's changedAt; undefined when empty. */
    long peekChangedAt()
    {
        return page(head)[at(head)];
    }

    /** @return the head entry's order id; undefined when empty. */
    long peekOrder()
    {
        return page(head)[at(head) + 1];
    }

    /** @return the head entry's row; undefined when empty. */
    int peekRow()
    {
        return (int)page(head)[at(head) + 2];
    }

    /**
     * The rows of the entries from the head on whose changedAt is at or before a time, for
     * reading them ahead ({@link FulfillmentRules#prefetchOrders}). Changes nothing.
     *
     * @param dueAtOrBefore the latest changedAt wanted.
     * @param rows          where the rows go.
     * @param max           rows wanted at most.
     * @return the rows written.
     */
    int dueRows(final long dueAtOrBefore, final int[] rows, final int max)
    {
        int found = 0;
        for (long position = head; position < tail && found < max; position++)
        {
            final long[] page = page(position);
            final int at = at(position);
            if (page[at] > dueAtOrBefore)
            {
                break;
            }
            rows[found++] = (int)page[at + 2];
        }
        return found;
    }

    /** Removes the head entry; the queue must not be empty. */
    void removeHead()
    {
        final long left = head++;
        if ((head & PAGE_MASK) == 0 || head == tail)
        {
            // The head left its page, or the queue ran empty: the page holds no entry any more.
            releaseIfEmpty(left >>> PAGE_BITS);
        }
    }

    /**
     * @param changedAt the event time the order settled or changed status at, not below any queued one.
     * @param order     the order id.
     * @param row       its row.
     */
    void add(final long changedAt, final long order, final int row)
    {
        final long pageNumber = tail >>> PAGE_BITS;
        if (pageNumber - (head >>> PAGE_BITS) >= pages.length)
        {
            // The tail's page would take the slot of a page still in use.
            growDirectory();
        }
        final int slot = (int)pageNumber & directoryMask;
        long[] page = pages[slot];
        if (page == null)
        {
            page = spareCount > 0 ? spares[--spareCount] : new long[PAGE_ENTRIES * STRIDE];
            pages[slot] = page;
        }
        final int at = at(tail++);
        page[at] = changedAt;
        page[at + 1] = order;
        page[at + 2] = row;
    }

    /** Removes every entry, keeping the pages. */
    void clear()
    {
        for (int i = 0; i < pages.length; i++)
        {
            if (pages[i] != null)
            {
                putSpare(pages[i]);
                pages[i] = null;
            }
        }
        head = 0;
        tail = 0;
    }

    private long[] page(final long position)
    {
        return pages[(int)(position >>> PAGE_BITS) & directoryMask];
    }

    private static int at(final long position)
    {
        return ((int)position & PAGE_MASK) * STRIDE;
    }

    /** Frees the page with this number once neither the head nor the tail is in it. */
    private void releaseIfEmpty(final long pageNumber)
    {
        final boolean tailInIt = tail >>> PAGE_BITS == pageNumber && (tail & PAGE_MASK) != 0;
        final boolean headInIt = head >>> PAGE_BITS == pageNumber && head != tail;
        if (!tailInIt && !headInIt)
        {
            final int slot = (int)pageNumber & directoryMask;
            if (pages[slot] != null)
            {
                putSpare(pages[slot]);
                pages[slot] = null;
            }
        }
    }

    private long pagesInUse()
    {
        return head == tail ? 0 : ((tail - 1) >>> PAGE_BITS) - (head >>> PAGE_BITS) + 1;
    }

    private void putSpare(final long[] page)
    {
        if (spareCount == spares.length)
        {
            spares = Arrays.copyOf(spares, spares.length << 1);
        }
        spares[spareCount++] = page;
    }

    /** Doubles the ring of page references, moving each page in use to its slot in the larger ring. */
    private void growDirectory()
    {
        final long[][] grown = new long[pages.length << 1][];
        final int grownMask = grown.length - 1;
        if (head != tail)
        {
            for (long number = head >>> PAGE_BITS; number <= (tail - 1) >>> PAGE_BITS; number++)
            {
                grown[(int)number & grownMask] = pages[(int)number & directoryMask];
            }
        }
        pages = grown;
        directoryMask = grownMask;
    }
}
